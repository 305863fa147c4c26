/**
 * Shutdown with a request in flight, for any plugin: a request whose head has arrived but whose last body byte is
 * held back is in flight for as long as the suite wants, without needing a slow sample. After the signal the plugin
 * must answer it, close the connection and exit promptly; at the end of its grace period it must answer what is
 * still running (503), never end the stream bare (the user would see `Post "http://unix/…": EOF`).
 */
import { decodeResponse } from '../host/client.js';
import type { PluginInstance } from '../host/process.js';
import { RawConnection, rawTarget, requestBytes, type RawResponse } from '../host/raw-http.js';
import { exitWithin, fail, pass, preview, sleep, warn, type BoundSample, type Outcome, type SuiteContext } from './context.js';
import { sampleBytes } from './heads.js';

/** A 200 whose body the manager can decode (the files it points to may be gone: the plugin is stopping). */
function judgeBody(b: BoundSample, res: RawResponse): Outcome {
  if (res.status !== 200) return fail(`expected 200, got ${res.status}: ${preview(res.body)}`);
  const { problems } = decodeResponse(b.endpoint, res.body);
  return problems.length ? fail(`the 200 body is not usable by the manager: ${problems.join('; ')}`) : pass();
}

/** The kit's variable for the shutdown grace period; the suite shortens it to reach the grace limit quickly. */
export const GRACE_ENV = 'OCM_PLUGIN_SHUTDOWN_GRACE_MS';

/**
 * Longest exit after the last in-flight answer that passes, on a quiet machine. On a busy one the limit grows with
 * how long this plugin takes to exit with nothing in flight (measured in the same check), up to
 * {@link EXIT_AFTER_ANSWER_CAP_MS}.
 */
export const EXIT_AFTER_ANSWER_MS = 1000;

/**
 * The limit never grows past this: the defect the check is for waits out the grace period (the kit's default is 5 s)
 * or the keep-alive timeout, well beyond it.
 */
const EXIT_AFTER_ANSWER_CAP_MS = 4000;

/** How long to wait for the plugin to read a half-sent request's head: this many round trips of /healthz, at least 150 ms. */
const HEAD_READ_ROUND_TRIPS = 20;

/** Grace period the suite asks for in the grace check. */
const GRACE_MS = 300;

/** How long the grace check holds the request back before giving up on a grace limit. */
const HOLD_MS = 8000;

/**
 * Opens a connection and sends a request but its last byte. The plugin must have read the head before the signal,
 * or the connection counts as idle and is rightly closed: the wait grows with the plugin's round trip time, which a
 * loaded machine stretches.
 */
async function halfSent(inst: PluginInstance, bytes: Buffer): Promise<RawConnection> {
  const conn = new RawConnection(rawTarget(inst.location));
  const t = performance.now();
  await conn.exchange(requestBytes('GET', '/healthz', {}));
  const roundTrip = performance.now() - t;
  await conn.write(bytes.subarray(0, bytes.length - 1));
  await sleep(Math.min(Math.max(150, roundTrip * HEAD_READ_ROUND_TRIPS), 3000));
  return conn;
}

/** Milliseconds from SIGTERM to exit of a fresh instance with nothing in flight; undefined when it did not exit. */
async function idleExitMs(ctx: SuiteContext): Promise<number | undefined> {
  const inst = await ctx.launch();
  await ctx.prime(inst);
  const signalled = performance.now() - inst.startedAt;
  inst.child.kill('SIGTERM');
  const exit = await exitWithin(inst, ctx.timings.shutdownMs);
  if (!exit) {
    await inst.kill();
    return undefined;
  }
  return Math.max(0, exit.atMs - signalled);
}

async function exitAfterAnswer(ctx: SuiteContext, b: BoundSample): Promise<Outcome> {
  const idleExit = await idleExitMs(ctx);
  const limit = Math.round(Math.min(EXIT_AFTER_ANSWER_CAP_MS, Math.max(EXIT_AFTER_ANSWER_MS, 2 * (idleExit ?? 0) + 250)));
  const inst = await ctx.launch();
  await ctx.prime(inst);
  // A pooled connection with nothing in flight, as the manager leaves them: it must not hold up the exit either.
  const pooled = new RawConnection(rawTarget(inst.location));
  await pooled.exchange(requestBytes('GET', '/healthz', {}));
  const bytes = sampleBytes(b, b.sample.credentials);
  const conn = await halfSent(inst, bytes);
  try {
    inst.child.kill('SIGTERM');
    await sleep(300);
    await conn.write(bytes.subarray(bytes.length - 1)).catch(() => undefined);
    const res = await conn.read(ctx.timings.shutdownMs).catch((e: Error) => e);
    const answeredAtMs = performance.now() - inst.startedAt;
    // The body only: a plugin removes the files it handed out when it stops, which it does right after answering.
    const judged = res instanceof Error ? undefined : judgeBody(b, res);
    const exit = await exitWithin(inst, ctx.timings.shutdownMs);
    if (res instanceof Error || !judged)
      return fail(
        `the request in flight at SIGTERM got no answer: ${res instanceof Error ? res.message : ''}`,
        'on SIGTERM stop accepting new connections but answer the requests in flight',
      );
    if (judged.status !== 'pass')
      return fail(`"${b.sample.name}", in flight at SIGTERM, was not served: ${judged.message}`, 'answer the requests in flight before exiting');
    if (!exit) {
      await inst.kill();
      return fail(
        `answered the request in flight but was still running ${ctx.timings.shutdownMs / 1000} s later; the manager's registries SIGKILL after 10 s`,
        'close each connection once its last answer is written and exit',
      );
    }
    if (exit.code !== 0)
      return fail(`exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`} after SIGTERM`, 'exit 0 after a graceful shutdown');
    const after = Math.max(0, Math.round(exit.atMs - answeredAtMs));
    const scale = `limit ${limit} ms; with nothing in flight it exited ${idleExit === undefined ? '(not at all)' : `${Math.round(idleExit)} ms`} after SIGTERM`;
    if (after > limit) {
      const open = conn.state === 'open' || pooled.state === 'open' ? ' (the connection that carried it stayed open)' : '';
      return fail(
        `exited ${after} ms after answering the last request in flight${open} (${scale}): shutdown waited for open keep-alive connections instead of closing them`,
        `after SIGINT/SIGTERM answer in-flight requests with \`Connection: close\`, close idle keep-alive connections, and exit right after the last answer (within ${EXIT_AFTER_ANSWER_MS} ms)`,
      );
    }
    return pass(
      `answered ${res.status}${/\bclose\b/i.test(res.headers.connection ?? '') ? ' with Connection: close' : ''}; exited ${after} ms later (${scale})`,
    );
  } finally {
    conn.destroy();
    pooled.destroy();
  }
}

