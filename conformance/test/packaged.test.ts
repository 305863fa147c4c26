/**
 * The packaged single executable (linux-x64, `ocm-plugin build`) of the input example passes the conformance
 * suite, like its JavaScript bundle does, with each embedded Node.js line: what users install is what is tested.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { examplePlugin } from '../../scripts/examples.js';
import { TEST_RUNTIMES, builtExample } from '../../tooling/test/build/built-example.js';
import { runConformance } from '../src/index.js';
import { TEST_FUZZ_RUNS } from './helpers.js';
import { assertConformant, describeFailure } from '../src/vitest.js';

describe.skipIf(process.platform !== 'linux' || process.arch !== 'x64')('packaged executable', () => {
  it.each(TEST_RUNTIMES)(
    'dir-tarball linux-x64 executable embedding Node.js %s passes the conformance suite',
    async (node) => {
      const built = await builtExample(node);
      // Unpack the embedded runtime into this test's own cache, not the user's.
      process.env.OCM_PLUGIN_KIT_CACHE = mkdtempSync(join(tmpdir(), 'packaged-cache-'));
      // Installed the way `ocm download plugin` installs it: an extension-less file named after the plugin id.
      const exe = join(mkdtempSync(join(tmpdir(), 'packaged-')), 'dir-tarball');
      copyFileSync(built.path('linux-x64'), exe);
      const report = await runConformance({
        plugin: exe,
        id: 'dir-tarball',
        samples: join(examplePlugin('dir-tarball').dir, 'conformance.samples.yaml'),
        fuzzRuns: TEST_FUZZ_RUNS,
      });
      for (const c of report.plugins.flatMap((x) => x.checks).filter((x) => x.status === 'warn'))
        console.warn(`packaged dir-tarball (Node.js ${node}): warning: ${describeFailure(c)}`);
      assertConformant(report);
    },
    600_000,
  );
});
