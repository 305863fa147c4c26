import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { binaryFits, binaryKind, bufferFormat, describeKind, executableFormat } from '../src/build/executable-format.js';

const dir = mkdtempSync(join(tmpdir(), 'exe-format-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function elf(machine: number): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32BE(0x7f454c46, 0);
  b[4] = 2;
  b[5] = 1;
  b.writeUInt16LE(machine, 18);
  return b;
}

/** A thin 64-bit little-endian Mach-O image with one load command (`LC_CODE_SIGNATURE` when signed). */
function macho(cpu: number, signed: boolean): Buffer {
  const b = Buffer.alloc(64);
  b.writeUInt32LE(0xfeedfacf, 0);
  b.writeUInt32LE(cpu, 4);
  b.writeUInt32LE(2, 12);
  b.writeUInt32LE(1, 16);
  b.writeUInt32LE(16, 20);
  b.writeUInt32LE(signed ? 0x1d : 0x19, 32);
  b.writeUInt32LE(16, 36);
  return b;
}

function fat(...slices: Buffer[]): Buffer {
  const head = Buffer.alloc(256);
  head.writeUInt32BE(0xcafebabe, 0);
  head.writeUInt32BE(slices.length, 4);
  let offset = head.length;
  slices.forEach((s, i) => {
    head.writeUInt32BE(s.readUInt32LE(4), 8 + i * 20);
    head.writeUInt32BE(offset, 16 + i * 20);
    head.writeUInt32BE(s.length, 20 + i * 20);
    offset += s.length;
  });
  return Buffer.concat([head, ...slices]);
}

function pe(machine: number): Buffer {
  const b = Buffer.alloc(0x100);
  b.write('MZ', 0, 'latin1');
  b.writeUInt32LE(0x80, 0x3c);
  b.writeUInt32BE(0x50450000, 0x80);
  b.writeUInt16LE(machine, 0x84);
  return b;
}

const X64 = 0x01000007;
const ARM64 = 0x0100000c;

describe('executable formats, from a file and from bytes alike', () => {
  const cases: Array<[string, Buffer, unknown]> = [
    ['ELF arm64', elf(0xb7), { kind: 'elf', arch: 'arm64' }],
    ['thin Mach-O, signed', macho(ARM64, true), { kind: 'macho', slices: [{ arch: 'arm64', signed: true }] }],
    [
      'universal Mach-O',
      fat(macho(X64, false), macho(ARM64, true)),
      {
        kind: 'macho',
        slices: [
          { arch: 'x86_64', signed: false },
          { arch: 'arm64', signed: true },
        ],
      },
    ],
    ['PE x64', pe(0x8664), { kind: 'pe', arch: 'x64' }],
    ['script', Buffer.from('#!/usr/bin/env node\nconsole.log(1)\n'), { kind: 'script', interpreter: '/usr/bin/env node' }],
    ['MZ without a PE header', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(0x80)]), { kind: 'unknown' }],
    ['text', Buffer.from('hello'), { kind: 'unknown' }],
  ];
  for (const [name, bytes, expected] of cases) {
    it(name, () => {
      const file = join(dir, name.replace(/\W+/g, '-'));
      writeFileSync(file, bytes);
      expect(executableFormat(file)).toEqual(expected);
      expect(bufferFormat(bytes)).toEqual(expected);
    });
  }

  it('reads the running Node.js binary as this platform builds it', () => {
    const f = executableFormat(process.execPath);
    if (process.platform === 'linux') expect(f).toEqual({ kind: 'elf', arch: process.arch });
    else expect(f.kind).not.toBe('unknown');
  });
});

describe('binaryKind: which targets a native addon fits', () => {
  it('names architectures as Node.js does and matches Go target names', () => {
    const universal = binaryKind(fat(macho(X64, false), macho(ARM64, true)));
    expect(universal).toEqual({ format: 'macho', archs: ['x64', 'arm64'] });
    expect(binaryFits(universal, { format: 'macho', arch: 'amd64' })).toBe(true);
    expect(binaryFits(universal, { format: 'elf', arch: 'amd64' })).toBe(false);
    expect(binaryFits(binaryKind(elf(0x3e)), { format: 'elf', arch: 'arm64' })).toBe(false);
    expect(describeKind(binaryKind(pe(0xaa64)))).toBe('PE arm64');
    expect(binaryKind(Buffer.from('#!/bin/sh\n'))).toBeUndefined();
    expect(describeKind(undefined)).toBe('not a native binary');
  });
});