async function graceAnswer(ctx: SuiteContext, b: BoundSample): Promise<Outcome> {
  const inst = await ctx.launch({ env: { ...(ctx.env ?? process.env), [GRACE_ENV]: String(GRACE_MS) } });
  await ctx.prime(inst);
  const bytes = sampleBytes(b, b.sample.credentials);
  const conn = await halfSent(inst, bytes);
  try {
    const signalled = performance.now();
    inst.child.kill('SIGINT');
    let res: RawResponse | Error = await conn.read(HOLD_MS).catch((e: Error) => e);
    const ms = Math.round(performance.now() - signalled);
    let held = true;
    if (res instanceof Error && conn.state === 'open') {
      // No grace limit within the hold: let the request finish.
      held = false;
      await conn.write(bytes.subarray(bytes.length - 1)).catch(() => undefined);
      res = await conn.read(ctx.timings.shutdownMs).catch((e: Error) => e);
    }
    const exit = await exitWithin(inst, ctx.timings.shutdownMs);
    if (!exit) await inst.kill();
    if (res instanceof Error) {
      return fail(
        `a request still running ${held ? `${ms} ms after SIGINT (grace period asked for: ${GRACE_MS} ms via ${GRACE_ENV})` : 'after SIGINT'} was cut off without an answer: ${res.message}. The user sees \`Post "http://unix${b.endpoint.path}": EOF\``,
        'at the end of the grace period answer every request still running with 503 and a text/plain message that the plugin is shutting down',
      );
    }
    if (!held) {
      return warn(
        `the request was held ${HOLD_MS / 1000} s after SIGINT without an answer and then served ${res.status}: no grace limit was seen (the manager's registries SIGKILL after 10 s, leaving the user a bare EOF)`,
        `bound the shutdown grace period (the kit's default is 5 s), answer what is still running then with 503, and read the period from ${GRACE_ENV} so this can be tested`,
      );
    }
    ctx.errorBodies.push({ where: `${b.endpoint.path} (grace period over)`, status: res.status, body: res.body });
    if (res.status === 200)
      return fail(
        `a request whose body never finished was answered 200 at the grace limit: ${preview(res.body)}`,
        'answer 503 to requests still running at the end of the grace period',
      );
    if (!/^text\/plain\b/i.test(res.headers['content-type'] ?? '') || res.body.trim() === '') {
      return fail(
        `the request still running at the grace limit got ${res.status} with Content-Type ${res.headers['content-type'] ?? '(none)'} and body ${preview(res.body, 120) || '(empty)'}; the CLI shows it verbatim`,
        'answer 503 with a text/plain message that the plugin is shutting down',
      );
    }
    if (exit && exit.code !== 0)
      return fail(`exited with ${exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`} after the grace period`, 'exit 0 after a graceful shutdown');
    if (res.status !== 503)
      return warn(
        `the request still running at the grace limit got ${res.status}: ${preview(res.body, 160)}`,
        'answer 503 (Service Unavailable): the plugin is shutting down',
      );
    return pass(`503 after ${ms} ms (grace ${GRACE_MS} ms): ${preview(res.body, 160)}`);
  } finally {
    conn.destroy();
  }
}

/** The shutdown checks (lifecycle group). */
export async function drainChecks(ctx: SuiteContext): Promise<void> {
  const b = ctx.successSamples({ long: false }).find((x) => x.endpoint.method === 'POST');
  const titles = {
    exit: `SIGTERM with a request in flight: it is answered and the process exits within ${EXIT_AFTER_ANSWER_MS / 1000} s of the answer`,
    grace: 'a request still running when the shutdown grace period ends gets a 503 with a message, not a bare EOF',
  };
  if (!b) {
    ctx.skipCheck('lifecycle', 'sigterm-exit', titles.exit, 'needs a successful sample for a POST endpoint');
    ctx.skipCheck('lifecycle', 'grace-503', titles.grace, 'needs a successful sample for a POST endpoint');
    return;
  }
  await ctx.check('lifecycle', 'sigterm-exit', titles.exit, () => exitAfterAnswer(ctx, b));
  await ctx.check('lifecycle', 'grace-503', titles.grace, () => graceAnswer(ctx, b));
}
