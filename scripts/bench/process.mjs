/**
 * What the benchmarks share: starting a plugin as the manager does and timing it to its location line and first
 * `/healthz` answer, timing a command to its exit, stopping a plugin, reading its RSS, medians.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'undici';
import { managerConfigJson, parseLocationLine } from '@ocm-plugin-kit/sdk/host-facts';

export const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Milliseconds since `t0` (a `process.hrtime.bigint()`). */
export const ms = (t0) => Number(process.hrtime.bigint() - t0) / 1e6;

/** Wall time of `cmd args` from spawn to a zero exit. */
export function timeExit(cmd, args, env = process.env, cwd = undefined) {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const c = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], env, cwd });
    let err = '';
    c.stderr.setEncoding('utf8').on('data', (d) => (err += d));
    c.on('error', rej);
    c.on('close', (code) => (code === 0 ? res(ms(t0)) : rej(new Error(`${cmd} ${args.join(' ')} exited ${code}: ${err.slice(-2000)}`))));
  });
}

/**
 * Starts `cmd args --config <manager config>` and waits for its location line and one 200 on `/healthz`.
 * `stderr: true` keeps stderr (for `/usr/bin/time -v`).
 */
export async function coldStart(cmd, args = [], { env = process.env, stderr = false } = {}) {
  const t0 = process.hrtime.bigint();
  const child = spawn(cmd, [...args, '--config', managerConfigJson('bench')], { stdio: ['ignore', 'pipe', stderr ? 'pipe' : 'ignore'], env });
  let out = '';
  let err = '';
  child.stderr?.setEncoding('utf8').on('data', (d) => (err += d));
  const loc = await new Promise((res, rej) => {
    child.on('exit', (c) => rej(new Error(`${cmd} exited ${c} before its location line`)));
    child.stdout.setEncoding('utf8').on('data', (d) => {
      out += d;
      const i = out.indexOf('\n');
      if (i >= 0) res(out.slice(0, i));
    });
  });
  const tLoc = ms(t0);
  const { socketPath } = parseLocationLine(loc);
  const dispatcher = new Agent({ connect: { socketPath } });
  const r = await request('http://unix/healthz', { dispatcher, reset: true });
  await r.body.dump();
  void dispatcher.close();
  if (r.statusCode !== 200) throw new Error(`/healthz ${r.statusCode}`);
  const tReady = ms(t0);
  return { child, socketPath, tLoc, tReady, cpuReady: mainThreadCpuMs(child.pid), stderr: () => err };
}

/**
 * SIGINT → exit with one idle keep-alive connection open (as the manager's pooled client leaves one): one `/healthz`
 * over a keep-alive agent, then the signal. Returns the milliseconds from signal to the exit.
 */
export async function sigintWithIdleConnection({ child, socketPath }) {
  const dispatcher = new Agent({ connect: { socketPath }, connections: 1 });
  const r = await request('http://unix/healthz', { dispatcher });
  await r.body.dump();
  // Let the connection go back to the pool (open, idle).
  await new Promise((res) => setImmediate(res));
  const done = new Promise((r) => child.once('exit', r));
  const t0 = process.hrtime.bigint();
  child.kill('SIGINT');
  await done;
  const t = ms(t0);
  await dispatcher.destroy();
  return t;
}

/** SIGINT, then wait for the exit. */
export async function stop(child) {
  const done = new Promise((r) => child.once('exit', r));
  child.kill('SIGINT');
  await done;
}

/**
 * CPU time of a process's main thread so far, in ms (Linux schedstat): unlike wall time, barely moved by other load
 * on the machine. A launcher that exec()s Node.js keeps its pid, so its own time counts too.
 */
export function mainThreadCpuMs(pid) {
  try {
    return Number(readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

/** VmRSS of a process, in MiB. */
export function rssMiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}
