/**
 * `--host ocm`: scenarios with the real `ocm` CLI v0.13.0 made from each example's samples pass for every kind the
 * CLI reaches; a failing scenario names the command, its exit code and its stderr. `--host all` runs the three
 * hosts and names each with its version in the JSON and JUnit reports.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { examplePlugin, examplePlugins } from '../../scripts/examples.js';
import { toolOrSkip } from '../../scripts/tools.js';
import { runHosts } from '../src/hosts/run-hosts.js';
import type { ConformanceReport, PluginReport } from '../src/index.js';
import { parseXml } from './helpers.js';

const ocm = toolOrSkip('ocmCli', '--host ocm with the real ocm CLI');
const harness = toolOrSkip('goHarness', '--host all (the Go plugin manager)');
const env = { ...process.env, OCM_CLI: ocm, OCM_GO_HARNESS: harness };

/** Every example plugin installed extension-less in one directory, as the CLI needs them. */
function pluginDir(...ids: string[]): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocm-host-examples-'));
  for (const id of ids) symlinkSync(examplePlugin(id).executable, join(dir, id));
  return dir;
}

const status = (p: PluginReport | undefined, id: string) => p?.checks.find((c) => c.id === id)?.status;

describe.skipIf(!ocm)('--host ocm', () => {
  it.each([
    ['dir-tarball', 'input-dir-tarball', ['dir-tarball'], 'endpoints.ocm.add-cv.input'],
    ['ed25519-signer', 'signing-ed25519', ['ed25519-signer'], 'endpoints.ocm.sign-verify'],
    ['component-directory', 'cvr-directory', ['component-directory'], 'endpoints.ocm.get-cv.resolver'],
    ['shared-file', 'cvr-directory', ['shared-file'], 'endpoints.ocm.download-resource'],
    ['shared-file-digest', 'cvr-directory', ['shared-file-digest'], 'endpoints.ocm.add-cv.digest'],
    ['credentials-file', 'credentials-file', ['credentials-file'], 'endpoints.ocm.credential-type.storetoken-examples-ocmkit-dev-v1'],
  ])(
    '%s: the scenario from its samples passes in the real CLI',
    async (id, example, ids, scenario) => {
      const samples = join(resolve(import.meta.dirname, '../../examples', example), 'conformance.samples.yaml');
      const report = await runHosts({ plugin: pluginDir(...ids), samples, hosts: ['ocm'], env });
      const p = report.plugins.find((x) => x.plugin === id);
      const failures = p?.checks.filter((c) => c.status === 'fail');
      expect(failures, JSON.stringify(failures, null, 2)).toEqual([]);
      expect(status(p, scenario), JSON.stringify(p?.checks, null, 2)).toBe('pass');
      expect(p!.checks.every((c) => c.host === 'ocm')).toBe(true);
      expect(report.hosts).toEqual([{ name: 'ocm', version: expect.stringMatching(/^ocm 0\.13\.0 /) }]);
    },
    180_000,
  );

  it('a failing scenario shows the ocm command, its exit code and its stderr tail', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocm-host-bad-'));
    const samples = join(dir, 'samples.yaml');
    writeFileSync(
      samples,
      `samples:
  - name: a directory that is not there
    endpoint: processResource
    request: {resource: {name: c, version: 1.0.0, type: blob, input: {type: DirTarball.examples.ocmkit.dev/v1, path: ${join(dir, 'missing')}}}}
`,
    );
    const report = await runHosts({ plugin: examplePlugin('dir-tarball').executable, samples, hosts: ['ocm'], env });
    const c = report.plugins[0]!.checks.find((x) => x.id === 'endpoints.ocm.add-cv.input')!;
    expect(c.status).toBe('fail');
    expect(c.message).toMatch(/^`ocm add cv --repository ctf::\.\/ctf --constructor constructor\.yaml --config \S+ --plugin-directory \S+` exited with 1:\n/);
    expect(c.message).toContain(join(dir, 'missing'));
    expect(report.ok).toBe(false);
  }, 120_000);
});

describe.skipIf(!ocm || !harness)('--host all', () => {
  const work = mkdtempSync(join(tmpdir(), 'host-all-'));
  const cli = join(work, 'ocm-plugin-conformance.mjs');
  beforeAll(async () => {
    await build({
      entryPoints: [resolve(import.meta.dirname, '../src/bin.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      conditions: ['source'],
      logLevel: 'error',
      banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    });
  });

  it('runs the reference host, the Go manager and the ocm CLI; the reports name each host and its version', () => {
    const plugin = examplePlugins().find((p) => p.id === 'dir-tarball')!;
    const started = performance.now();
    const r = spawnSync(process.execPath, [cli, plugin.executable, '--host', 'all', '--json', join(work, 'r.json'), '--junit', join(work, 'r.xml')], {
      encoding: 'utf8',
      env,
      cwd: resolve(import.meta.dirname, '../..'),
      timeout: 300_000,
    });
    console.info(`--host all for dir-tarball: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'r.json'), 'utf8')) as ConformanceReport;
    expect(report.hosts?.map((h) => h.name)).toEqual(['reference', 'go', 'ocm']);
    expect(report.hosts?.[1]?.version).toContain('plugin manager v0.0.17');
    expect(report.hosts?.[2]?.version).toMatch(/^ocm 0\.13\.0/);
    expect(report.plugins.map((p) => p.host)).toEqual(['reference', 'go', 'ocm']);
    for (const p of report.plugins) expect(p.checks.every((c) => c.host === p.host)).toBe(true);
    expect(r.stdout).toMatch(/hosts\n {2}reference: .*\n {2}go: plugin manager v0\.0\.17.*\n {2}ocm: ocm 0\.13\.0/);
    const xml = parseXml(readFileSync(join(work, 'r.xml'), 'utf8'));
    expect(xml.children.map((s) => s.attrs.name)).toEqual(['dir-tarball [reference]', 'dir-tarball [go]', 'dir-tarball [ocm]']);
    const props = xml.children.map((s) =>
      Object.fromEntries(s.children.find((c) => c.name === 'properties')!.children.map((p) => [p.attrs.name, p.attrs.value])),
    );
    expect(props.map((p) => p.host)).toEqual(['reference', 'go', 'ocm']);
    expect(props[2]!['host.version']).toMatch(/^ocm 0\.13\.0/);
  }, 300_000);
});
