#!/usr/bin/env node
/**
 * Start-up benchmark: the packaged examples/input-dir-tarball (linux-x64, `ocm-plugin build`) side by side with an
 * upstream Go SDK test plugin and with a fastify hello world packaged the same way (the floor: what a plugin cannot
 * beat while it is a fastify server), all measured in the same run, interleaved, medians. Prints figures; asserts
 * nothing.
 *
 *   node scripts/bench/packaging.mjs [--runs 20] [--exe <packaged plugin>]
 *
 * Env: OCM_UPSTREAM_TESTPLUGINS  directory with the upstream test plugins (default .tools/testplugins, from
 *                                `npm run setup`; uses test-plugin-input, the same capability kind as the example)
 *      OCM_CLI                   the ocm CLI for the `ocm add cv` rows (default .tools/bin/ocm; skipped without one)
 *      OCM_PLUGIN_KIT_CACHE      cache of Node.js binaries/launchers (default ~/.cache/ocm-plugin-kit)
 * Without --exe the example is built for linux-x64 first (Node.js binaries from npm, ~15 s).
 *
 * Rows: `capabilities` wall time (spawn → exit, what the ocm CLI pays per plugin on every command); cold start
 * (spawn → location line → first 200 on /healthz); `ocm add cv` with one input resource through the real CLI,
 * whole command, for the packaged plugin, the bundled `.cjs` (run by the `node` on PATH) and the Go plugin; idle
 * RSS 1 s after ready (VmRSS); file size; the main thread's CPU time until ready (schedstat: what load on the
 * machine barely moves); SIGINT → exit with one idle keep-alive connection open; the dev launcher
 * (`ocm-plugin dev install`) answering `capabilities` with unchanged sources. The floor is
 * tooling/src/dev/fastify-floor.ts, built with the same `ocm-plugin build` as the example.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { coldStart, median, rssMiB, sigintWithIdleConnection, stop, timeExit } from './process.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, exe: { type: 'string' } } });
const RUNS = Number(values.runs);
const upstreamDir = process.env.OCM_UPSTREAM_TESTPLUGINS ?? join(ROOT, '.tools', 'testplugins');
const goPlugin = join(upstreamDir, 'test-plugin-input');
if (!existsSync(goPlugin)) {
  console.error(`no upstream Go test plugin at ${goPlugin}; run \`npm run setup\`, or set OCM_UPSTREAM_TESTPLUGINS to the directory holding test-plugin-input`);
  process.exit(2);
}
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error('this benchmark runs the linux-x64 executable; run it on linux-x64');
  process.exit(2);
}
const ocmCli = [process.env.OCM_CLI, join(ROOT, '.tools', 'bin', 'ocm')].find((p) => p && existsSync(p));
if (!ocmCli) console.warn('no ocm CLI (set OCM_CLI or run `npm run setup`): the `ocm add cv` rows are skipped');

const cacheDir = process.env.OCM_PLUGIN_KIT_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? tmpdir(), '.cache'), 'ocm-plugin-kit');
const benchDir = join(ROOT, 'node_modules', '.cache', 'ocm-plugin-kit-bench');

// The kit's CLI bundled from source (no prior `npm run build` needed). The dev runtime goes next to it, where
// `ocm-plugin dev install` looks for it.
const cli = join(benchDir, 'cli', 'ocm-plugin.mjs');
{
  const { build } = await import('esbuild');
  const common = { bundle: true, platform: 'node', format: 'esm', conditions: ['source'], logLevel: 'warning' };
  // Third-party packages stay external; the kit's own come from source.
  const thirdPartyExternal = {
    name: 'third-party-external',
    setup: (b) => b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@ocm-plugin-kit/') ? undefined : { path: a.path, external: true })),
  };
  await build({ ...common, entryPoints: [join(ROOT, 'tooling', 'src', 'cli.ts')], outfile: cli, plugins: [thirdPartyExternal] });
  await build({
    ...common,
    entryPoints: [join(ROOT, 'tooling', 'src', 'dev', 'runtime.ts')],
    outfile: join(benchDir, 'cli', 'runtime.js'),
    external: ['esbuild'],
  });
}

/** The Node.js release `ocm-plugin build` embedded (its log names it). */
let embedded;
function ocmPluginBuild({ cwd, id, entry, launcher = 'required', out }) {
  const r = spawnSync(process.execPath, [cli, 'build', '--id', id, '--targets', 'linux-x64', '--out', out, '--launcher', launcher, entry], {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  process.stderr.write(r.stderr);
  if (r.status !== 0) throw new Error(`ocm-plugin build ${entry} failed`);
  embedded = /embedding Node\.js (\S+):/.exec(r.stderr)?.[1] ?? embedded;
  return join(out, `${id}-linux-amd64`);
}
const exampleDir = join(ROOT, 'examples', 'input-dir-tarball');
const exe = values.exe ? resolve(values.exe) : ocmPluginBuild({ cwd: exampleDir, id: 'dir-tarball', entry: 'src/main.ts', out: join(benchDir, 'bin') });
// The same plugin without the launcher: what `capabilities` and start-up cost when Node.js answers everything.
const bareExe = ocmPluginBuild({ cwd: exampleDir, id: 'dir-tarball', entry: 'src/main.ts', launcher: 'none', out: join(benchDir, 'bare') });
const floorExe = ocmPluginBuild({ cwd: join(ROOT, 'tooling'), id: 'fastify-floor', entry: 'src/dev/fastify-floor.ts', out: join(benchDir, 'floor') });
const node = join(cacheDir, 'node', embedded, 'linux-x64', 'node');

// The bundle as `ocm-plugin bundle` makes it: the dev loop and unpackaged use (`#!/usr/bin/env node`).
const bundleFile = join(benchDir, 'dir-tarball.cjs');
{
  const { build } = await import('esbuild');
  const helper = join(benchDir, 'bundle-helper.mjs');
  await build({
    stdin: { contents: "export { bundlePlugin } from './tooling/src/build/bundle.ts';", resolveDir: ROOT, loader: 'ts' },
    outfile: helper,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    conditions: ['source'],
    logLevel: 'warning',
  });
  const { bundlePlugin } = await import(helper);
  await bundlePlugin({ entry: join(exampleDir, 'src', 'main.ts'), outfile: bundleFile });
}

const work = mkdtempSync(join(tmpdir(), 'ocmkit-bench-'));
const runCache = join(work, 'run-cache');
const env = { ...process.env, OCM_PLUGIN_KIT_CACHE: runCache };

// The dev launcher, installed as `ocm-plugin dev install` does it.
const devPluginDir = join(work, 'dev-plugins');
{
  const r = spawnSync(
    process.execPath,
    [cli, 'dev', 'install', 'src/main.ts', '--plugin-dir', devPluginDir, '--id', 'dir-tarball', '--cache-dir', join(work, 'dev-cache')],
    { cwd: exampleDir, encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(`ocm-plugin dev install failed:\n${r.stderr}`);
}
const devLauncher = join(devPluginDir, 'dir-tarball');

/** A hermetic `ocm` workspace with one plugin installed and a constructor whose one resource uses it. */
function addCvWorkspace(key, name, executable, input) {
  const dir = join(work, `ocm-${key}`);
  mkdirSync(join(dir, 'plugins'), { recursive: true });
  mkdirSync(join(dir, 'home'));
  mkdirSync(join(dir, 'bundle'));
  writeFileSync(join(dir, 'bundle', 'app.yaml'), 'replicas: 3\n');
  symlinkSync(executable, join(dir, 'plugins', name));
  writeFileSync(join(dir, 'ocmconfig.yaml'), 'type: generic.config.ocm.software/v1\nconfigurations: []\n');
  const fields = Object.entries(input)
    .map(([k, v]) => `      ${k}: ${v}`)
    .join('\n');
  writeFileSync(
    join(dir, 'constructor.yaml'),
    `name: acme.org/bench\nversion: 1.0.0\nprovider:\n  name: acme.org\nresources:\n  - name: data\n    type: blob\n    input:\n${fields}\n`,
  );
  const wsEnv = { ...env, HOME: join(dir, 'home'), OCM_DISABLE_VERSION_CHECK: '1' };
  delete wsEnv.XDG_CONFIG_HOME;
  delete wsEnv.OCM_CONFIG;
  let n = 0;
  return () =>
    timeExit(
      ocmCli,
      [
        'add',
        'cv',
        '--repository',
        `ctf::./ctf-${n++}`,
        '--constructor',
        './constructor.yaml',
        '--config',
        './ocmconfig.yaml',
        '--plugin-directory',
        './plugins',
      ],
      wsEnv,
      dir,
    );
}
const { DIR_TARBALL } = await (async () => {
  const { build } = await import('esbuild');
  const spec = join(benchDir, 'spec.mjs');
  await build({
    entryPoints: [join(exampleDir, 'src', 'spec.ts')],
    outfile: spec,
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    conditions: ['source'],
    logLevel: 'warning',
  });
  return import(spec);
})();
const addCv = ocmCli && {
  kit: addCvWorkspace('kit', 'dir-tarball', exe, { type: DIR_TARBALL, path: './bundle' }),
  cjs: addCvWorkspace('cjs', 'dir-tarball', bundleFile, { type: DIR_TARBALL, path: './bundle' }),
  go: addCvWorkspace('go', 'test-plugin-input', goPlugin, { type: 'DummyRepository/v1', baseUrl: 'https://example.org' }),
};

// First start after install: unpacks the embedded Node.js once.
const first = await coldStart(exe, [], { env });
await stop(first.child);
{
  const f = await coldStart(floorExe, [], { env });
  await stop(f.child);
}

const PLUGINS = { kit: exe, go: goPlugin, floor: floorExe };
const fig = {};
const put = (name, key, v) => {
  fig[key] ??= {};
  fig[key][name] ??= [];
  fig[key][name].push(v);
};
const bare = [];
for (let i = 0; i < RUNS; i++) {
  const order = i % 2 ? Object.entries(PLUGINS).reverse() : Object.entries(PLUGINS);
  for (const [name, cmd] of order) put(name, 'caps', await timeExit(cmd, ['capabilities'], env));
  put('kit', 'dev', await timeExit(devLauncher, ['capabilities'], env));
  bare.push(await timeExit(node, ['-e', '0'], env));
  if (i % 2 === 0) put('kit', 'cjsCaps', await timeExit(process.execPath, [bundleFile, 'capabilities'], env));
  if (i % 2 === 1) put('kit', 'bareCaps', await timeExit(bareExe, ['capabilities'], env));
}
const coldRuns = Math.max(10, RUNS);
for (let i = 0; i < coldRuns; i++) {
  const order = i % 2 ? Object.entries(PLUGINS).reverse() : Object.entries(PLUGINS);
  for (const [name, cmd] of order) {
    const r = await coldStart(cmd, [], { env });
    put(name, 'loc', r.tLoc);
    put(name, 'ready', r.tReady);
    put(name, 'cpu', r.cpuReady);
    put(name, 'sigint', await sigintWithIdleConnection(r));
  }
  if (i % 2 === 0) {
    const r = await coldStart(bareExe, [], { env });
    put('kit', 'bareReady', r.tReady);
    await stop(r.child);
  }
}
if (addCv) {
  const addRuns = Math.max(5, Math.floor(RUNS / 2));
  for (let i = 0; i < addRuns; i++) {
    for (const name of i % 2 ? ['go', 'cjs', 'kit'] : ['kit', 'cjs', 'go']) put(name, 'addCv', await addCv[name]());
  }
}
for (let i = 0; i < 3; i++) {
  for (const [name, cmd] of Object.entries(PLUGINS)) {
    const r = await coldStart(cmd, [], { env });
    await new Promise((res) => setTimeout(res, 1000));
    put(name, 'rss', rssMiB(r.child.pid));
    await stop(r.child);
  }
}

const du = (dir) => Number(spawnSync('du', ['-sm', dir], { encoding: 'utf8' }).stdout.split('\t')[0]);
const unpacked = du(join(runCache, 'run'));
rmSync(work, { recursive: true, force: true });

const m = (key, name) => (fig[key]?.[name] ? median(fig[key][name]) : NaN);
const f = (n, d = 1) => (Number.isFinite(n) ? n.toFixed(d) : '—');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}×` : '—');
const row = (label, kit, go, floor, unit, d = 1) =>
  `| ${label} | ${f(kit, d)} ${unit} | ${f(go, d)} ${Number.isFinite(go) ? unit : ''} | ${f(floor, d)} ${Number.isFinite(floor) ? unit : ''} | ${ratio(kit, go)} | ${ratio(kit, floor)} |`;
const size = (p) => statSync(p).size / 1048576;
const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`packaged: ${exe}\nupstream: ${goPlugin}\nfloor:    ${floorExe}`);
console.log(
  `embedded Node.js ${nodeVersion}; ${RUNS} capabilities runs, ${coldRuns} cold starts, medians; load average ${(await import('node:os')).loadavg()[0].toFixed(1)}\n`,
);
console.log('| figure | packaged TS | Go | fastify floor | TS/Go | TS/floor |');
console.log('|---|---:|---:|---:|---:|---:|');
console.log(row('`capabilities`', m('caps', 'kit'), m('caps', 'go'), m('caps', 'floor'), 'ms', 2));
console.log(row('cold start: spawn → location line', m('loc', 'kit'), m('loc', 'go'), m('loc', 'floor'), 'ms'));
console.log(row('cold start: spawn → location → `/healthz` 200', m('ready', 'kit'), m('ready', 'go'), m('ready', 'floor'), 'ms'));
console.log(row('same, main-thread CPU until `/healthz` 200', m('cpu', 'kit'), m('cpu', 'go'), m('cpu', 'floor'), 'ms'));
console.log(row('`ocm add cv`, one input resource, whole command', m('addCv', 'kit'), m('addCv', 'go'), NaN, 'ms'));
console.log(row('same with the bundled `.cjs` (node on PATH)', m('addCv', 'cjs'), m('addCv', 'go'), NaN, 'ms'));
console.log(row('idle RSS (1 s after ready)', m('rss', 'kit'), m('rss', 'go'), m('rss', 'floor'), 'MiB'));
console.log(row('file size', size(exe), size(goPlugin), size(floorExe), 'MiB'));
console.log(row('SIGINT → exit, idle keep-alive connection open', m('sigint', 'kit'), m('sigint', 'go'), m('sigint', 'floor'), 'ms', 2));
console.log(row('installed dev launcher, `capabilities`', m('dev', 'kit'), NaN, NaN, 'ms', 2));
console.log('');
console.log(
  `bare \`node -e 0\` (embedded Node.js ${nodeVersion}): ${f(median(bare))} ms; cold start / node -e 0 = ${ratio(m('ready', 'kit'), median(bare))}, floor / node -e 0 = ${ratio(m('ready', 'floor'), median(bare))}`,
);
console.log(`\`${process.execPath} bundle.cjs capabilities\` (Node.js ${process.version}): ${f(m('cjsCaps', 'kit'))} ms`);
console.log(`without launcher (bare SEA, ${f(size(bareExe))} MiB): capabilities ${f(m('bareCaps', 'kit'))} ms, cold start ${f(m('bareReady', 'kit'))} ms`);
console.log(`first start after install (unpacks ${unpacked} MiB once): ${f(first.tReady)} ms`);
