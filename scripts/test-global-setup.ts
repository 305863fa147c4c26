/**
 * Bundles every example plugin once per test run (esbuild, well under a second each), so process-level tests run
 * the same single-file JavaScript that `ocm-plugin bundle` produces for users. Gives the run its own TMPDIR, removed
 * at the end, so the temp dirs of tests, plugins, the Go manager and the ocm CLI do not pile up in the system's.
 * Puts the Go module proxies `npm run setup` uses into the run's environment, for tests that build Go code.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, bundleExamples } from './examples.js';

export default async function setup(): Promise<() => void> {
  await bundleExamples();
  const goEnv = execFileSync(process.execPath, [join(ROOT, 'scripts', 'setup-tools.mjs'), '--go-env'], { encoding: 'utf8' });
  for (const [, key, value] of goEnv.matchAll(/^export (\w+)='(.*)'$/gm)) process.env[key!] = value;
  // Short, so socket paths under it stay far below the 104-byte limit of macOS.
  const dir = mkdtempSync(join(tmpdir(), 'okt-'));
  const previous = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
}
