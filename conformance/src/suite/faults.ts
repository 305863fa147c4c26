/**
 * Fault checks: what a careless or hostile client sends must not crash the plugin, and must get a clear answer —
 * malformed, oversized and unknown-field bodies, a client that trickles its request or gives up half-way, and a
 * malformed `Authorization` header.
 */
import type { Endpoint } from '@ocm-plugin-kit/sdk/contracts';
import { encodeRequest, sendEndpoint } from '../host/client.js';
import { tail } from '../host/errors.js';
import type { PluginInstance } from '../host/process.js';
import { fail, pass, preview, sleep, warn, type BoundSample, type Outcome, type SuiteContext } from './context.js';
import { judgeError, judgeSuccess } from './endpoints.js';

/** After a fault: the process must still run and answer `/healthz`. */
async function stillAlive(inst: PluginInstance, what: string): Promise<Outcome | undefined> {
  await sleep(50);
  if (!inst.running) {
    const exit = await inst.exit;
    return fail(
      `the plugin died after ${what} (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`}); stderr tail:\n${tail(inst.stderr, 800)}`,
      'catch errors per request and answer 4xx/5xx; never let one bad request end the process',
    );
  }
  const res = await inst.request('GET', '/healthz', { bare: true }).catch((e: Error) => e);
  if (res instanceof Error) return fail(`the plugin stopped answering after ${what}: ${res.message}`, 'keep serving after a bad request');
  return undefined;
}

/** Sends bytes by hand over a fresh connection; `chunks` are written `delayMs` apart; resolves with the status line. */
function rawRequest(
  inst: PluginInstance,
  head: string,
  body: Buffer,
  options: { chunks?: number; delayMs?: number; abandonAfter?: number } = {},
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const socket = inst.connectRaw();
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(received).toString('utf8');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(text);
      resolve({ status: m ? Number(m[1]) : 0, text });
    });
    socket.on('connect', async () => {
      const payload = Buffer.concat([Buffer.from(head, 'latin1'), body]);
      if (options.abandonAfter !== undefined) {
        socket.write(payload.subarray(0, options.abandonAfter));
        await sleep(100);
        socket.destroy();
        return;
      }
      const n = options.chunks ?? 1;
      const size = Math.ceil(payload.length / n);
      for (let i = 0; i < n; i++) {
        socket.write(payload.subarray(i * size, (i + 1) * size));
        if (i < n - 1) await sleep(options.delayMs ?? 0);
      }
    });
  });
}

function httpHead(ep: Endpoint, headers: Record<string, string>, length: number): string {
  const lines = [
    `${ep.method} ${ep.path} HTTP/1.1`,
    'Host: unix',
    'User-Agent: Go-http-client/1.1',
    'Content-Type: application/json',
    'Accept: application/json',
    `Content-Length: ${length}`,
    'Connection: close',
  ];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  return `${lines.join('\r\n')}\r\n\r\n`;
}

export async function faultChecks(ctx: SuiteContext): Promise<void> {
  const posts: { kind: string; ep: Endpoint }[] = ctx
    .declaredKinds()
    .flatMap(({ kind, contract }) => (contract?.endpoints ?? []).filter((e) => e.method === 'POST').map((ep) => ({ kind, ep })));
  const quick = ctx.successSamples({ long: false });
  const firstPerEndpoint = new Map<Endpoint, BoundSample>();
  for (const b of quick) if (!firstPerEndpoint.has(b.endpoint)) firstPerEndpoint.set(b.endpoint, b);

  for (const { kind, ep } of posts) {
    await ctx.check(
      'faults',
      `malformed-body.${kind}.${ep.name}`,
      `${kind} ${ep.name}: a body that is not JSON gets a non-200 with a message, and the plugin lives on`,
      async () => {
        const inst = await ctx.hostInstance();
        const res = await sendEndpoint(inst, ep, undefined, { rawBody: '{"this is": not json' }).catch((e: Error) => e);
        const dead = await stillAlive(inst, 'a malformed body');
        if (dead) return dead;
        if (res instanceof Error) return fail(`the connection failed: ${res.message}`, 'answer 400 with a message');
        if (res.status !== 200) ctx.errorBodies.push({ where: `${ep.path} (malformed body)`, status: res.status, body: res.body });
        return judgeError(res.status, res.body, 'a malformed body');
      },
    );
  }

  const firstPost = posts[0];
  if (firstPost) {
    await ctx.check('faults', 'oversized-body', 'a 32 MiB body does not crash the plugin', async () => {
      const inst = await ctx.hostInstance();
      const body = Buffer.from(`{"x":"${'a'.repeat(32 * 1024 * 1024)}"}`);
      const res = await sendEndpoint(inst, firstPost.ep, undefined, { rawBody: body }).catch((e: Error) => e);
      const dead = await stillAlive(inst, 'a 32 MiB body');
      if (dead) return dead;
      if (res instanceof Error) return pass(`the plugin closed the connection (${res.message})`);
      if (res.status === 200) return warn(`a 32 MiB body of garbage was answered 200: ${preview(res.body)}`, 'validate requests; reject what you cannot serve');
      if (res.body.trim() === '') return warn(`answered ${res.status} without a message`, 'say why (e.g. 413: body larger than the limit)');
      ctx.errorBodies.push({ where: `${firstPost.ep.path} (oversized)`, status: res.status, body: res.body });
      return pass(`${res.status}: ${preview(res.body, 160)}`);
    });
  }

  for (const [ep, b] of firstPerEndpoint) {
    if (ep.method !== 'POST') continue;
    await ctx.check(
      'faults',
      `unknown-fields.${b.contract.kind}.${ep.name}`,
      `${b.contract.kind} ${ep.name}: unknown request fields are ignored (newer hosts add fields)`,
      async () => {
        const request = { ...(b.sample.request as Record<string, unknown>), xOcmConformanceUnknown: { added: 'by a newer host' } };
        const res = await sendEndpoint(await ctx.hostInstance(), ep, request, { credentials: b.sample.credentials });
        const judged = judgeSuccess(ep, b.contract.kind, res.status, res.body);
        return judged.status === 'pass'
          ? pass()
          : fail(
              `with an extra top-level field the request "${b.sample.name}" fails: ${judged.message}`,
              'ignore unknown fields in requests (the Go manager and its successors add fields)',
            );
      },
    );
  }

  const slow = [...firstPerEndpoint.values()].find((b) => b.endpoint.method === 'POST');
  if (!slow) {
    ctx.skipCheck('faults', 'slow-client', 'a request trickled in over 2 s is served', 'needs a successful sample for a POST endpoint');
    ctx.skipCheck(
      'faults',
      'abandoned-request',
      'a client that disconnects mid-body does not harm the plugin',
      'needs a successful sample for a POST endpoint',
    );
  } else {
    const wire = encodeRequest(slow.endpoint, slow.sample.request, { credentials: slow.sample.credentials });
    const body = Buffer.from(wire.body as string, 'utf8');
    const head = httpHead(slow.endpoint, wire.headers.authorization ? { Authorization: wire.headers.authorization } : {}, body.length);
    await ctx.check('faults', 'slow-client', 'a request trickled in over 2 s is served', async () => {
      const inst = await ctx.hostInstance();
      const res = await rawRequest(inst, head, body, { chunks: 9, delayMs: 250 });
      const dead = await stillAlive(inst, 'a slow client');
      if (dead) return dead;
      return res.status === 200
        ? pass()
        : fail(
            `a request sent in 9 pieces over 2 s got ${res.status || 'no answer'}: ${preview(res.text)}`,
            'do not time out slow request bodies within seconds (the host sets no timeout)',
          );
    });
    await ctx.check('faults', 'abandoned-request', 'a client that disconnects mid-body does not harm the plugin', async () => {
      const inst = await ctx.hostInstance();
      await rawRequest(inst, head, body, { abandonAfter: head.length + Math.floor(body.length / 2) }).catch(() => undefined);
      const dead = await stillAlive(inst, 'an abandoned request');
      if (dead) return dead;
      const res = await sendEndpoint(inst, slow.endpoint, slow.sample.request, { credentials: slow.sample.credentials });
      return judgeSuccess(slow.endpoint, slow.contract.kind, res.status, res.body);
    });
  }

  const authed = [...firstPerEndpoint.values()].filter((b) => b.endpoint.auth !== 'never');
  if (authed.length === 0) {
    ctx.skipCheck(
      'faults',
      'bad-authorization',
      'a malformed Authorization header gets a non-200 with a message',
      'needs a successful sample for an endpoint that takes credentials',
    );
  }
  for (const b of authed) {
    await ctx.check(
      'faults',
      `bad-authorization.${b.contract.kind}.${b.endpoint.name}`,
      `${b.contract.kind} ${b.endpoint.name}: a malformed Authorization header gets a non-200 with a message`,
      async () => {
        const inst = await ctx.hostInstance();
        const outcomes: Outcome[] = [];
        for (const raw of [`Bearer ${ctx.secret}`, '["not","an","object"]']) {
          const res = await sendEndpoint(inst, b.endpoint, b.sample.request, { rawAuthorization: raw });
          if (res.status !== 200) ctx.errorBodies.push({ where: `${b.endpoint.path} (bad Authorization)`, status: res.status, body: res.body });
          const dead = await stillAlive(inst, 'a malformed Authorization header');
          if (dead) return dead;
          outcomes.push(judgeError(res.status, res.body, `Authorization: ${raw.replace(ctx.secret, '<secret>')}`));
        }
        const bad = outcomes.find((o) => o.status !== 'pass');
        return bad ?? pass(outcomes.map((o) => o.message).join('; '));
      },
    );
  }
}
