/** Zeroing the sections no process maps: the official Node.js binary still runs, and only those bytes change. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { zeroDebugSections } from '../../src/build/elf-symbols.js';
import { toolOrSkip } from '../../../scripts/tools.js';

const node22 = process.platform === 'linux' && process.arch === 'x64' ? toolOrSkip('node22', 'an official linux-x64 Node.js binary with symbols') : undefined;

describe.skipIf(!node22)('zeroDebugSections', () => {
  it('clears .symtab, .strtab and .debug_* of the official binary, which then runs as before', () => {
    const original = readFileSync(node22!);
    const elf = Buffer.from(original);
    const cleared = zeroDebugSections(elf);
    expect(cleared).toBeGreaterThan(10 * 1024 * 1024);
    expect(elf.length).toBe(original.length);
    let changed = 0;
    for (let i = 0; i < elf.length; i++) if (elf[i] !== original[i]) changed++;
    expect(changed).toBeGreaterThan(0);
    expect(changed).toBeLessThanOrEqual(cleared);
    const dir = mkdtempSync(join(tmpdir(), 'elf-symbols-'));
    try {
      const exe = join(dir, 'node');
      writeFileSync(exe, elf, { mode: 0o755 });
      const r = spawnSync(exe, ['-e', "console.log(new Intl.NumberFormat('de-DE').format(1234.5), require('node:zlib').gzipSync('x').length > 0)"], {
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe('1.234,5 true\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('leaves anything that is not a 64-bit little-endian ELF alone', () => {
    const notElf = Buffer.from('#!/bin/sh\necho hi\n'.padEnd(200, ' '));
    expect(zeroDebugSections(notElf)).toBe(0);
    expect(notElf.toString()).toMatch(/^#!\/bin\/sh/);
  });
});
