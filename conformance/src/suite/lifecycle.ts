/**
 * Lifecycle checks (sdk/docs/protocol.md §1.5–§1.10): start with the manager's exact `--config`, location line,
 * `/healthz`, SIGINT, idle exit (and none while a request runs), concurrency, a stale socket from a killed process,
 * two instances at once, and — after all other groups ran — stdout silence and log lines the manager can parse.
 */
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { sendEndpoint } from '../host/client.js';
import { managerConfigJson, type PluginInstance } from '../host/process.js';
import { exitWithin, fail, pass, preview, sleep, warn, type BoundSample, type Outcome, type SuiteContext } from './context.js';
import { judgeSuccess } from './endpoints.js';
import { DEFAULT_IDLE_TIMEOUT_NS, parseLocationLine, SOCKET_PATH_MAX } from '@ocm-plugin-kit/sdk/host-facts';

const MAX_SUN_PATH = process.platform === 'linux' ? SOCKET_PATH_MAX.linux : SOCKET_PATH_MAX.darwin;

async function sendSample(instance: PluginInstance, b: BoundSample) {
  return sendEndpoint(instance, b.endpoint, b.sample.request, { credentials: b.sample.credentials });
}

function socketGone(instance: PluginInstance): string | undefined {
  if (instance.socketPath && existsSync(instance.socketPath)) return `the socket ${instance.socketPath} is still there after the exit`;
  return undefined;
}

