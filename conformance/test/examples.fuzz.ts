/**
 * The fuzz group at full strength over every example plugin, the bundled form (the packaged one runs the same code):
 * 10,000 cases an endpoint, or `OCM_CONFORMANCE_FUZZ_RUNS`. The kit's CI runs it (`npm run test:fuzz`); `npm test`
 * leaves it out and fuzzes the examples lightly in examples.test.ts.
 */
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, examplePlugins } from '../../scripts/examples.js';
import { runConformance } from '../src/index.js';
import { FUZZ_RUNS_ENV, fuzzRuns } from '../src/suite/fuzz.js';
import { assertConformant } from '../src/vitest.js';

/** Cases an endpoint in the kit's CI: ten times what authors get by default. */
const CI_FUZZ_RUNS = 10_000;
const plugins = examplePlugins();
const runs = fuzzRuns(process.env[FUZZ_RUNS_ENV] ? undefined : CI_FUZZ_RUNS);

describe.concurrent(`examples pass the fuzz group at ${runs} cases an endpoint`, { tags: ['real-process'] }, () => {
  for (const p of plugins) {
    it(
      `${p.id} (${relative(ROOT, p.dir)})`,
      async () => {
        const report = await runConformance({
          plugin: p.executable,
          id: p.id,
          samples: join(p.dir, 'conformance.samples.yaml'),
          groups: ['fuzz'],
          fuzzRuns: runs,
        });
        assertConformant(report);
        // Endpoints without a successful sample are skipped, as in every run of the suite; the others ran every case,
        // none cut short by the time limit.
        const fuzz = report.plugins.flatMap((x) => x.checks).filter((c) => c.group === 'fuzz' && c.status !== 'skip');
        expect(fuzz.length).toBeGreaterThan(0);
        for (const c of fuzz) expect(`${c.id}: ${c.message}`).toMatch(new RegExp(`^${c.id.replace(/\./g, '\\.')}: ${runs} cases in [\\d.]+ s .*\\banswers\\b`));
        for (const c of fuzz) expect(c.message).not.toMatch(/stopped by the time limit/);
      },
      Math.max(240_000, runs * 60),
    );
  }
});
