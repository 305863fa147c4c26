/** What `ocm-plugin build` says when a target cannot be built, and that it still builds what it can. */
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureNode } from '../../src/build/node-cache.js';
import { buildPlugin } from '../../src/build/package.js';
import { TARGETS, hostTarget } from '../../src/build/targets.js';
import { examplePlugin } from '../../../scripts/examples.js';
import { TEST_RUNTIMES } from './built-example.js';

describe('a target without its Node.js binary', () => {
  it('is reported with the npm package and the cache path, offline, without stopping the build', async () => {
    const host = hostTarget()!;
    const version = TEST_RUNTIMES[0];
    const hostNode = await ensureNode(host, { version });
    const cache = mkdtempSync(join(tmpdir(), 'ocmkit-partial-cache-'));
    mkdirSync(join(cache, 'node', version), { recursive: true });
    symlinkSync(dirname(hostNode), join(cache, 'node', version, host.name));
    const missing = TARGETS.find((t) => t !== host && t.os === 'darwin')!;
    const plugin = examplePlugin('dir-tarball');
    const result = await buildPlugin({
      entry: plugin.entry,
      id: plugin.id,
      outDir: mkdtempSync(join(tmpdir(), 'ocmkit-partial-out-')),
      targets: [missing],
      cacheDir: cache,
      fetch: false,
    });
    // Offline, the runtime is the newest supported one the cache has for the build host.
    expect(result.node.version).toBe(version);
    expect(result.node.why).toContain(`for the build host (${host.name})`);
    expect(result.artifacts).toEqual([]);
    expect(result.failed).toHaveLength(1);
    expect(result.failed[0]!.target).toBe(missing);
    expect(result.failed[0]!.reason).toContain(`npm pack ${missing.nodePackage}@${version}`);
    expect(result.failed[0]!.reason).toContain(join(cache, 'node', version, 'tgz'));
    // The capabilities answer was still computed from the bundle with the host's Node.js.
    expect(JSON.parse(result.capabilities.toString()).capabilities).toHaveLength(1);
  }, 120_000);

  it('refuses a plugin id the ocm CLI would skip', async () => {
    const plugin = examplePlugin('dir-tarball');
    await expect(buildPlugin({ entry: plugin.entry, id: 'dir.tarball', outDir: tmpdir(), targets: [] })).rejects.toThrow(/without dots or slashes/);
    await expect(buildPlugin({ entry: plugin.entry, id: 'd'.repeat(65), outDir: tmpdir(), targets: [] })).rejects.toThrow(
      /is longer than 64 bytes; choose a shorter id/,
    );
  });
});