async function expectCleanExit(instance: PluginInstance, ms: number, what: string): Promise<Outcome> {
  const exit = await exitWithin(instance, ms);
  if (!exit) {
    await instance.kill();
    return fail(
      `still running ${ms / 1000} s after ${what}; the manager's input and lister registries SIGKILL it after 10 s`,
      'on SIGINT/SIGTERM stop accepting, finish in-flight requests (bounded), remove the socket and exit 0',
    );
  }
  if (exit.code !== 0)
    return fail(
      `exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`} after ${what}${instance.stderr.trim() ? `; stderr: ${preview(instance.stderr.split('\n').slice(-5).join('\n'))}` : ''}`,
      'exit 0 after a graceful shutdown',
    );
  const left = socketGone(instance);
  if (left) return warn(left, 'remove the socket (and lock file) when shutting down');
  return pass();
}

export async function lifecycleChecks(ctx: SuiteContext): Promise<void> {
  const { timings } = ctx;
  // One process at a time, as within one ocm command; the two-instances check runs two on purpose.
  await ctx.host.shutdown();
  let first: PluginInstance | undefined;
  const start = await ctx.check('lifecycle', 'start', "starts with the manager's exact --config and prints its location line", async () => {
    first = await ctx.launch({ configJson: managerConfigJson(ctx.id) });
    const ms = first.locationMs;
    if (ms > timings.startWarnMs)
      return warn(
        `location line after ${ms} ms (the manager gives up at 30 s; ocm users wait for it on every command that needs the plugin)`,
        'start faster: load handler code lazily',
      );
    return pass(`location after ${ms} ms, ready after ${first.readyMs} ms`);
  });
  if (start.status === 'fail' || !first) {
    ctx.skipCheck('lifecycle', 'rest', 'remaining lifecycle checks', 'the plugin does not start');
    return;
  }
  await ctx.check('lifecycle', 'location', 'location line: http+unix://<absolute socket path> on stdout, first line, usable socket path length', () => {
    const problems: string[] = [];
    if (first!.locationFrom !== 'stdout') problems.push('the location line came from stderr (the manager reads stderr only after stdout closed)');
    const address = parseLocationLine(first!.location);
    if (!address || !('socketPath' in address))
      problems.push(
        `the manager sent type "unix" but the plugin printed ${first!.location}; the manager dials according to the type it sent, so every /healthz dial fails and the CLI hangs`,
      );
    else if (!isAbsolute(first!.socketPath ?? '')) problems.push(`socket path ${first!.socketPath} is not absolute`);
    else if (Buffer.byteLength(first!.socketPath ?? '') > MAX_SUN_PATH)
      problems.push(`socket path is ${Buffer.byteLength(first!.socketPath!)} bytes, more than the ${MAX_SUN_PATH} a unix socket address holds`);
    if (problems.length) return fail(problems.join('\n'), 'bind the socket, then print `http+unix://<absolute path>\\n` as the first stdout line');
    if (first!.skippedLines.length)
      return warn(
        `stdout had ${first!.skippedLines.length} line(s) before the location line: ${preview(first!.skippedLines.join('\n'))}`,
        'print nothing on stdout but the location line',
      );
    return pass(first!.location);
  });
  await ctx.check('lifecycle', 'healthz', 'GET /healthz answers 200 right after the location line', async () => {
    const res = await first!.request('GET', '/healthz', { bare: true, headers: { 'user-agent': 'Go-http-client/1.1', 'accept-encoding': 'gzip' } });
    return res.status === 200 ? pass() : warn(`GET /healthz answered ${res.status} (the manager accepts any answer)`, 'answer GET and HEAD /healthz with 200');
  });
  await ctx.check('lifecycle', 'sigint-idle', 'SIGINT: exits 0 promptly and removes its socket', async () => {
    first!.child.kill('SIGINT');
    return expectCleanExit(first!, timings.shutdownMs, 'SIGINT');
  });
  await ctx.check('lifecycle', 'config-forms', 'accepts --config=<json> and ignores unknown --config fields (configTypes, future fields)', async () => {
    const problems: string[] = [];
    for (const [label, args] of [
      ['--config=<json>', `${managerConfigJson(ctx.id)}`],
      [
        'unknown fields',
        JSON.stringify({
          id: ctx.id,
          type: 'unix',
          pluginType: 'inputRepository',
          idleTimeout: DEFAULT_IDLE_TIMEOUT_NS,
          configTypes: [{ type: 'custom.config/v1', x: '1' }],
          futureField: { a: 1 },
        }),
      ],
    ] as const) {
      try {
        const inst = label === '--config=<json>' ? await launchWithEquals(ctx, args) : await ctx.launch({ configJson: args });
        await inst.shutdown(timings.shutdownMs);
      } catch (err) {
        problems.push(`${label}: ${(err as Error).message.split('\n')[0]}`);
      }
    }
    return problems.length ? fail(problems.join('\n'), 'accept `--config <json>` and `--config=<json>`; ignore config fields you do not know') : pass();
  });
  await ctx.check('lifecycle', 'tcp', 'with "type":"tcp" prints http://127.0.0.1:<port> and serves there', async () => {
    let inst: PluginInstance;
    try {
      inst = await ctx.launch({ configJson: managerConfigJson(ctx.id, { type: 'tcp' }), locationTimeoutMs: 10_000, healthTimeoutMs: 5000 });
    } catch (err) {
      return warn(
        `tcp mode does not work: ${(err as Error).message.split('\n')[0]} (the manager uses tcp only where unix sockets are unavailable)`,
        'bind 127.0.0.1:0 and print http://127.0.0.1:<port>',
      );
    }
    await inst.shutdown(timings.shutdownMs);
    return /^http:\/\/127\.0\.0\.1:\d+$/.test(inst.location)
      ? pass(inst.location)
      : warn(`printed ${inst.location}; bind only the loopback interface`, 'bind 127.0.0.1:0');
  });
  await ctx.check('lifecycle', 'idle-exit', 'exits by itself after idleTimeout without requests, exit 0, socket removed', async () => {
    const inst = await ctx.launch({ idleTimeoutNs: timings.idleTimeoutMs * 1_000_000 });
    return expectCleanExit(inst, timings.idleTimeoutMs + timings.idleGraceMs, `an idle timeout of ${timings.idleTimeoutMs} ms`);
  });

  const long = ctx.successSamples({ long: true })[0];
  const quick = ctx.successSamples({ long: false });
  if (!long) {
    ctx.skipCheck(
      'lifecycle',
      'idle-during-work',
      'no idle exit while a request is in flight',
      'needs a sample with `long: true` (a request that takes at least ~1 s)',
    );
    ctx.skipCheck('lifecycle', 'sigint-mid-request', 'SIGINT during a request lets it finish, then exits 0', 'needs a sample with `long: true`');
  } else {
    await ctx.check('lifecycle', 'idle-during-work', 'no idle exit while a request is in flight', async () => {
      // An idle timeout well below the request's duration (40 % of what it took before, at least 200 ms).
      const idleMs = Math.round(Math.max((ctx.durations.get(long.sample) ?? 500) * 0.4, 200));
      const inst = await ctx.launch({ idleTimeoutNs: idleMs * 1_000_000 });
      await ctx.prime(inst);
      const sentAtMs = performance.now() - inst.startedAt;
      const started = performance.now();
      let res;
      try {
        res = await sendSample(inst, long);
      } catch (err) {
        const exit = inst.exitInfo ?? (await exitWithin(inst, 200));
        if (exit && exit.atMs < sentAtMs)
          return warn(
            `inconclusive: the plugin idled out (${idleMs} ms) before the request was sent; the machine may be too busy`,
            'rerun; make the long sample take longer',
          );
        return fail(
          `the request "${long.sample.name}" broke off: ${(err as Error).message}${exit ? `; the plugin exited (code ${exit.code}) ${exit.atMs} ms after start while the request was running` : ''}`,
          'stop the idle timer while any request is in flight; restart it when the last one ends',
        );
      }
      const took = Math.round(performance.now() - started);
      if (inst.exitInfo && inst.exitInfo.atMs < sentAtMs)
        return warn(`inconclusive: the plugin idled out (${idleMs} ms) before the request was sent`, 'rerun; make the long sample take longer');
      if (inst.exitInfo)
        return fail(
          `the plugin exited while "${long.sample.name}" was in flight (idle timeout ${idleMs} ms)`,
          'stop the idle timer while any request is in flight',
        );
      const judged = judgeSuccess(long.endpoint, long.contract.kind, res.status, res.body);
      if (judged.status !== 'pass') return judged;
      if (took < idleMs * 2)
        return warn(
          `"${long.sample.name}" took only ${took} ms, too short to prove anything with a ${idleMs} ms idle timeout`,
          'make the long sample take at least a second',
        );
      const after = await exitWithin(inst, idleMs + timings.idleGraceMs);
      if (!after)
        return fail(`served "${long.sample.name}" in ${took} ms, but did not idle out afterwards`, 'restart the idle timer when the last request ends');
      return pass(`request took ${took} ms with a ${idleMs} ms idle timeout; exited ${after.atMs} ms after start`);
    });
    await ctx.check('lifecycle', 'sigint-mid-request', 'SIGINT during a request lets it finish, then exits 0', async () => {
      const inst = await ctx.launch();
      await ctx.prime(inst);
      const pending = sendSample(inst, long).then(
        (r) => ({ ok: true as const, r }),
        (e: unknown) => ({ ok: false as const, e }),
      );
      // Signal well inside the request (40 % of the time it took before), so it is surely in flight even on a busy machine.
      await sleep(Math.min(Math.max((ctx.durations.get(long.sample) ?? 1000) * 0.4, 300), 2000));
      inst.child.kill('SIGINT');
      const result = await pending;
      const exit = await expectCleanExit(inst, timings.shutdownMs, 'SIGINT during a request');
      if (!result.ok)
        return fail(
          `the in-flight request "${long.sample.name}" was cut off by SIGINT: ${(result.e as Error).message}`,
          'on SIGINT stop accepting new connections but finish in-flight requests (bounded, e.g. 5 s)',
        );
      if (result.r.status !== 200)
        return fail(`the in-flight request got ${result.r.status} after SIGINT: ${preview(result.r.body)}`, 'finish in-flight requests before exiting');
      return exit;
    });
  }

  if (quick.length === 0 && !long) {
    ctx.skipCheck('lifecycle', 'concurrent', 'serves concurrent requests', 'needs at least one successful sample');
  } else {
    await ctx.check('lifecycle', 'concurrent', 'serves 8 concurrent requests (the CLI runs 4 in parallel by default)', async () => {
      const inst = await ctx.launch();
      await ctx.prime(inst);
      const pool = quick.length ? quick : [long!];
      let bad;
      try {
        const results = await Promise.all(
          Array.from({ length: 8 }, (_, i) => sendSample(inst, pool[i % pool.length]!).then((r) => ({ r, b: pool[i % pool.length]! }))),
        );
        bad = results.map(({ r, b }) => ({ b, o: judgeSuccess(b.endpoint, b.contract.kind, r.status, r.body) })).filter((x) => x.o.status !== 'pass');
      } finally {
        await inst.shutdown(timings.shutdownMs);
      }
      return bad.length
        ? fail(
            `${bad.length} of 8 concurrent requests failed; first: "${bad[0]!.b.sample.name}": ${bad[0]!.o.message}`,
            'handle concurrent requests; do not share per-request state',
          )
        : pass();
    });
  }

  await ctx.check('lifecycle', 'stale-socket', 'starts after a previous process of the same id was SIGKILLed (stale socket and lock)', async () => {
    const a = await ctx.launch();
    await a.kill();
    const b = await ctx.launch({ locationTimeoutMs: 15_000 });
    await b.shutdown(timings.shutdownMs);
    return pass();
  });
  await ctx.check('lifecycle', 'two-instances', 'two processes with the same id run side by side (two concurrent ocm commands)', async () => {
    const [a, b] = await Promise.allSettled([ctx.launch({ locationTimeoutMs: 15_000 }), ctx.launch({ locationTimeoutMs: 15_000 })]);
    const started = [a, b].filter((r): r is PromiseFulfilledResult<PluginInstance> => r.status === 'fulfilled').map((r) => r.value);
    const failed = [a, b].filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    try {
      if (failed.length)
        return fail(
          `the second process did not start: ${(failed[0]!.reason as Error).message.split('\n')[0]}`,
          'use a socket path unique to the process (e.g. a private temp directory), not one derived from the id alone',
        );
      if (a.status === 'fulfilled' && b.status === 'fulfilled' && a.value.socketPath === b.value.socketPath)
        return fail('both processes printed the same socket path', 'use a socket path unique to the process');
      await started[0]!.shutdown(timings.shutdownMs);
      const res = await started[1]!.request('GET', '/healthz', { bare: true }).catch((e: Error) => e);
      if (res instanceof Error)
        return fail(`after the first process shut down, the second no longer answers: ${res.message}`, 'remove only your own socket on shutdown');
      return pass();
    } finally {
      for (const s of started) await s.shutdown(timings.shutdownMs);
    }
  });
}

