/**
 * Checks of the plugin's HTTP layer over raw connections: large `Authorization` headers followed by a request on the
 * same connection (the manager reuses pooled connections; Go accepts 1 MiB of headers), and the answers the HTTP
 * layer itself gives (unknown method, malformed request, oversized head, unknown path, wrong method), which the CLI
 * shows verbatim and so must be `text/plain`.
 */
import type { Endpoint } from '@ocm-plugin-kit/sdk/contracts';
import { encodeRequest } from '../host/client.js';
import type { PluginInstance } from '../host/process.js';
import { RawConnection, rawTarget, requestBytes, type RawResponse } from '../host/raw-http.js';
import { fail, pass, preview, warn, type BoundSample, type Outcome, type SuiteContext } from './context.js';

const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };
const PADDING_KEY = 'x-ocm-conformance-padding';
const KiB = 1024;

/** Credentials grown to about `bytes` with a padding property (inside `properties` when the sample has them). */
export function paddedCredentials(credentials: unknown, bytes: number): Record<string, unknown> {
  const pad = 'p'.repeat(bytes);
  const base = credentials && typeof credentials === 'object' && !Array.isArray(credentials) ? (credentials as Record<string, unknown>) : {};
  const props = base.properties;
  if (props && typeof props === 'object' && !Array.isArray(props)) return { ...base, properties: { ...props, [PADDING_KEY]: pad } };
  return { ...base, [PADDING_KEY]: pad };
}

/** The exact bytes the manager would send for a sample, with its credentials replaced when asked. */
export function sampleBytes(b: BoundSample, credentials: unknown): Buffer {
  const wire = encodeRequest(b.endpoint, b.sample.request, { credentials });
  const target = wire.query ? `${wire.path}?${wire.query}` : wire.path;
  const headers: Record<string, string> = { ...JSON_HEADERS };
  if (wire.headers.authorization !== undefined) headers.Authorization = wire.headers.authorization;
  return requestBytes(wire.method, target, headers, wire.body);
}

const isText = (res: RawResponse) => /^text\/plain\b/i.test(res.headers['content-type'] ?? '');
const closes = (res: RawResponse) => /\bclose\b/i.test(res.headers.connection ?? '');
const sizeName = (bytes: number) => (bytes >= 1024 * KiB ? `${bytes / 1024 / KiB} MiB` : `${bytes / KiB} KiB`);

/** Waits briefly to see whether the plugin closes a connection after an answer. */
async function closedSoon(conn: RawConnection, ms = 150): Promise<boolean> {
  return Promise.race([conn.ended.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), ms))]);
}

/** A sample to send with large credentials: one whose endpoint takes credentials, else any quick POST sample. */
function headerSample(ctx: SuiteContext): BoundSample | undefined {
  const quick = ctx.successSamples({ long: false });
  return quick.find((b) => b.endpoint.auth !== 'never') ?? quick.find((b) => b.endpoint.method === 'POST') ?? quick[0];
}

async function largeAuthorization(inst: PluginInstance, b: BoundSample): Promise<Outcome> {
  let conn = new RawConnection(rawTarget(inst.location));
  const notes: string[] = [];
  try {
    for (const size of [64 * KiB, 1024 * KiB]) {
      const what = `a ${sizeName(size)} Authorization header`;
      let res: RawResponse;
      try {
        res = await conn.exchange(sampleBytes(b, paddedCredentials(b.sample.credentials, size)));
      } catch (err) {
        return fail(
          `${what} got no answer: ${(err as Error).message}`,
          'accept request headers up to at least 1 MiB, as the Go manager does (Node.js: http.createServer({ maxHeaderSize: 2 * 1024 * 1024 }))',
        );
      }
      if (res.status === 431) {
        const reuse = closes(res)
          ? ''
          : ' It also did not say `Connection: close`, so the manager reuses the connection and the next call fails with "connection reset" or "broken pipe".';
        return fail(
          `${what} was refused with ${res.status}: ${preview(res.body)}. The Go manager sends credentials (certificate chains, kubeconfigs, long tokens) in this header and accepts 1 MiB of headers itself.${reuse}`,
          'accept request headers up to at least 1 MiB (Node.js: http.createServer({ maxHeaderSize: 2 * 1024 * 1024 }))',
        );
      }
      if (res.status !== 200) notes.push(`${what}: ${res.status} ${preview(res.body, 120)}`);
      if (closes(res)) {
        // Announced: the manager opens a new connection for its next call.
        conn.destroy();
        conn = new RawConnection(rawTarget(inst.location));
      } else if (await closedSoon(conn)) {
        return fail(
          `after answering ${what} (${res.status}) the plugin closed the connection without announcing it; the manager reuses pooled connections, so its next call fails with "connection reset" or "broken pipe"`,
          'keep the connection open, or send `Connection: close` with the answer and close only after it is flushed',
        );
      }
    }
    let plain: RawResponse;
    try {
      plain = await conn.exchange(sampleBytes(b, b.sample.credentials));
    } catch (err) {
      return fail(
        `after the large headers, the next request on the same connection failed: ${(err as Error).message} (the manager reuses pooled connections)`,
        'keep the connection usable after large headers',
      );
    }
    // The connection is what is checked here; whether the body is right is the endpoint checks' business.
    if (plain.status !== 200)
      return fail(
        `after the large headers, "${b.sample.name}" on the same connection got ${plain.status}: ${preview(plain.body)}`,
        'keep the connection usable after large headers',
      );
    if (notes.length)
      return warn(
        `large credentials were served but not with 200 (the sample with extra padding credentials):\n${notes.join('\n')}`,
        'ignore credential properties you do not use',
      );
    return pass(`64 KiB and 1 MiB Authorization headers, then "${b.sample.name}", on one connection`);
  } finally {
    conn.destroy();
  }
}

