#!/usr/bin/env node
/**
 * The packaged examples/input-dir-tarball (linux-x64) with each embedded Node.js line, side by side: same run,
 * interleaved, medians. Prints figures; asserts nothing.
 *
 *   node scripts/bench/runtimes.mjs [--runs 20] [--node 22 --node 26 …]
 *
 * Each --node (default: 22 and 26) is passed to `ocm-plugin build --targets linux-x64 --launcher required`.
 * Figures: `capabilities` wall time (answered by the launcher); cold start (spawn → location line, → first 200 on
 * /healthz); idle RSS 1 s after ready (VmRSS) and peak RSS over start + one request + 1 s idle (`/usr/bin/time -v`,
 * "Maximum resident set size"); file size, unpacked runtime size; first start after install (unpack).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { coldStart, median, rssMiB, stop, timeExit } from './process.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' }, node: { type: 'string', multiple: true, default: ['22', '26'] } } });
const RUNS = Number(values.runs);
if (process.platform !== 'linux' || process.arch !== 'x64') {
  console.error('this benchmark runs the linux-x64 executables; run it on linux-x64');
  process.exit(2);
}
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
if (!TIME) console.warn('no /usr/bin/time (apt install time): peak RSS is not measured');

const benchDir = join(ROOT, 'node_modules', '.cache', 'ocm-plugin-kit-bench');
const { build } = await import('esbuild');
const cli = join(benchDir, 'ocm-plugin.mjs');
// Third-party packages stay external; the kit's own come from source.
const thirdPartyExternal = {
  name: 'third-party-external',
  setup: (b) => b.onResolve({ filter: /^[^./]/ }, (a) => (a.path.startsWith('@ocm-plugin-kit/') ? undefined : { path: a.path, external: true })),
};
await build({
  entryPoints: [join(ROOT, 'tooling', 'src', 'cli.ts')],
  outfile: cli,
  bundle: true,
  platform: 'node',
  format: 'esm',
  plugins: [thirdPartyExternal],
  conditions: ['source'],
  logLevel: 'warning',
});

/** Builds the example with `--node <request>`; returns the executable and the version the build embedded. */
function buildWith(node) {
  const out = join(benchDir, `node${node}`);
  const r = spawnSync(
    process.execPath,
    [cli, 'build', '--id', 'dir-tarball', '--targets', 'linux-x64', '--out', out, '--launcher', 'required', '--node', node, 'src/main.ts'],
    {
      cwd: join(ROOT, 'examples', 'input-dir-tarball'),
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`ocm-plugin build --node ${node} failed:\n${r.stderr}`);
  const version = /embedding Node\.js (\S+):/.exec(r.stderr)?.[1] ?? node;
  return { name: version, exe: join(out, 'dir-tarball-linux-amd64') };
}
const variants = values.node.map(buildWith);

const runCaches = new Map(variants.map((v) => [v, mkdtempSync(join(tmpdir(), 'ocmkit-bench-run-'))]));
const envOf = (v) => ({ ...process.env, OCM_PLUGIN_KIT_CACHE: runCaches.get(v) });
/** Starts the plugin (optionally under /usr/bin/time -v), waits for the location line and one 200 on /healthz. */
const start = (v, timed = false) => coldStart(timed ? TIME : v.exe, timed ? ['-v', v.exe] : [], { env: envOf(v), stderr: timed });

const first = new Map();
for (const v of variants) {
  const r = await start(v);
  first.set(v, r.tReady);
  await stop(r.child);
}
const fig = new Map(variants.map((v) => [v, { caps: [], loc: [], ready: [], rss: [], peak: [] }]));
for (let i = 0; i < RUNS; i++) {
  for (const v of i % 2 ? [...variants].reverse() : variants) {
    const f = fig.get(v);
    f.caps.push(await timeExit(v.exe, ['capabilities'], envOf(v)));
    const r = await start(v);
    f.loc.push(r.tLoc);
    f.ready.push(r.tReady);
    await stop(r.child);
  }
}
for (let i = 0; i < 3; i++) {
  for (const v of variants) {
    const f = fig.get(v);
    const r = await start(v);
    await new Promise((res) => setTimeout(res, 1000));
    f.rss.push(rssMiB(r.child.pid));
    await stop(r.child);
    if (TIME) {
      // The launcher exec()s Node.js, so time's child is the plugin process itself.
      const t = await start(v, true);
      await new Promise((res) => setTimeout(res, 1000));
      // SIGINT to the plugin (time's child), not to time.
      const kid = spawnSync('pgrep', ['-P', String(t.child.pid)], { encoding: 'utf8' }).stdout.trim();
      const done = new Promise((res) => t.child.once('exit', res));
      if (kid) process.kill(Number(kid), 'SIGINT');
      await done;
      const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(t.stderr())?.[1];
      if (kb) f.peak.push(Number(kb) / 1024);
    }
  }
}
const du = (dir) => Number(spawnSync('du', ['-sm', dir], { encoding: 'utf8' }).stdout.split('\t')[0]);

const cols = variants.map((v) => `Node.js ${v.name}`);
const line = (label, values, unit, d = 1) => `| ${label} | ${values.map((x) => `${x.toFixed(d)} ${unit}`).join(' | ')} |`;
console.log(
  `examples/input-dir-tarball, linux-x64, launcher; ${RUNS} interleaved runs, medians; load average ${(await import('node:os')).loadavg()[0].toFixed(1)}\n`,
);
console.log(`| figure | ${cols.join(' | ')} |`);
console.log(`|---|${cols.map(() => '---:').join('|')}|`);
console.log(
  line(
    '`capabilities` wall time',
    variants.map((v) => median(fig.get(v).caps)),
    'ms',
    2,
  ),
);
console.log(
  line(
    'cold start: spawn → location line',
    variants.map((v) => median(fig.get(v).loc)),
    'ms',
  ),
);
console.log(
  line(
    'cold start: spawn → first 200 on `/healthz`',
    variants.map((v) => median(fig.get(v).ready)),
    'ms',
  ),
);
console.log(
  line(
    'idle RSS, 1 s after ready',
    variants.map((v) => median(fig.get(v).rss)),
    'MiB',
  ),
);
if (TIME)
  console.log(
    line(
      'peak RSS (start, one request, 1 s idle)',
      variants.map((v) => median(fig.get(v).peak)),
      'MiB',
    ),
  );
console.log(
  line(
    'file size',
    variants.map((v) => statSync(v.exe).size / 1048576),
    'MiB',
  ),
);
console.log(
  line(
    'unpacked runtime',
    variants.map((v) => du(join(runCaches.get(v), 'run'))),
    'MiB',
    0,
  ),
);
console.log(
  line(
    'first start after install (unpack)',
    variants.map((v) => first.get(v)),
    'ms',
    0,
  ),
);
for (const dir of runCaches.values()) rmSync(dir, { recursive: true, force: true });
