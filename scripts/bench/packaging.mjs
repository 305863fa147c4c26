#!/usr/bin/env node
/**
 * Packaging benchmark: the packaged examples/input-dir-tarball (linux-x64, `ocm-plugin build`) next to an upstream
 * Go SDK test plugin, measured in the same run, interleaved, medians. Prints figures; asserts nothing.
 *
 *   node scripts/bench/packaging.mjs [--runs 40] [--exe <packaged plugin>]
 *
 * Env: OCM_UPSTREAM_TESTPLUGINS  directory with the upstream test plugins (default /tmp/ocm-bin/testplugins;
 *                                uses test-plugin-input, the same capability kind as the example)
 *      OCM_PLUGIN_KIT_CACHE      cache of Node.js binaries/launchers (default ~/.cache/ocm-plugin-kit)
 * Without --exe the example is built for linux-x64 first (Node.js binaries from npm, ~15 s).
 *
 * Figures: `capabilities` wall time (spawn → exit, what the ocm CLI pays per plugin on every command); cold start
 * (spawn → location line → first 200 on /healthz); idle RSS 1 s after ready (VmRSS of the serving process); file
 * size. Plus the embedded Node.js's bare `node -e 0` as the floor for cold start.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '40' }, exe: { type: 'string' } } });
const RUNS = Number(values.runs);
const upstreamDir = process.env.OCM_UPSTREAM_TESTPLUGINS ?? '/tmp/ocm-bin/testplugins';
const goPlugin = join(upstreamDir, 'test-plugin-input');
if (!existsSync(goPlugin)) {
  console.error(`no upstream Go test plugin at ${goPlugin}; set OCM_UPSTREAM_TESTPLUGINS to the directory holding test-plugin-input`);
  process.exit(2);
}
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error('this benchmark runs the linux-x64 executable; run it on linux-x64');
  process.exit(2);
}

const cacheDir = process.env.OCM_PLUGIN_KIT_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? tmpdir(), '.cache'), 'ocm-plugin-kit');

async function buildExample(launcher) {
  // Bundle the SDK's CLI from source (no prior `npm run build` needed), then run `ocm-plugin build`.
  const { build } = await import('esbuild');
  const cli = join(ROOT, 'node_modules', '.cache', 'ocm-plugin-kit-bench', 'ocm-plugin.mjs');
  await build({ entryPoints: [join(ROOT, 'sdk', 'src', 'cli', 'main.ts')], outfile: cli, bundle: true, platform: 'node', format: 'esm', packages: 'external', conditions: ['source'], logLevel: 'warning' });
  const out = join(ROOT, 'node_modules', '.cache', 'ocm-plugin-kit-bench', launcher === 'none' ? 'bare' : 'bin');
  const r = spawnSync(process.execPath, [cli, 'build', '--id', 'dir-tarball', '--targets', 'linux-x64', '--out', out, '--launcher', launcher, 'src/main.ts'], {
    cwd: join(ROOT, 'examples', 'input-dir-tarball'),
    stdio: ['ignore', 'pipe', 'inherit'],
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error('ocm-plugin build failed');
  return join(out, 'dir-tarball-linux-amd64');
}

const exe = values.exe ? resolve(values.exe) : await buildExample('required');
// The same plugin without the launcher: what `capabilities` and start-up cost when Node.js answers everything.
const bareExe = await buildExample('none');
const node = join(cacheDir, 'node', '22.23.2', 'linux-x64', 'node');
const bundleFile = join(ROOT, 'node_modules', '.cache', 'ocm-plugin-kit-bench', 'dir-tarball.cjs');
{
  const { build } = await import('esbuild');
  await build({ entryPoints: [join(ROOT, 'examples', 'input-dir-tarball', 'src', 'main.ts')], outfile: bundleFile, bundle: true, platform: 'node', format: 'cjs', target: 'node22', conditions: ['source'], logLevel: 'warning' });
}
const runCache = mkdtempSync(join(tmpdir(), 'ocmkit-bench-run-'));
const env = { ...process.env, OCM_PLUGIN_KIT_CACHE: runCache };

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

function timeExit(cmd, args) {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const c = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'], env });
    c.on('error', rej);
    c.on('exit', (code) => (code === 0 ? res(ms(t0)) : rej(new Error(`${cmd} ${args.join(' ')} exited ${code}`))));
  });
}

async function coldStart(cmd, args = []) {
  const t0 = process.hrtime.bigint();
  const config = JSON.stringify({ id: 'bench', type: 'unix', pluginType: '', idleTimeout: 3_600_000_000_000 });
  const child = spawn(cmd, [...args, '--config', config], { stdio: ['ignore', 'pipe', 'ignore'], env });
  let out = '';
  const loc = await new Promise((res, rej) => {
    child.on('exit', (c) => rej(new Error(`${cmd} exited ${c} before its location line`)));
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const i = out.indexOf('\n');
      if (i >= 0) res(out.slice(0, i));
    });
  });
  const tLoc = ms(t0);
  const socketPath = loc.replace('http+unix://', '');
  await new Promise((res, rej) => {
    const q = request({ socketPath, path: '/healthz', agent: false }, (r) => {
      r.resume();
      r.on('end', () => (r.statusCode === 200 ? res() : rej(new Error(`/healthz ${r.statusCode}`))));
    });
    q.on('error', rej);
    q.end();
  });
  const tReady = ms(t0);
  return { child, tLoc, tReady };
}

async function stop(child) {
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await done;
}

function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

// First start after install: unpacks the embedded Node.js once.
const first = await coldStart(exe);
await stop(first.child);

const caps = { kit: [], go: [], nodeBundle: [], bare: [] };
const cold = { kit: [], go: [], bare: [], kitLoc: [], goLoc: [], bareLoc: [] };
const bare = [];
for (let i = 0; i < RUNS; i++) {
  caps.kit.push(await timeExit(exe, ['capabilities']));
  caps.go.push(await timeExit(goPlugin, ['capabilities']));
  bare.push(await timeExit(node, ['-e', '0']));
  if (i % 2 === 0) caps.nodeBundle.push(await timeExit(node, [bundleFile, 'capabilities']));
  if (i % 2 === 1) caps.bare.push(await timeExit(bareExe, ['capabilities']));
}
const coldRuns = Math.max(10, Math.floor(RUNS / 2));
for (let i = 0; i < coldRuns; i++) {
  for (const [name, cmd] of [['kit', exe], ['go', goPlugin], ['bare', bareExe]]) {
    const r = await coldStart(cmd);
    cold[name].push(r.tReady);
    cold[`${name}Loc`].push(r.tLoc);
    await stop(r.child);
  }
}
const rss = { kit: [], go: [] };
for (let i = 0; i < 3; i++) {
  for (const [name, cmd] of [['kit', exe], ['go', goPlugin]]) {
    const r = await coldStart(cmd);
    await new Promise((res) => setTimeout(res, 1000));
    rss[name].push(rssMiB(r.child.pid));
    await stop(r.child);
  }
}

const size = { kit: statSync(exe).size / 1048576, go: statSync(goPlugin).size / 1048576 };
const unpacked = readdirRecursiveSize(join(runCache, 'run'));
function readdirRecursiveSize(dir) {
  const r = spawnSync('du', ['-sm', dir], { encoding: 'utf8' });
  return Number(r.stdout.split('\t')[0]);
}
rmSync(runCache, { recursive: true, force: true });

const f = (n, d = 1) => n.toFixed(d);
const row = (label, kit, go, unit, d = 1) => `${label.padEnd(40)} ${f(kit, d).padStart(9)} ${f(go, d).padStart(9)} ${unit.padEnd(4)} ${f(kit / go, 2).padStart(7)}×`;
const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`packaged: ${exe}\nupstream: ${goPlugin}\nembedded Node.js ${nodeVersion}; ${RUNS} capabilities runs, ${coldRuns} cold starts, medians\n`);
console.log(`${'figure'.padEnd(40)} ${'kit'.padStart(9)} ${'go'.padStart(9)} unit   kit/go`);
console.log(row('capabilities wall time', median(caps.kit), median(caps.go), 'ms', 2));
console.log(row('cold start: location line', median(cold.kitLoc), median(cold.goLoc), 'ms'));
console.log(row('cold start: first 200 on /healthz', median(cold.kit), median(cold.go), 'ms'));
console.log(row('idle RSS (1 s after ready)', median(rss.kit), median(rss.go), 'MiB'));
console.log(row('file size', size.kit, size.go, 'MiB'));
console.log('');
console.log(`bare \`node -e 0\` (embedded Node.js):        ${f(median(bare))} ms; cold start / node -e 0 = ${f(median(cold.kit) / median(bare), 2)}×`);
console.log(`\`node bundle.cjs capabilities\`:                ${f(median(caps.nodeBundle))} ms`);
console.log(`without launcher (bare SEA, ${f(statSync(bareExe).size / 1048576)} MiB): capabilities ${f(median(caps.bare))} ms, cold start ${f(median(cold.bare))} ms`);
console.log(`first start after install (unpacks ${unpacked} MiB once): ${f(first.tReady)} ms`);
