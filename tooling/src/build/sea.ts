/**
 * Node.js single executable applications (SEA) made by hand: `node --experimental-sea-config` writes the blob,
 * postject injects it into a copy of the target's official Node.js binary. Works offline for every target from one
 * host, because the blob generator may be any binary of the same Node.js version.
 */
import { copyFile, mkdtemp, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CODE_CACHE_ASSET, SEA_LOADER, SOURCE_ASSET } from './code-cache.js';
import { run } from './node-cache.js';
import type { Target } from './targets.js';

/** Sentinel fuse Node.js looks for to know it carries a SEA blob. */
export const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

/**
 * Writes the SEA preparation blob for a one-file CommonJS bundle. `node` must be exactly the Node.js version of the
 * target binaries and runnable here. The blob's main script is {@link SEA_LOADER}; the bundle, wrapped, and its code
 * cache ride along as assets. Pass `codeCache` only for a target of the platform and architecture it was made on (V8
 * rejects a foreign one). `assets` are further SEA assets by name (native addons, declared plugin assets).
 */
export async function makeSeaBlob(options: {
  node: string;
  wrappedSource: string;
  out: string;
  codeCache?: Buffer;
  assets?: ReadonlyMap<string, Buffer>;
}): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'ocm-plugin-sea-'));
  try {
    const config = join(dir, 'sea-config.json');
    const assets: Record<string, string> = { [SOURCE_ASSET]: join(dir, SOURCE_ASSET) };
    await writeFile(assets[SOURCE_ASSET]!, options.wrappedSource);
    if (options.codeCache) {
      assets[CODE_CACHE_ASSET] = join(dir, CODE_CACHE_ASSET);
      await writeFile(assets[CODE_CACHE_ASSET], options.codeCache);
    }
    let i = 0;
    for (const [name, bytes] of options.assets ?? []) {
      // Asset names are keys, not paths: each is written to a numbered file.
      const file = join(dir, `extra-${i++}`);
      await writeFile(file, bytes);
      assets[name] = file;
    }
    await writeFile(join(dir, 'loader.cjs'), SEA_LOADER);
    await writeFile(
      config,
      JSON.stringify({
        main: join(dir, 'loader.cjs'),
        output: options.out,
        disableExperimentalSEAWarning: true,
        useCodeCache: false,
        useSnapshot: false,
        assets,
      }),
    );
    const r = await run(options.node, ['--experimental-sea-config', config], dir);
    if (r.code !== 0) throw new Error(`SEA blob generation with ${options.node} failed (exit ${r.code}): ${r.stderr.trim()}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Copies the target's Node.js binary and injects the blob; returns the resulting executable's bytes. */
export async function injectSeaBlob(options: { nodeBinary: string; blob: string; target: Target; workDir: string }): Promise<Buffer> {
  const out = join(options.workDir, `sea-${options.target.name}${options.target.suffix}`);
  await copyFile(options.nodeBinary, out);
  await chmod(out, 0o755);
  const cli = createRequire(import.meta.url).resolve('postject/dist/cli.js');
  const args = [cli, out, 'NODE_SEA_BLOB', options.blob, '--sentinel-fuse', SEA_FUSE];
  if (options.target.format === 'macho') args.push('--macho-segment-name', 'NODE_SEA');
  // postject runs as a separate process so several targets inject in parallel (it is CPU-bound WebAssembly).
  const r = await run(process.execPath, args);
  if (r.code !== 0) throw new Error(`postject failed for ${options.target.name} (exit ${r.code}): ${r.stderr.trim()}`);
  const bytes = await readFile(out);
  await rm(out, { force: true });
  return bytes;
}
