/**
 * The ad-hoc Mach-O signer, validated without a Mac: the checker must accept Apple's own signatures on the npm
 * Node.js binaries (0 of ~27,000 page hashes wrong), and the signer must reproduce the Go linker's signature of a
 * darwin/arm64 binary byte for byte.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLauncher } from '../../src/build/native-launcher.js';
import { adhocSign, appendToLinkedit, checkSignature } from '../../src/build/macho.js';
import { ensureNode } from '../../src/build/node-cache.js';
import { TARGETS } from '../../src/build/targets.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { TEST_RUNTIMES, type TestRuntime } from './built-example.js';

const target = (name: string) => TARGETS.find((t) => t.name === name)!;
const hasGo = toolOrSkip('go', 'the Go-linker comparison of the Mach-O signer') !== undefined;

/** Code slots (4 KiB pages) of Apple's signature on each embedded runtime's darwin binaries. */
const SLOTS: Record<TestRuntime, Record<'darwin-arm64' | 'darwin-x64', number>> = {
  '26.10.0': { 'darwin-arm64': 35582, 'darwin-x64': 36206 },
  '22.23.2': { 'darwin-arm64': 27355, 'darwin-x64': 27961 },
};

describe('Mach-O signature checker on Apple-signed Node.js binaries from npm', () => {
  for (const [version, name, slots] of TEST_RUNTIMES.flatMap((v) => (['darwin-arm64', 'darwin-x64'] as const).map((n) => [v, n, SLOTS[v][n]] as const))) {
    it(`${name} ${version}: every page hash matches`, async () => {
      const check = checkSignature(readFileSync(await ensureNode(target(name), { version })));
      expect(check.problems).toEqual([]);
      const sha256 = check.codeDirectories.find((c) => c.hashType === 2)!;
      expect(sha256).toMatchObject({ codeSlots: slots, mismatches: 0, pageSize: 4096, execSegBase: 0, execSegFlags: 1 });
    }, 120_000);
  }
});

describe.skipIf(!hasGo)('ad-hoc signer against the Go linker', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocmkit-macho-'));

  it('re-signing a Go-linked darwin/arm64 binary reproduces the Go linker bytes exactly', async () => {
    const file = join(dir, 'arm64');
    expect(await buildLauncher(target('darwin-arm64'), file)).toBeUndefined();
    const original = readFileSync(file);
    expect(checkSignature(original).codeDirectories[0]?.identifier).toBe('a.out');
    const resigned = adhocSign(original, 'a.out', { roundVmsize: false });
    expect(resigned.equals(original)).toBe(true);
  }, 120_000);

  it('adds LC_CODE_SIGNATURE to an unsigned binary, signs idempotently, and detects tampering', async () => {
    const file = join(dir, 'amd64');
    expect(await buildLauncher(target('darwin-x64'), file)).toBeUndefined();
    const unsigned = readFileSync(file);
    expect(checkSignature(unsigned).signed).toBe(false);
    const signed = adhocSign(unsigned, 'demo');
    expect(signed.readUInt32LE(16)).toBe(unsigned.readUInt32LE(16) + 1); // ncmds
    const check = checkSignature(signed);
    expect(check.problems).toEqual([]);
    expect(check.codeDirectories).toEqual([
      expect.objectContaining({ identifier: 'demo', version: 0x20400, flags: 0x20002, hashType: 2, mismatches: 0, execSegFlags: 1 }),
    ]);
    expect(adhocSign(signed, 'demo').equals(signed)).toBe(true);
    const tampered = Buffer.from(signed);
    tampered[5000]! ^= 1;
    expect(checkSignature(tampered).codeDirectories[0]!.mismatches).toBe(1);
  }, 120_000);

  it('covers data appended inside __LINKEDIT with the page hashes', async () => {
    const original = readFileSync(join(dir, 'arm64'));
    const payload = Buffer.alloc(100_000, 7);
    const { buf, offset } = appendToLinkedit(original, payload);
    const signed = adhocSign(buf, 'with-payload');
    expect(signed.subarray(offset, offset + payload.length).equals(payload)).toBe(true);
    const cd = checkSignature(signed).codeDirectories[0]!;
    expect(cd.mismatches).toBe(0);
    expect(cd.codeLimit).toBeGreaterThanOrEqual(offset + payload.length);
    expect(checkSignature(signed).problems).toEqual([]);
  });
});

it('refuses files that are not thin 64-bit Mach-O', () => {
  expect(() => adhocSign(Buffer.from(`\x7fELF${'\0'.repeat(60)}`, 'latin1'), 'x')).toThrow(/not a thin 64-bit little-endian Mach-O/);
});
