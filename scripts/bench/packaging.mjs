#!/usr/bin/env node
/**
 * Packaging benchmark: the packaged examples/input-dir-tarball (linux-x64, `ocm-plugin build`) next to an upstream
 * Go SDK test plugin, measured in the same run, interleaved, medians. Prints figures; asserts nothing.
 *
 *   node scripts/bench/packaging.mjs [--runs 40] [--exe <packaged plugin>]
 *
 * Env: OCM_UPSTREAM_TESTPLUGINS  directory with the upstream test plugins (default .tools/testplugins, from
 *                                `npm run setup`; uses test-plugin-input, the same capability kind as the example)
 *      OCM_PLUGIN_KIT_CACHE      cache of Node.js binaries/launchers (default ~/.cache/ocm-plugin-kit)
 * Without --exe the example is built for linux-x64 first (Node.js binaries from npm, ~15 s).
 *
 * Figures: `capabilities` wall time (spawn → exit, what the ocm CLI pays per plugin on every command); cold start
 * (spawn → location line → first 200 on /healthz); idle RSS 1 s after ready (VmRSS of the serving process); file
 * size. Plus the embedded Node.js's bare `node -e 0` as the floor for cold start, and two servers without plugin
 * code started the same way (node:http alone, fastify as the SDK configures it) to show how much of the rest is
 * the framework.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { coldStart, median, rssMiB, stop, timeExit } from './process.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '40' }, exe: { type: 'string' } } });
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

const cacheDir = process.env.OCM_PLUGIN_KIT_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(process.env.HOME ?? tmpdir(), '.cache'), 'ocm-plugin-kit');

async function buildExample(launcher) {
  // Bundle the SDK's CLI from source (no prior `npm run build` needed), then run `ocm-plugin build`.
  const { build } = await import('esbuild');
  const cli = join(ROOT, 'node_modules', '.cache', 'ocm-plugin-kit-bench', 'ocm-plugin.mjs');
  await build({ entryPoints: [join(ROOT, 'sdk', 'src', 'cli', 'main.ts')], outfile: cli, bundle: true, platform: 'node', format: 'esm', packages: 'external', conditions: ['source'], logLevel: 'warning' });
  const out = join(ROOT, 'node_modules', '.cache', 'ocm-plugin-kit-bench', launcher === 'none' ? 'bare' : 'bin');
  const r = spawnSync(process.execPath, [cli, 'build', '--id', 'dir-tarball', '--targets', 'linux-x64', '--out', out, '--launcher', launcher, 'src/main.ts'], {
    cwd: join(ROOT, 'examples', 'input-dir-tarball'),
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  process.stderr.write(r.stderr);
  if (r.status !== 0) throw new Error('ocm-plugin build failed');
  embedded = /embedding Node\.js (\S+):/.exec(r.stderr)?.[1] ?? embedded;
  return join(out, 'dir-tarball-linux-amd64');
}

/** The Node.js release `ocm-plugin build` embedded (its log names it). */
let embedded;
const exe = values.exe ? resolve(values.exe) : await buildExample('required');
// The same plugin without the launcher: what `capabilities` and start-up cost when Node.js answers everything.
const bareExe = await buildExample('none');
const node = join(cacheDir, 'node', embedded, 'linux-x64', 'node');
const benchDir = join(ROOT, 'node_modules', '.cache', 'ocm-plugin-kit-bench');
// The SDK's own bundling and code-cache functions, from source.
const { bundlePlugin, compileScriptSource, makeCodeCache, wrapCommonJs } = await (async () => {
  const { build } = await import('esbuild');
  const helper = join(benchDir, 'build-helpers.mjs');
  await build({ stdin: { contents: "export { bundlePlugin } from './tooling/src/build/bundle.ts'; export { compileScriptSource, makeCodeCache, wrapCommonJs } from './tooling/src/build/code-cache.ts';", resolveDir: ROOT, loader: 'ts' }, outfile: helper, bundle: true, platform: 'node', format: 'esm', packages: 'external', conditions: ['source'], logLevel: 'warning' });
  return import(helper);
})();
// The bundle exactly as `ocm-plugin build` makes it (deferred requires included).
const bundleFile = join(benchDir, 'dir-tarball.cjs');
await bundlePlugin({ entry: join(ROOT, 'examples', 'input-dir-tarball', 'src', 'main.ts'), outfile: bundleFile, target: `node${embedded.split('.')[0]}` });
const runCache = mkdtempSync(join(tmpdir(), 'ocmkit-bench-run-'));
const env = { ...process.env, OCM_PLUGIN_KIT_CACHE: runCache };
const timeExitEnv = (cmd, args) => timeExit(cmd, args, env);

