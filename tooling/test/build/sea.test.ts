/** The SEA blob: a real executable made from it starts with the kit's Node.js options and runs the wrapped source. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { wrapCommonJs } from '../../src/build/code-cache.js';
import { injectSeaBlob, makeSeaBlob, SEA_EXEC_ARGV } from '../../src/build/sea.js';
import { hostTarget } from '../../src/build/targets.js';
import { toolOrSkip } from '../../../scripts/tools.js';

// Node.js 20 ignores the sea-config `execArgv` field; the lines the kit embeds by default (22, 26) honour it.
const node26 = process.platform === 'linux' && process.arch === 'x64' ? toolOrSkip('node26', 'an official linux-x64 Node.js 26 binary') : undefined;

describe.skipIf(!node26)('makeSeaBlob', () => {
  it('starts the executable with SEA_EXEC_ARGV and no young-generation scavenge during a start-sized allocation', async () => {
    expect(SEA_EXEC_ARGV).toContain('--min-semi-space-size=16');
    const dir = mkdtempSync(join(tmpdir(), 'sea-exec-argv-'));
    try {
      const blob = join(dir, 'blob');
      // Allocates about what a plugin's start-up does, then reports its options and the GCs V8 ran meanwhile.
      const source = `
        const { PerformanceObserver } = require('node:perf_hooks');
        let minor = 0;
        new PerformanceObserver((l) => { for (const e of l.getEntries()) if (e.detail.kind === 1) minor++; }).observe({ entryTypes: ['gc'] });
        const keep = [];
        for (let i = 0; i < 40000; i++) keep.push({ i, s: 'x'.repeat(i % 64) + i });
        setTimeout(() => console.log(JSON.stringify({ execArgv: process.execArgv, minor, kept: keep.length })), 50);`;
      await makeSeaBlob({ node: node26!, wrappedSource: wrapCommonJs(source), out: blob });
      const bytes = await injectSeaBlob({ nodeBinary: node26!, blob, target: hostTarget()!, workDir: dir });
      const exe = join(dir, 'sea');
      writeFileSync(exe, bytes, { mode: 0o755 });
      const r = spawnSync(exe, [], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
      expect(r.stderr).toBe('');
      const out = JSON.parse(r.stdout);
      expect(out.execArgv).toEqual([...SEA_EXEC_ARGV]);
      expect(out.kept).toBe(40000);
      expect(out.minor).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
