#!/usr/bin/env node
/**
 * Fails (exit 1) when the last run's reports/groups.json (scripts/group-reporter.ts) shows an interop group that ran
 * no test or skipped one: in CI the real host is the judge, so its tests must run. Prints `<label>-<group>: N passed,
 * N failed, N skipped` lines.
 */
import { readFileSync } from 'node:fs';

const [file = 'reports/groups.json', label = 'tests'] = process.argv.slice(2);
const groups = JSON.parse(readFileSync(file, 'utf8'));
let bad = 0;
for (const g of groups) {
  console.log(`${label}-${g.name}: ${g.passed} passed, ${g.failed} failed, ${g.skipped} skipped`);
  if (g.interop && g.passed + g.failed === 0) {
    console.error(`${label}: the interop group ${g.name} ran no test`);
    bad++;
  } else if (g.interop && g.skipped > 0) {
    console.error(`${label}: the interop group ${g.name} skipped ${g.skipped} test(s)`);
    bad++;
  }
}
process.exit(bad > 0 ? 1 : 0);
