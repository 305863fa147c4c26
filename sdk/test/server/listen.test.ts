import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { chooseAddress, locationLine, maxSocketPathBytes, removeAddress, safeId, sweepStaleSocketDirs, unixSocketAddress } from '../../src/server/listen.js';

describe('listen addresses', () => {
  it('creates a private socket directory per process', () => {
    const a = unixSocketAddress('my-plugin', { TMPDIR: mkdtempSync(join(tmpdir(), 'l-')) });
    const b = unixSocketAddress('my-plugin', { TMPDIR: dirname(a.kind === 'unix' ? a.dir : '') });
    expect(a.kind).toBe('unix');
    if (a.kind !== 'unix' || b.kind !== 'unix') return;
    expect(a.path).not.toBe(b.path);
    expect(statSync(a.dir).mode & 0o777).toBe(0o700);
    expect(locationLine(a)).toBe(`http+unix://${a.path}\n`);
    removeAddress(a);
    removeAddress(b);
    expect(existsSync(a.dir)).toBe(false);
  });
  it('refuses paths the platform cannot bind, with a fix', () => {
    const long = 'p'.repeat(200);
    const fallback = unixSocketAddress(long, { TMPDIR: `/tmp/${'d'.repeat(120)}` }); // id is shortened, /tmp used
    removeAddress(fallback);
    expect(safeId(long)).toHaveLength(24);
    expect(maxSocketPathBytes('linux')).toBe(107);
    expect(maxSocketPathBytes('darwin')).toBe(103);
  });
  it('sweeps directories of dead processes only', async () => {
    const base = mkdtempSync(join(tmpdir(), 'sweep-'));
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout;
    for (const [name, pid] of [
      ['ocm-x-dead01', dead],
      ['ocm-x-live01', String(process.pid)],
      ['ocm-y-dead02', dead],
    ] as const) {
      mkdirSync(join(base, name));
      writeFileSync(join(base, name, 'pid'), pid);
    }
    expect(await sweepStaleSocketDirs(base, 'x')).toEqual([join(base, 'ocm-x-dead01')]);
    expect(existsSync(join(base, 'ocm-x-live01'))).toBe(true);
    expect(existsSync(join(base, 'ocm-y-dead02'))).toBe(true);
  });
  it('binds TCP to loopback only', () => {
    expect(chooseAddress('tcp', 'p')).toEqual({ kind: 'tcp', host: '127.0.0.1', port: 0 });
    expect(locationLine({ kind: 'tcp', host: '127.0.0.1', port: 4242 })).toBe('http://127.0.0.1:4242\n');
  });
});
