/**
 * Every example plugin in examples/ passes the conformance suite with its own samples file
 * (examples/<dir>/conformance.samples.yaml; format in conformance/README.md).
 */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT, examplePlugins } from '../../scripts/examples.js';
import { runConformance } from '../src/index.js';
import { TEST_FUZZ_RUNS } from './helpers.js';
import { assertConformant, describeFailure } from '../src/vitest.js';

const plugins = examplePlugins();

describe.concurrent('examples pass the conformance suite', () => {
  it('there are examples to test', () => {
    expect(plugins.length).toBeGreaterThan(0);
  });
  for (const p of plugins) {
    it(`${p.id} (${relative(ROOT, p.dir)})`, async () => {
      const samples = join(p.dir, 'conformance.samples.yaml');
      if (!existsSync(samples)) {
        throw new Error(
          `${relative(ROOT, p.dir)} has no conformance.samples.yaml: add one with a sample per endpoint of ${p.id} (format: conformance/README.md, "Samples file")`,
        );
      }
      const report = await runConformance({ plugin: p.executable, id: p.id, samples, fuzzRuns: TEST_FUZZ_RUNS });
      for (const c of report.plugins.flatMap((x) => x.checks).filter((x) => x.status === 'warn')) console.warn(`${p.id}: warning: ${describeFailure(c)}`);
      assertConformant(report);
    }, 240_000);
  }
});
