#!/usr/bin/env node
/**
 * Stress benchmark: tail latency under concurrency and blob throughput of the bundled examples, side by side with
 * the upstream Go SDK test plugins and with `cp` / GNU `gzip`, measured in the same run. Prints figures; asserts
 * nothing (the machine is shared and noisy: compare the ratios, and the CPU seconds, which do not depend on load).
 *
 *   node scripts/bench/stress.mjs [--part latency|manager|blobs|all] [--callers 64] [--requests 20] [--rounds 3]
 *                                 [--size-mib 1024]
 *
 * latency: <callers> concurrent callers, each sending <requests> requests over its own kept-alive connection to
 *   the unix socket: the ed25519 signer's /sign and the upstream test-plugin-signinghandler's /sign, <rounds> rounds
 *   taking turns. Prints the median over rounds of p50/p99/max latency, requests per second, plugin CPU and peak RSS.
 * manager: the same calls through the real Go plugin manager (v0.0.17, as in the ocm CLI v0.13.0): the Go harness's
 *   `load` verb registers a plugin directory, warms up, then makes <callers> × <requests> calls at once through
 *   SigningRegistry.GetPlugin(...).Sign and reports the same figures. Plugins run at their default log level, as
 *   under the CLI. The harness is OCM_GO_HARNESS, else built once from conformance/go into the user cache.
 * blobs: a <size-mib> MiB random file through shared-file's /resource/add (the upload path: read, SHA-256, write)
 *   next to `cp` and to node:crypto's SHA-256 of the file alone, and blob-gzip's gzip -1 next to GNU `gzip -1`. Prints MiB/s, CPU seconds and peak RSS.
 *
 * Needs the bundles in examples/<x>/dist (any `npx vitest run` builds them). Env: OCM_UPSTREAM_TESTPLUGINS
 * (default .tools/testplugins, then /tmp/ocm-bin/testplugins), BENCH_DIR for the scratch files. Linux only (/proc).
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  copyFileSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  rmSync,
} from 'node:fs';
import { Pool } from 'undici';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { locateHarness } from '@ocm-plugin-kit/conformance';
import { managerConfigJson, parseLocationLine } from '@ocm-plugin-kit/sdk/host-facts';
import { median } from './process.mjs';

const ROOT = resolve(import.meta.dirname, '..', '..');
const { values } = parseArgs({
  options: {
    part: { type: 'string', default: 'all' },
    callers: { type: 'string', default: '64' },
    requests: { type: 'string', default: '20' },
    rounds: { type: 'string', default: '3' },
    'size-mib': { type: 'string', default: '1024' },
  },
});
const CALLERS = Number(values.callers);
const PER_CALLER = Number(values.requests);
const ROUNDS = Number(values.rounds);
const SIZE = Number(values['size-mib']) * 1024 * 1024;
const upstream = [process.env.OCM_UPSTREAM_TESTPLUGINS, join(ROOT, '.tools/testplugins'), '/tmp/ocm-bin/testplugins'].find((d) => d && existsSync(d));
const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ocmkit-stress-'));
const MiB = (n) => (n / 1024 / 1024).toFixed(0);

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
function peakRss(pid) {
  return Number(/^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) * 1024;
}

/** Starts a plugin as the manager does and returns a client over kept-alive unix-socket connections. */
async function startPlugin(executable, id, maxSockets = CALLERS) {
  const child = spawn(executable, ['--config', managerConfigJson(id)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: work, OCM_PLUGIN_LOG_LEVEL: 'warn' },
  });
  child.stderr.resume();
  const location = await new Promise((ok, fail) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (out.includes('\n')) ok(out.slice(0, out.indexOf('\n')).trim());
    });
    child.once('exit', (code) => fail(new Error(`${id} exited ${code} before printing its location`)));
  });
  const { socketPath } = parseLocationLine(location);
  // Kept-alive connections, as many as callers: each caller's requests find an idle one.
  const pool = new Pool('http://unix', { connect: { socketPath }, connections: maxSockets });
  const post = async (path, body, headers = {}) => {
    const res = await pool.request({ path, method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const text = await res.body.text();
    if (res.statusCode !== 200) throw new Error(`${id} ${path}: ${res.statusCode} ${text}`);
    return text ? JSON.parse(text) : undefined;
  };
  return {
    post,
    pid: child.pid,
    stop: () =>
      new Promise((ok) => {
        void pool.destroy();
        child.once('exit', ok);
        child.kill('SIGINT');
      }),
  };
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/** One round of <callers> × <requests> calls on a started plugin: latencies, throughput, CPU. */
async function latencyRound(plugin, call) {
  // Warm-up: open every connection and let the JIT settle, as a long-running CLI command would.
  await Promise.all(Array.from({ length: CALLERS }, () => call(plugin)));
  const times = [];
  const cpu0 = cpuSeconds(plugin.pid);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CALLERS }, async () => {
      for (let i = 0; i < PER_CALLER; i++) {
        const t = performance.now();
        await call(plugin);
        times.push(performance.now() - t);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  times.sort((a, b) => a - b);
  return {
    p50: pct(times, 50),
    p99: pct(times, 99),
    max: times[times.length - 1],
    rps: times.length / seconds,
    cpu: cpuSeconds(plugin.pid) - cpu0,
    calls: times.length,
  };
}

/** A table row from rounds: the median of each figure. */
function medianRow(what, rounds, rss) {
  const m = (k) => median(rounds.map((r) => r[k]));
  return {
    what,
    'calls/round': rounds[0].calls,
    'p50 ms': m('p50').toFixed(1),
    'p99 ms': m('p99').toFixed(1),
    'max ms': m('max').toFixed(1),
    'req/s': m('rps').toFixed(0),
    'CPU µs/call': ((m('cpu') / rounds[0].calls) * 1e6).toFixed(0),
    'peak RSS MiB': MiB(rss),
  };
}

/** Targets of the latency parts: the TypeScript signer and the upstream Go test plugin, with the same digest. */
function signers() {
  const ts = {
    label: 'ed25519-signer (bundle)',
    executable: join(ROOT, 'examples/signing-ed25519/dist/ed25519-signer.cjs'),
    id: 'ed25519-signer',
    request: { digest: DIGEST, config: { type: 'Ed25519.examples.ocmkit.dev/v1' } },
    credentials: { type: 'Credentials/v1', properties: { privateKey: ED25519_KEY } },
  };
  const go = upstream && {
    label: 'Go test-plugin-signinghandler',
    executable: join(upstream, 'test-plugin-signinghandler'),
    id: 'test-plugin-signinghandler',
    request: { digest: DIGEST, config: { type: 'DummyRepository/v1', baseUrl: 'https://keys.example' } },
    credentials: {},
  };
  if (!go) console.error('no upstream Go test plugins (set OCM_UPSTREAM_TESTPLUGINS): the Go baseline is left out');
  return [ts, go].filter((t) => t && existsSync(t.executable));
}

function printLatency(title, rows) {
  console.log(title);
  console.table(rows);
  const [ts, go] = rows;
  if (ts && go)
    console.log(
      `p99 ratio (signer / Go): ${(Number(ts['p99 ms']) / Number(go['p99 ms'])).toFixed(2)} (goal: within 2); CPU per call ${(Number(ts['CPU µs/call']) / Number(go['CPU µs/call'])).toFixed(1)}×`,
    );
}

const DIGEST = {
  hashAlgorithm: 'SHA-256',
  normalisationAlgorithm: 'jsonNormalisation/v4alpha1',
  value: '3e92a30d8f22ccc39135c8fe6164d3f9c9bd1a15dace19985c390d1ede6a05e8',
};
const ED25519_KEY = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIIG9c/xkfn/fDE0/Ysoi+BD+/uWGjSu7XdLB6UxVtD8f\n-----END PRIVATE KEY-----\n';

async function latencyPart() {
  const targets = signers();
  const plugins = await Promise.all(targets.map((t) => startPlugin(t.executable, t.id)));
  const rounds = targets.map(() => []);
  // Rounds take turns, so that load from elsewhere on the machine falls on both alike.
  for (let r = 0; r < ROUNDS; r++) {
    for (const [i, t] of targets.entries()) {
      const headers = { Authorization: JSON.stringify(t.credentials) };
      rounds[i].push(await latencyRound(plugins[i], (p) => p.post('/sign', t.request, headers)));
    }
  }
  const rows = targets.map((t, i) => medianRow(`${t.label} /sign`, rounds[i], peakRss(plugins[i].pid)));
  await Promise.all(plugins.map((p) => p.stop()));
  printLatency(
    `latency, straight to the socket: ${CALLERS} callers × ${PER_CALLER} requests, each caller on its own kept-alive connection; medians of ${ROUNDS} rounds`,
    rows,
  );
}

/** The Go environment of `npm run setup` (module proxy), for building the harness. */
function goEnv() {
  const env = { ...process.env };
  const out = execFileSync(process.execPath, [join(ROOT, 'scripts/setup-tools.mjs'), '--go-env'], { encoding: 'utf8' });
  for (const m of out.matchAll(/^export (\w+)='(.*)'$/gm)) env[m[1]] = m[2];
  return env;
}

/** One `ocm-harness load` run against a plugin directory holding one plugin. */
function managerRound(harness, dir, t) {
  const args = [
    '-dir',
    dir,
    '-loglevel',
    'error',
    'load',
    '-kind',
    'signingHandler',
    '-endpoint',
    'sign',
    '-request',
    JSON.stringify(t.request),
    '-credentials',
    JSON.stringify(t.credentials),
    '-callers',
    String(CALLERS),
    '-requests',
    String(PER_CALLER),
  ];
  const r = spawnSync(harness, args, { encoding: 'utf8', env: { ...process.env, TMPDIR: work }, maxBuffer: 16 << 20 });
  if (r.status !== 0) throw new Error(`ocm-harness load (${t.label}) exited ${r.status}: ${r.stdout}${r.stderr.slice(-2000)}`);
  const report = JSON.parse(r.stdout);
  const plugin = report.plugins[0] ?? { cpuSeconds: NaN, peakRssMiB: NaN };
  return {
    p50: report.p50Ms,
    p99: report.p99Ms,
    max: report.maxMs,
    rps: report.callsPerSecond,
    cpu: plugin.cpuSeconds,
    calls: report.calls,
    rss: plugin.peakRssMiB * 1024 * 1024,
  };
}

async function managerPart() {
  const harness = locateHarness(goEnv(), (m) => process.stderr.write(`${m}\n`)).path;
  const targets = signers();
  const dirs = targets.map((t) => {
    const dir = join(work, `plugins-${t.id}`);
    mkdirSync(dir, { recursive: true });
    copyFileSync(t.executable, join(dir, t.id));
    chmodSync(join(dir, t.id), 0o755);
    return dir;
  });
  const rounds = targets.map(() => []);
  for (let r = 0; r < ROUNDS; r++) for (const [i, t] of targets.entries()) rounds[i].push(managerRound(harness, dirs[i], t));
  const rows = targets.map((t, i) => medianRow(`${t.label} Sign`, rounds[i], median(rounds[i].map((x) => x.rss))));
  printLatency(
    `latency through the Go plugin manager v0.0.17 (ocm-harness load): ${CALLERS} callers × ${PER_CALLER} calls after a warm-up; medians of ${ROUNDS} rounds`,
    rows,
  );
}

async function timedSpawn(cmd, args) {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (r.status !== 0) throw new Error(`${cmd} failed: ${r.stderr}`);
  const [user, sys, kib] = r.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { seconds: (performance.now() - t) / 1000, cpu: user + sys, rss: kib * 1024 };
}

/** SHA-256 of `file` in this process, 1 MiB reads on one thread: time and CPU without a process start in them. */
function hashInProcess(file) {
  const t = performance.now();
  const c0 = process.cpuUsage();
  const hash = createHash('sha256');
  const fd = openSync(file, 'r');
  const buf = Buffer.allocUnsafe(1 << 20);
  try {
    for (;;) {
      const n = readSync(fd, buf);
      if (n === 0) break;
      hash.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  hash.digest();
  const c = process.cpuUsage(c0);
  return { seconds: (performance.now() - t) / 1000, cpu: (c.user + c.system) / 1e6, rss: NaN };
}

async function blobsPart() {
  const file = join(work, 'blob.bin');
  process.stderr.write(`writing ${MiB(SIZE)} MiB of random bytes to ${file}\n`);
  await pipeline(
    (async function* () {
      for (let left = SIZE; left > 0; left -= 4 << 20) yield randomBytes(Math.min(4 << 20, left));
    })(),
    createWriteStream(file),
  );
  const rows = [];
  const row = (what, seconds, cpu, rss) =>
    rows.push({
      what,
      'MiB/s': (SIZE / 1024 / 1024 / seconds).toFixed(0),
      seconds: seconds.toFixed(2),
      'CPU s': cpu.toFixed(2),
      'MiB per CPU s': (SIZE / 1024 / 1024 / cpu).toFixed(0),
      'peak RSS MiB': Number.isNaN(rss) ? '—' : MiB(rss),
    });

  const cp = await timedSpawn('cp', [file, join(work, 'copy.bin')]);
  row('cp (reference)', cp.seconds, cp.cpu, cp.rss);
  rmSync(join(work, 'copy.bin'));
  // The upload must hash every byte: the same hash as the plugin computes it (OpenSSL through node:crypto, 1 MiB
  // reads, one thread) bounds it from below on this CPU. sha256sum is no bound: coreutils hashes slower than OpenSSL.
  const nodeHash = hashInProcess(file);
  row("node:crypto SHA-256 (reference: the plugin's hash alone)", nodeHash.seconds, nodeHash.cpu, nodeHash.rss);

  const shared = await startPlugin(join(ROOT, 'examples/cvr-directory/dist/shared-file.cjs'), 'shared-file', 1);
  let cpu0 = cpuSeconds(shared.pid);
  let t = performance.now();
  const target = join(work, 'share', 'uploaded.bin');
  const added = await shared.post('/resource/add', {
    resourceLocation: { type: 'localFile', value: file },
    resource: { name: 'big', version: '1.0.0', type: 'blob', relation: 'external', access: { type: 'SharedFile.examples.ocmkit.dev/v1', path: target } },
  });
  const upload = { seconds: (performance.now() - t) / 1000, cpu: cpuSeconds(shared.pid) - cpu0, rss: peakRss(shared.pid) };
  row('shared-file /resource/add (read, SHA-256, write)', upload.seconds, upload.cpu, upload.rss);
  await shared.stop();
  const h = createHash('sha256');
  await pipeline(createReadStream(target), h);
  if (h.digest('hex') !== added.resource.digest.value) throw new Error('shared-file stored other bytes than it hashed');
  rmSync(target);

  const gzip = await timedSpawn('sh', ['-c', `gzip -1 -c '${file}' > '${join(work, 'ref.gz')}'`]);
  row('GNU gzip -1 (reference)', gzip.seconds, gzip.cpu, gzip.rss);
  rmSync(join(work, 'ref.gz'));
  const gz = await startPlugin(join(ROOT, 'examples/blob-gzip/dist/blob-gzip.cjs'), 'blob-gzip', 1);
  cpu0 = cpuSeconds(gz.pid);
  t = performance.now();
  await gz.post('/blob/transform', { location: { type: 'localFile', value: file }, specification: { type: 'Gzip.examples.ocmkit.dev/v1', level: 1 } });
  const zipped = { seconds: (performance.now() - t) / 1000, cpu: cpuSeconds(gz.pid) - cpu0, rss: peakRss(gz.pid) };
  row('blob-gzip /blob/transform gzip -1', zipped.seconds, zipped.cpu, zipped.rss);
  await gz.stop();

  console.log(
    `blobs: ${MiB(SIZE)} MiB of random bytes; node ${process.version}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`,
  );
  console.table(rows);
  console.log(
    `upload vs cp: ${(cp.seconds / upload.seconds).toFixed(2)}× cp's throughput (goal ≥ 0.5); vs node:crypto's SHA-256 alone: ${(nodeHash.seconds / upload.seconds).toFixed(2)}× (cp / hash: ${(cp.seconds / nodeHash.seconds).toFixed(2)}×, the best any hashing upload can reach here)`,
  );
  console.log(
    `gzip -1: blob-gzip takes ${(zipped.seconds / gzip.seconds).toFixed(2)}× GNU gzip's time (goal ≤ 1.3); CPU ${(zipped.cpu / gzip.cpu).toFixed(2)}×`,
  );
}

try {
  mkdirSync(work, { recursive: true });
  if (values.part === 'latency' || values.part === 'all') await latencyPart();
  if (values.part === 'manager' || values.part === 'all') await managerPart();
  if (values.part === 'blobs' || values.part === 'all') await blobsPart();
} finally {
  rmSync(work, { recursive: true, force: true });
}
