/**
 * Builds examples/input-dir-tarball for every target once per embedded Node.js release and keeps the result under
 * node_modules/.cache, keyed by everything that goes into the executables (Node.js version, packager and launcher
 * source, every file esbuild bundles). A changed input means a fresh build (~90 s on 2 cores); an unchanged one
 * reuses it. OCM_PLUGIN_TEST_REBUILD=1 forces a build.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { build } from 'esbuild';
import { buildPlugin } from '../../src/build/package.js';
import { TARGETS, artifactName } from '../../src/build/targets.js';
import { ROOT, examplePlugin } from '../../../scripts/examples.js';

function hashTree(h: ReturnType<typeof createHash>, dir: string): void {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) hashTree(h, p);
    else if (/\.(ts|go|mod|json)$/.test(name)) h.update(p).update(readFileSync(p));
  }
}

/**
 * The Node.js releases the packaging tests embed, one per supported major, newest first: the default line's release
 * that npm has for all five targets, and the previous line's. Pinned, so a new release on npm does not change a test.
 */
export const TEST_RUNTIMES = ['26.10.0', '22.23.2'] as const;
export type TestRuntime = (typeof TEST_RUNTIMES)[number];

export interface BuiltExample {
  readonly id: string;
  /** The embedded Node.js version. */
  readonly node: TestRuntime;
  readonly dir: string;
  readonly capabilities: Buffer;
  readonly fromCache: boolean;
  path(targetName: string): string;
}

export async function builtExample(node: TestRuntime = TEST_RUNTIMES[0]): Promise<BuiltExample> {
  const plugin = examplePlugin('dir-tarball');
  // Key: the packager's own code plus exactly the files esbuild puts into the bundle.
  const h = createHash('sha256').update(node);
  hashTree(h, join(ROOT, 'tooling', 'src', 'build'));
  hashTree(h, join(ROOT, 'tooling', 'launcher'));
  const { metafile } = await build({
    entryPoints: [plugin.entry],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    conditions: ['source'],
    logLevel: 'silent',
    outfile: 'x.cjs',
    absWorkingDir: ROOT,
  });
  for (const input of Object.keys(metafile.inputs).sort()) h.update(input).update(readFileSync(join(ROOT, input)));
  const key = h.digest('hex').slice(0, 16);
  const base = join(ROOT, 'node_modules', '.cache', 'ocm-plugin-kit-test', node);
  const dir = join(base, key);
  const path = (name: string) => join(dir, artifactName(plugin.id, TARGETS.find((t) => t.name === name)!));
  const complete = () => existsSync(join(dir, 'capabilities')) && TARGETS.every((t) => existsSync(path(t.name)));
  let fromCache = true;
  if (process.env.OCM_PLUGIN_TEST_REBUILD || !complete()) {
    fromCache = false;
    const tmp = `${dir}.${process.pid}.tmp`;
    await rm(tmp, { recursive: true, force: true });
    await mkdir(tmp, { recursive: true });
    const result = await buildPlugin({ entry: plugin.entry, id: plugin.id, outDir: tmp, launcher: 'required', node, log: (m) => console.log(m) });
    if (result.failed.length > 0) throw new Error(`build failed: ${JSON.stringify(result.failed.map((f) => [f.target.name, f.reason]))}`);
    await writeFile(join(tmp, 'capabilities'), result.capabilities);
    // Keep only this build (older keys are 200 MiB each); leave other processes' builds in progress alone.
    for (const other of readdirSync(dirname(base))) {
      if (!(TEST_RUNTIMES as readonly string[]).includes(other)) await rm(join(dirname(base), other), { recursive: true, force: true });
    }
    for (const old of readdirSync(base)) {
      const p = join(base, old);
      if (p !== tmp && (!old.includes('.') || Date.now() - statSync(p).mtimeMs > 3_600_000)) await rm(p, { recursive: true, force: true });
    }
    try {
      await rename(tmp, dir);
    } catch (err) {
      // Another test process finished the same build first.
      if (!complete()) throw err;
      await rm(tmp, { recursive: true, force: true });
    }
  }
  return { id: plugin.id, node, dir, capabilities: await readFile(join(dir, 'capabilities')), fromCache, path };
}