/** Starts the plugin with `--config=<json>` (one argument). */
function launchWithEquals(ctx: SuiteContext, json: string): Promise<PluginInstance> {
  return ctx.launch({ configJson: json, argvStyle: 'equals' });
}

/** After every other group: nothing on stdout after the location line, and log lines the manager can parse. */
export async function outputChecks(ctx: SuiteContext): Promise<void> {
  await ctx.check('lifecycle', 'stdout-quiet', 'nothing on stdout after the location line (nobody reads it; a full pipe blocks the plugin)', () => {
    const noisy = ctx.instances.filter((i) => i.stdoutAfterLocation.trim() !== '');
    if (noisy.length === 0) return pass(`${ctx.instances.length} processes checked`);
    return fail(
      `stdout after the location line: ${preview(noisy[0]!.stdoutAfterLocation)}`,
      'log to stderr only; never write to stdout after the location line',
    );
  });
  await ctx.check('lifecycle', 'log-lines', 'stderr lines are JSON objects with string level (DEBUG/INFO/WARN/ERROR) and msg', () => {
    const issues = ctx.instances.flatMap((i) => i.logIssues);
    if (issues.length === 0) return pass(`${ctx.instances.reduce((n, i) => n + i.logs.length, 0)} log records`);
    const bad = issues.filter((i) => i.kind === 'crash' || i.kind === 'too-long');
    const kinds = [...new Set(issues.map((i) => i.message))].slice(0, 5).join('\n');
    const fix = 'write one JSON object per line to stderr: {"time":…,"level":"INFO","msg":"…",…}; level and msg are strings';
    return bad.length ? fail(kinds, fix) : warn(`${issues.length} stderr line(s) the manager drops:\n${kinds}`, fix);
  });
}
