/** The CLI as users run it: a bundled single file, started as a process. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../src/index.js';
import { fixture, FIXTURE_SAMPLES, parseXml, TEST_FUZZ_RUNS } from '../helpers.js';

const work = mkdtempSync(join(tmpdir(), 'conformance-cli-'));
const cli = join(work, 'ocm-plugin-conformance.cjs');

function run(...args: string[]) {
  return runWith(process.env, ...args);
}

function runWith(env: NodeJS.ProcessEnv, ...args: string[]) {
  // From the repository root: the bundled CLI finds the harness sources through the installed package.
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8', timeout: 180_000, env, cwd: resolve(import.meta.dirname, '../../..') });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('ocm-plugin-conformance CLI', () => {
  beforeAll(async () => {
    await build({
      entryPoints: [resolve(import.meta.dirname, '../../src/bin.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      conditions: ['source'],
      logLevel: 'error',
    });
  });

  it('exits 0 for a conformant plugin and writes JSON and JUnit reports', () => {
    const r = run(
      fixture('well-behaved'),
      '--samples',
      FIXTURE_SAMPLES,
      '--fuzz-runs',
      String(TEST_FUZZ_RUNS),
      '--json',
      join(work, 'out/report.json'),
      '--junit',
      join(work, 'out/report.xml'),
    );
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/conformant: \d+ passed, 0 failed/);
    const report = JSON.parse(readFileSync(join(work, 'out/report.json'), 'utf8')) as ConformanceReport;
    expect(report.ok).toBe(true);
    expect(report.plugins[0]!.plugin).toBe('well-behaved');
    const xml = parseXml(readFileSync(join(work, 'out/report.xml'), 'utf8'));
    expect(xml.attrs.failures).toBe('0');
    expect(Number(xml.attrs.tests)).toBe(report.plugins[0]!.checks.length);
  }, 180_000);

  it('exits 1 with a readable report when a check fails', () => {
    const r = run(fixture('stdout-noise'), '--samples', FIXTURE_SAMPLES, '--only', 'handshake');
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL {2}stdout holds exactly one JSON document/);
    expect(r.stdout).toContain('fix: print exactly one JSON document on stdout');
    expect(r.stdout).toContain('NOT conformant');
  });

  it('tests every plugin of a directory and the discovery rules', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cli-dir-'));
    symlinkSync(fixture('wrong-envelope'), join(dir, 'wrong-envelope'));
    symlinkSync(fixture('well-behaved'), join(dir, 'good.js'));
    const r = run(dir, '--samples', FIXTURE_SAMPLES, '--only', 'handshake');
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('plugin directory');
    expect(r.stdout).toMatch(/good\.js: skipped: "good\.js" has an extension/);
    expect(r.stdout).toContain('plugin wrong-envelope');
    expect(r.stdout).not.toContain('plugin good.js');
  });

  it('exits 2 on usage errors and bad samples files', () => {
    expect(run().code).toBe(2);
    expect(run(fixture('well-behaved'), '--only', 'nope').stderr).toContain('unknown group(s) in --only: nope');
    const r = run(fixture('well-behaved'), '--samples', join(work, 'missing.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot read samples file');
    expect(run('--help').stdout).toContain('Usage: ocm-plugin-conformance');
    expect(run(fixture('well-behaved'), '--host', 'jvm').stderr).toContain('unknown host(s) in --host: jvm');
    expect(run(fixture('well-behaved'), '--host', 'go', '--target', 'head').code).toBe(2);
  });

  it('--host go without Go (and no harness built yet): exit 2, naming the Go version and how to get it', () => {
    const env: NodeJS.ProcessEnv = { PATH: dirname(process.execPath), HOME: work, XDG_CACHE_HOME: join(work, 'empty-cache') };
    const r = runWith(env, fixture('well-behaved'), '--samples', FIXTURE_SAMPLES, '--host', 'go');
    expect(r.code, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toMatch(/--host go needs the Go toolchain \(Go 1\.\d+\.\d+ or newer\)/);
    expect(r.stderr).toContain('https://go.dev/dl/');
    expect(r.stderr).toContain('OCM_GO_HARNESS');
    expect(r.stdout).toBe('');
  });
});