interface FrameworkCase {
  readonly name: string;
  readonly bytes: Buffer;
  /** Refused by the HTTP parser: the connection cannot be reused, so the answer must say `Connection: close`. */
  readonly refusal: boolean;
  /** A 200 is acceptable (a plugin may accept heads that large). */
  readonly mayServe?: boolean;
  /** Sent and answered first on the same connection, as on a pooled connection of the manager. */
  readonly first?: Buffer;
}

function frameworkCases(ep: Endpoint, b: BoundSample | undefined): FrameworkCase[] {
  const other = ep.method === 'POST' ? 'GET' : 'POST';
  const cases: FrameworkCase[] = [
    // A server may route any method token (Go's mux does); only a refusal has to be text/plain.
    { name: `an unknown method (FOO ${ep.path})`, bytes: requestBytes('FOO', ep.path, JSON_HEADERS, '{}'), refusal: true, mayServe: true },
    { name: 'a malformed request line', bytes: Buffer.from(`POST ${ep.path} HTTP/9\r\nHost: unix\r\n\r\n`, 'latin1'), refusal: true },
    {
      name: 'a header line without a colon',
      bytes: Buffer.from(`POST ${ep.path} HTTP/1.1\r\nHost unix\r\nContent-Length: 0\r\n\r\n`, 'latin1'),
      refusal: true,
    },
    { name: 'an unknown path', bytes: requestBytes('POST', '/ocm-conformance/no-such-endpoint', JSON_HEADERS, '{}'), refusal: false },
    { name: `${other} ${ep.path}`, bytes: requestBytes(other, ep.path, JSON_HEADERS, other === 'POST' ? '{}' : undefined), refusal: false, mayServe: true },
  ];
  if (b) {
    const huge = sampleBytes(b, paddedCredentials(b.sample.credentials, 4 * 1024 * KiB));
    cases.push({ name: 'a 4 MiB Authorization header', bytes: huge, refusal: true, mayServe: true });
    cases.push({
      name: 'a 4 MiB Authorization header on a connection that served a request before',
      bytes: huge,
      refusal: true,
      mayServe: true,
      first: sampleBytes(b, b.sample.credentials),
    });
  }
  return cases;
}

async function frameworkErrors(ctx: SuiteContext, inst: PluginInstance, ep: Endpoint, b: BoundSample | undefined): Promise<Outcome> {
  const problems: string[] = [];
  const seen: string[] = [];
  for (const c of frameworkCases(ep, b)) {
    const conn = new RawConnection(rawTarget(inst.location));
    try {
      let res: RawResponse;
      try {
        if (c.first) await conn.exchange(c.first, 15_000);
        res = await conn.exchange(c.bytes, 15_000);
      } catch (err) {
        problems.push(`${c.name}: no answer (${(err as Error).message}); the manager shows only "EOF" or "connection reset"`);
        continue;
      }
      if (res.status === 200) {
        if (!c.mayServe) problems.push(`${c.name}: answered 200`);
        continue;
      }
      seen.push(`${c.name} → ${res.status}`);
      ctx.errorBodies.push({ where: `${c.name}`, status: res.status, body: res.body });
      if (!isText(res))
        problems.push(
          `${c.name}: ${res.status} with Content-Type ${res.headers['content-type'] ?? '(none)'} and body ${preview(res.body, 120) || '(empty)'}; the CLI shows error bodies verbatim`,
        );
      else if (res.body.trim() === '') problems.push(`${c.name}: ${res.status} with an empty body; the manager shows "(no details were given)"`);
      if (c.refusal && !closes(res) && (await closedSoon(conn)))
        problems.push(
          `${c.name}: ${res.status}, then the connection was closed without \`Connection: close\` in the answer; the manager would reuse it and its next call fail`,
        );
    } finally {
      conn.destroy();
    }
  }
  const alive = await inst.request('GET', '/healthz', { bare: true }).catch((e: Error) => e);
  if (alive instanceof Error) problems.push(`the plugin stopped answering afterwards: ${alive.message}`);
  if (problems.length)
    return fail(
      problems.join('\n'),
      'answer every non-200, also those of the HTTP layer (400 bad method or request line, 431, 404, 405), with a text/plain message naming the plugin and the problem, and `Connection: close` when the connection will not be served again',
    );
  return pass(seen.join('; '));
}

/** The header and HTTP-layer checks (faults group). */
export async function headChecks(ctx: SuiteContext): Promise<void> {
  const b = headerSample(ctx);
  if (!b) {
    ctx.skipCheck(
      'faults',
      'large-authorization',
      '64 KiB and 1 MiB Authorization headers, then a request on the same connection',
      'needs a successful sample',
    );
  } else {
    await ctx.check('faults', 'large-authorization', '64 KiB and 1 MiB Authorization headers, then a request on the same connection', async () =>
      largeAuthorization(await ctx.hostInstance(), b),
    );
  }
  const ep = b?.endpoint ?? ctx.declaredKinds().flatMap((k) => k.contract?.endpoints ?? [])[0];
  if (!ep) return;
  await ctx.check(
    'faults',
    'framework-errors',
    'what the HTTP layer refuses (bad method, malformed request, huge head, unknown path, wrong method) gets a text/plain answer',
    async () => frameworkErrors(ctx, await ctx.hostInstance(), ep, b),
  );
}
