/**
 * A vitest reporter that counts the run per test group (scripts/test-groups.ts): prints one plain line per group and
 * writes reports/groups.json, which .ci/run reads to fail a run where an interop group ran no test or skipped one.
 * A test file that failed before its tests were collected counts as one failure of its file's group.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import { ROOT } from './examples.js';
import { TEST_GROUPS, groupOf } from './test-groups.js';

export interface GroupCount {
  readonly name: string;
  readonly interop: boolean;
  passed: number;
  failed: number;
  skipped: number;
}

export const GROUPS_REPORT = join(ROOT, 'reports', 'groups.json');

export default class GroupReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const counts = new Map<string, GroupCount>(TEST_GROUPS.map((g) => [g.name, { name: g.name, interop: g.interop, passed: 0, failed: 0, skipped: 0 }]));
    for (const mod of modules) {
      const file = relative(ROOT, mod.moduleId);
      let seen = 0;
      for (const test of mod.children.allTests()) {
        seen++;
        const c = counts.get(groupOf(file, test.tags).name)!;
        const state = test.result().state;
        if (state === 'passed') c.passed++;
        else if (state === 'failed') c.failed++;
        else c.skipped++;
      }
      if (seen === 0 && mod.errors().length > 0) counts.get(groupOf(file, []).name)!.failed++;
    }
    const all = [...counts.values()];
    mkdirSync(dirname(GROUPS_REPORT), { recursive: true });
    writeFileSync(GROUPS_REPORT, `${JSON.stringify(all, null, 2)}\n`);
    for (const c of all) console.log(`${c.name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped`);
  }
}
