/**
 * Vitest integration: run the conformance suite inside a plugin's own test run.
 *
 * @example
 * ```ts
 * // test/conformance.test.ts
 * import { runConformance } from '@ocm-plugin-kit/conformance';
 * import { conformanceTests } from '@ocm-plugin-kit/conformance/vitest';
 * const report = await runConformance({ plugin: 'dist/my-plugin.cjs', id: 'my-plugin', samples: 'conformance.samples.yaml' });
 * conformanceTests(report);   // one test per check
 * ```
 * @module
 */
import { beforeAll, describe, it } from 'vitest';
import { GROUPS, type CheckResult, type ConformanceReport } from './suite/report.js';
import { runConformance, type ConformanceOptions } from './suite/run.js';

/** A failure message for one check: what is wrong and what to fix. */
export function describeFailure(check: CheckResult): string {
  return [`${check.id}: ${check.title}`, check.message, check.fix ? `fix: ${check.fix}` : undefined].filter(Boolean).join('\n');
}

/** Throws one error listing every failed check of a report (for a single `it`). */
export function assertConformant(report: ConformanceReport): void {
  const failed = [...report.checks, ...report.plugins.flatMap((p) => p.checks)].filter((c) => c.status === 'fail');
  if (failed.length) throw new Error(`${failed.length} conformance check(s) failed:\n\n${failed.map(describeFailure).join('\n\n')}`);
}

/** Registers one vitest test per check of a finished report: fail → failing test, skip → skipped test (with the reason). */
export function conformanceTests(report: ConformanceReport): void {
  const register = (name: string, checks: readonly CheckResult[]) =>
    describe(name, () => {
      for (const check of checks) {
        const title = `${check.group}: ${check.title}`;
        if (check.status === 'skip') {
          it.skip(`${title} (${check.message ?? 'skipped'})`, () => undefined);
          continue;
        }
        it(title, () => {
          if (check.status === 'fail') throw new Error(describeFailure(check));
          if (check.status === 'warn') console.warn(`warning: ${describeFailure(check)}`);
        });
      }
    });
  if (report.checks.length) register('plugin directory', report.checks);
  for (const p of report.plugins) register(`OCM plugin conformance: ${p.plugin}`, p.checks);
}

/**
 * Registers one test per check group; the suite runs once in `beforeAll`. Use this when top-level `await` is not
 * an option.
 */
export function describeConformance(options: ConformanceOptions & { timeoutMs?: number }): void {
  describe(`OCM plugin conformance: ${options.plugin}`, () => {
    let report: ConformanceReport;
    beforeAll(async () => {
      report = await runConformance(options);
    }, options.timeoutMs ?? 300_000);
    for (const group of GROUPS) {
      it(group, () => {
        const checks = [...report.checks, ...report.plugins.flatMap((p) => p.checks)].filter((c) => c.group === group);
        const failed = checks.filter((c) => c.status === 'fail');
        if (failed.length) throw new Error(failed.map(describeFailure).join('\n\n'));
        for (const w of checks.filter((c) => c.status === 'warn')) console.warn(`warning: ${describeFailure(w)}`);
      });
    }
  });
}
