#!/usr/bin/env node
/**
 * Memory and throughput of blob handling, measured on real plugin processes (not a test: run it by hand).
 *
 * Pushes one large blob (default 1 GiB of random bytes; BENCH_SIZE_MIB to change) through
 *   1. the dir-tarball input plugin (`POST /resource/process`: tar + gzip -9 of a directory holding the file),
 *   2. this blob-gzip transformer (`POST /blob/transform`: gzip -1, then gunzip back),
 * and reports for each plugin process its peak RSS (VmHWM from /proc, read before it exits, plus the RSS it
 * started with), wall-clock throughput and CPU seconds (throughput per CPU second is independent of machine load),
 * next to `cp` of the same file (its peak RSS from /usr/bin/time -v when available). Linux only (/proc). Needs the bundles in examples/<x>/dist (any
 * `npx vitest run` builds them).
 *
 *   node examples/blob-gzip/bench/bench.mjs            # BENCH_DIR=/path/with/space for the scratch files
 */
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes, createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { managerConfigJson, parseLocationLine } from '@ocm-plugin-kit/sdk/host-facts';

const ROOT = resolve(import.meta.dirname, '../../..');
const SIZE = Number(process.env.BENCH_SIZE_MIB ?? 1024) * 1024 * 1024;
const work = mkdtempSync(join(process.env.BENCH_DIR ?? tmpdir(), 'ocmkit-bench-'));
const MiB = (n) => (n / 1024 / 1024).toFixed(1);

/** CPU seconds (user + system) a process has used so far; throughput per CPU second does not depend on machine load. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in USER_HZ (100 on Linux)
}

function procStatus(pid) {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  return { rss: kib('VmRSS'), hwm: kib('VmHWM') };
}

async function startPlugin(executable, id) {
  if (!existsSync(executable)) throw new Error(`${executable} is missing: run \`npx vitest run examples/${id}\` (or the example's build script) first`);
  const child = spawn(executable, ['--config', managerConfigJson(id)], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TMPDIR: work, OCM_PLUGIN_LOG_LEVEL: 'warn' },
  });
  let err = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (err += d));
  const location = await new Promise((ok, fail) => {
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      if (out.includes('\n')) ok(out.slice(0, out.indexOf('\n')));
    });
    child.once('exit', (code) => fail(new Error(`${id} exited ${code}: ${err}`)));
  });
  const { socketPath } = parseLocationLine(location);
  const post = (path, body) =>
    new Promise((ok, fail) => {
      const data = JSON.stringify(body);
      const req = request(
        { socketPath, path, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } },
        (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d) => (text += d));
          res.on('end', () => (res.statusCode === 200 ? ok(JSON.parse(text)) : fail(new Error(`${id} ${path}: ${res.statusCode} ${text}`))));
        },
      );
      req.on('error', fail);
      req.end(data);
    });
  const startRss = procStatus(child.pid).rss;
  return {
    post,
    startRss,
    peak: () => procStatus(child.pid).hwm,
    cpu: () => cpuSeconds(child.pid),
    stop: () =>
      new Promise((ok) => {
        child.once('exit', ok);
        child.kill('SIGINT');
      }),
  };
}

async function timed(fn) {
  const t = process.hrtime.bigint();
  const result = await fn();
  return { result, seconds: Number(process.hrtime.bigint() - t) / 1e9 };
}

async function sha256(path, gunzip = false) {
  const h = createHash('sha256');
  await pipeline(createReadStream(path), ...(gunzip ? [createGunzip()] : []), h);
  return h.digest('hex');
}

const rows = [];
const row = (what, bytes, seconds, peak, startRss, cpu) =>
  rows.push({
    what,
    'MiB/s': (bytes / 1024 / 1024 / seconds).toFixed(0),
    seconds: seconds.toFixed(1),
    'CPU s': cpu === undefined ? '-' : cpu.toFixed(1),
    'MiB per CPU s': cpu === undefined || cpu === 0 ? '-' : (bytes / 1024 / 1024 / cpu).toFixed(0),
    'peak RSS MiB': peak === undefined ? '-' : MiB(peak),
    'start RSS MiB': startRss === undefined ? '-' : MiB(startRss),
  });

try {
  const dir = join(work, 'input');
  mkdirSync(dir);
  const file = join(dir, 'blob.bin');
  process.stderr.write(`writing ${MiB(SIZE)} MiB of random bytes to ${file}\n`);
  await pipeline(
    (async function* () {
      for (let left = SIZE; left > 0; left -= 4 << 20) yield randomBytes(Math.min(4 << 20, left));
    })(),
    createWriteStream(file),
  );
  const inputHash = await sha256(file);

  // /usr/bin/time -v reports cp's own peak RSS; plain cp where it is missing.
  const gnuTime = existsSync('/usr/bin/time');
  const cp = await timed(async () =>
    spawnSync(gnuTime ? '/usr/bin/time' : 'cp', [...(gnuTime ? ['-v', 'cp'] : []), file, join(work, 'copy.bin')], { encoding: 'utf8' }),
  );
  const cpPeak = /Maximum resident set size \(kbytes\): (\d+)/.exec(cp.result.stderr ?? '')?.[1];
  row('cp (same file, reference)', SIZE, cp.seconds, cpPeak ? Number(cpPeak) * 1024 : undefined);
  rmSync(join(work, 'copy.bin'));

  // 1. input plugin: directory → tar.gz (gzip -9)
  const input = await startPlugin(join(ROOT, 'examples/input-dir-tarball/dist/dir-tarball.cjs'), 'dir-tarball');
  let cpu0 = input.cpu();
  const packed = await timed(() =>
    input.post('/resource/process', {
      resource: { name: 'big', version: '1.0.0', type: 'blob', input: { type: 'DirTarball.examples.ocmkit.dev/v1', path: dir } },
    }),
  );
  row('input dir-tarball: tar + gzip -9', SIZE, packed.seconds, input.peak(), input.startRss, input.cpu() - cpu0);
  process.stderr.write(`input plugin wrote ${MiB(statSync(packed.result.location.value).size)} MiB\n`);
  await input.stop();

  // 2. transformer: gzip -1, then gunzip
  const gz = await startPlugin(join(ROOT, 'examples/blob-gzip/dist/blob-gzip.cjs'), 'blob-gzip');
  cpu0 = gz.cpu();
  const zipped = await timed(() =>
    gz.post('/blob/transform', { location: { type: 'localFile', value: file }, specification: { type: 'Gzip.examples.ocmkit.dev/v1', level: 1 } }),
  );
  row('transformer blob-gzip: gzip -1', SIZE, zipped.seconds, gz.peak(), gz.startRss, gz.cpu() - cpu0);
  cpu0 = gz.cpu();
  const unzipped = await timed(() =>
    gz.post('/blob/transform', { location: zipped.result.location, specification: { type: 'Gzip.examples.ocmkit.dev/v1', mode: 'decompress' } }),
  );
  row('transformer blob-gzip: gunzip (same process)', SIZE, unzipped.seconds, gz.peak(), gz.startRss, gz.cpu() - cpu0);
  const roundTrip = await sha256(unzipped.result.location.value);
  await gz.stop();
  if (roundTrip !== inputHash) throw new Error('gzip round trip changed the bytes');

  console.log(
    `blob: ${MiB(SIZE)} MiB random bytes; node ${process.version}; load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}; ${work}`,
  );
  console.table(rows);
  console.log('gzip round trip: bytes identical (sha256)');
} finally {
  rmSync(work, { recursive: true, force: true });
}
