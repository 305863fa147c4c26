/**
 * `--host go`: the samples through the real Go plugin manager v0.0.17. An example plugin passes; each broken fixture
 * whose fault the manager can see fails the check about it, with the manager's own words; the faults only the
 * reference host can provoke are listed as reference-host only. The harness is built from the shipped sources into
 * a cache keyed by their hash, once.
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { examplePlugin } from '../../../scripts/examples.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { cacheRoot, harnessSourceDir, harnessSourceHash, locateHarness } from '../../src/hosts/go-build.js';
import { runHosts } from '../../src/hosts/run-hosts.js';
import type { CheckResult, PluginReport } from '../../src/index.js';
import { fixture, FIXTURE_SAMPLES } from '../helpers.js';

const harness = toolOrSkip('goHarness', '--host go through the Go plugin manager v0.0.17');
// tools.ts probes `go --version`, which Go answers with a usage error; `go version` is the probe that works.
const go = spawnSync('go', ['version']).status === 0 ? 'go' : toolOrSkip('go', 'building the Go harness from the shipped sources');
const env = { ...process.env, OCM_GO_HARNESS: harness };

async function goRun(plugin: string, samples?: string): Promise<PluginReport> {
  const report = await runHosts({ plugin, samples, hosts: ['go'], env });
  expect(report.hosts?.map((h) => h.name)).toEqual(['go']);
  expect(report.hosts?.[0]?.version).toContain('plugin manager v0.0.17');
  expect(report.plugins).toHaveLength(1);
  return report.plugins[0]!;
}

const byId = (p: PluginReport, id: string): CheckResult => {
  const found = p.checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id}; checks: ${p.checks.map((c) => c.id).join(', ')}`);
  return found;
};
const failed = (p: PluginReport) => p.checks.filter((c) => c.status === 'fail');

describe.skipIf(!harness)('--host go', () => {
  it('an example plugin passes; every check is marked go; the reference-only checks are listed as such', async () => {
    const p = await goRun(examplePlugin('dir-tarball').executable);
    expect(failed(p), JSON.stringify(failed(p), null, 2)).toEqual([]);
    expect(p.host).toBe('go');
    expect(p.checks.every((c) => c.host === 'go')).toBe(true);
    expect(byId(p, 'handshake.register').status).toBe('pass');
    expect(p.checks.filter((c) => c.group === 'endpoints' && c.status === 'pass')).toHaveLength(5);
    expect(byId(p, 'faults.reference-host-only')).toMatchObject({ status: 'skip', message: expect.stringMatching(/^reference-host only/) });
    expect(byId(p, 'lifecycle.reference-host-only').status).toBe('skip');
  }, 120_000);

  it('well-behaved passes, a long request included', async () => {
    const p = await goRun(fixture('well-behaved'), FIXTURE_SAMPLES);
    expect(failed(p), JSON.stringify(failed(p), null, 2)).toEqual([]);
    expect(byId(p, 'lifecycle.idle-during-work').status).toBe('pass');
    expect(byId(p, 'secrets.manager-log').status).toBe('pass');
  }, 120_000);

  it('stdout-noise and wrong-envelope: the manager refuses to register them, in its own words', async () => {
    const noise = await goRun(fixture('stdout-noise'), FIXTURE_SAMPLES);
    expect(byId(noise, 'handshake.register').message).toContain('failed to unmarshal capabilities');
    const envelope = await goRun(fixture('wrong-envelope'), FIXTURE_SAMPLES);
    expect(byId(envelope, 'handshake.register').message).toContain('unsupported type: inputRepository/v1');
    expect(envelope.checks.filter((c) => c.group === 'endpoints').every((c) => c.status === 'skip')).toBe(true);
  }, 120_000);

  it('null-response: the manager panics on the null result, and the check names the manager frame', async () => {
    const p = await goRun(fixture('null-response'), FIXTURE_SAMPLES);
    const c = byId(p, 'endpoints.inputRepository.processResource.process-a-resource');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/the manager panicked.*nil pointer dereference.*registries\/input/);
    expect(c.fix).toMatch(/dereferences/);
    expect(byId(p, 'endpoints.inputRepository.identity.identity-of-an-input').status).toBe('pass');
  }, 120_000);

  it('secret-in-logs: the marker credential shows up in the log lines the manager re-emits', async () => {
    const p = await goRun(fixture('secret-in-logs'), FIXTURE_SAMPLES);
    const c = byId(p, 'secrets.manager-log');
    expect(c.status).toBe('fail');
    expect(c.message).toContain('<secret>');
    expect(c.message).not.toMatch(/ocm-conformance-secret-[0-9a-f]{16}/);
  }, 120_000);

  it('idle-exit-during-work: with a short idle timeout the manager loses the connection mid-request', async () => {
    const p = await goRun(fixture('idle-exit-during-work'), FIXTURE_SAMPLES);
    const c = byId(p, 'lifecycle.idle-during-work');
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/failed to send request to plugin|EOF|connection/);
  }, 120_000);

  it('crash-on-bad-body: the manager sends only well-formed bodies, so only the reference host catches it', async () => {
    const p = await goRun(fixture('crash-on-bad-body'), FIXTURE_SAMPLES);
    expect(failed(p)).toEqual([]);
    expect(byId(p, 'faults.reference-host-only').status).toBe('skip');
  }, 120_000);
});

describe.skipIf(!go)('the Go harness built from the shipped sources', () => {
  // The user cache, as `--host go` uses it: built here on a fresh machine (CI), reused otherwise, and then shared
  // with the template gate instead of built twice.
  it('is built once into a cache keyed by the source hash, then reused', () => {
    const buildEnv = { ...process.env, OCM_GO_HARNESS: '' };
    const messages: string[] = [];
    const first = locateHarness(buildEnv, (m) => messages.push(m));
    expect(first.path).toBe(join(cacheRoot(buildEnv), 'harness', harnessSourceHash(), 'ocm-harness'));
    expect(statSync(first.path).mode & 0o111).not.toBe(0);
    if (first.origin === 'built') expect(messages.join('\n')).toMatch(/building the Go harness .* once per machine/);
    else expect(first.origin).toBe('cache');
    const second = locateHarness(buildEnv);
    expect(second).toMatchObject({ origin: 'cache', path: first.path });
    const r = spawnSync(first.path, ['help'], { encoding: 'utf8' });
    expect(`${r.stdout}${r.stderr}`).toContain('usage: ocm-harness -dir PLUGIN_DIR');
  }, 900_000);

  it('a different source tree gets its own cache entry', () => {
    const copy = mkdtempSync(join(tmpdir(), 'harness-src-'));
    cpSync(harnessSourceDir(), copy, { recursive: true });
    expect(harnessSourceHash(copy)).toBe(harnessSourceHash());
    writeFileSync(join(copy, 'extra.go'), 'package main\n');
    expect(harnessSourceHash(copy)).not.toBe(harnessSourceHash());
    writeFileSync(join(copy, 'extra_test.go'), 'package main\n');
    rmSync(join(copy, 'extra.go'));
    expect(harnessSourceHash(copy)).toBe(harnessSourceHash());
  });
});