// Floors for cold start: what a server with no plugin code costs when started the way a packaged plugin starts
// (embedded Node.js, bundle compiled through vm.Script with a code cache taken after a training start). A plain
// node:http server, and fastify as the SDK bundles and configures it (deferred modules, no schema compilers).
const floorDir = mkdtempSync(join(tmpdir(), 'ocmkit-bench-floor-'));
const floors = await (async () => {
  // A pid can come round again within a run, and a SIGINT-ed hello world leaves its socket file.
  const listen = (server) => `const sock = require('node:path').join(${JSON.stringify(floorDir)}, process.pid + '.sock');\nrequire('node:fs').rmSync(sock, { force: true });\n${server}`;
  const sources = {
    http: listen("require('node:http').createServer((q, s) => s.end()).listen(sock, () => process.stdout.write('http+unix://' + sock + '\\n'));"),
    fastify: listen("const app = require('fastify')({ logger: false, schemaController: { compilersFactory: { buildValidator: () => () => () => true, buildSerializer: () => () => JSON.stringify } } });\napp.get('/healthz', (q, r) => r.send());\napp.listen({ path: sock }).then(() => process.stdout.write('http+unix://' + sock + '\\n'));"),
  };
  const loader = join(benchDir, 'floor-loader.cjs');
  writeFileSync(loader, [
    "const { readFileSync } = require('node:fs');",
    'const [source, cache] = process.argv.splice(2, 2);',
    `const script = ${compileScriptSource("readFileSync(source, 'latin1')", 'readFileSync(cache)')};`,
    "if (script.cachedDataRejected) throw new Error('code cache rejected');",
    'script.runInThisContext()(exports, require, module, __filename, __dirname);',
  ].join('\n'));
  const out = {};
  for (const [name, src] of Object.entries(sources)) {
    const entry = join(benchDir, `floor-${name}.cjs`);
    writeFileSync(entry, src);
    await bundlePlugin({ entry, outfile: join(benchDir, `floor-${name}.bundle.cjs`), target: `node${embedded.split('.')[0]}` });
    const wrapped = wrapCommonJs(readFileSync(join(benchDir, `floor-${name}.bundle.cjs`), 'utf8'));
    const made = await makeCodeCache({ node, wrappedSource: wrapped });
    if (!made.warmed) throw new Error(`floor ${name}: ${made.reason}`);
    writeFileSync(join(benchDir, `floor-${name}.wrapped.cjs`), wrapped);
    writeFileSync(join(benchDir, `floor-${name}.codecache`), made.cache);
    out[name] = [loader, join(benchDir, `floor-${name}.wrapped.cjs`), join(benchDir, `floor-${name}.codecache`)];
  }
  return out;
})();


// First start after install: unpacks the embedded Node.js once.
const first = await coldStart(exe, [], { env });
await stop(first.child);

const caps = { kit: [], go: [], nodeBundle: [], bare: [] };
const cold = { kit: [], go: [], bare: [], kitLoc: [], goLoc: [], bareLoc: [], http: [], fastify: [] };
const bare = [];
for (let i = 0; i < RUNS; i++) {
  caps.kit.push(await timeExitEnv(exe, ['capabilities']));
  caps.go.push(await timeExitEnv(goPlugin, ['capabilities']));
  bare.push(await timeExitEnv(node, ['-e', '0']));
  if (i % 2 === 0) caps.nodeBundle.push(await timeExitEnv(node, [bundleFile, 'capabilities']));
  if (i % 2 === 1) caps.bare.push(await timeExitEnv(bareExe, ['capabilities']));
}
const coldRuns = Math.max(10, Math.floor(RUNS / 2));
for (let i = 0; i < coldRuns; i++) {
  for (const [name, cmd] of [['kit', exe], ['go', goPlugin], ['bare', bareExe]]) {
    const r = await coldStart(cmd, [], { env });
    cold[name].push(r.tReady);
    cold[`${name}Loc`].push(r.tLoc);
    await stop(r.child);
  }
  for (const name of ['http', 'fastify']) {
    const [loader, ...files] = floors[name];
    const r = await coldStart(node, [loader, ...files], { env });
    cold[name].push(r.tReady);
    await stop(r.child);
  }
}
rmSync(floorDir, { recursive: true, force: true });
const rss = { kit: [], go: [] };
for (let i = 0; i < 3; i++) {
  for (const [name, cmd] of [['kit', exe], ['go', goPlugin]]) {
    const r = await coldStart(cmd, [], { env });
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
console.log(`cold-start floors, same loader and code cache: node:http hello ${f(median(cold.http))} ms (${f(median(cold.http) / median(bare), 2)}× node -e 0); fastify hello ${f(median(cold.fastify))} ms (${f(median(cold.fastify) / median(bare), 2)}×)`);
console.log(`\`node bundle.cjs capabilities\`:                ${f(median(caps.nodeBundle))} ms`);
console.log(`without launcher (bare SEA, ${f(statSync(bareExe).size / 1048576)} MiB): capabilities ${f(median(caps.bare))} ms, cold start ${f(median(cold.bare))} ms`);
console.log(`first start after install (unpacks ${unpacked} MiB once): ${f(first.tReady)} ms`);
