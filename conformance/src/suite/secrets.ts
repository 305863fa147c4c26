/**
 * Secret checks: marker credentials sent in `Authorization` must never show up on stdout, on stderr (logs) or in
 * error bodies — the manager shows error bodies to the user and re-emits log lines into the CLI's log.
 */
import { sendEndpoint } from '../host/client.js';
import { fail, pass, type SuiteContext } from './context.js';

/** Credentials carrying the marker, in the generic `Credentials/v1` shape. */
export function markerCredentials(secret: string): Record<string, unknown> {
  return { type: 'Credentials/v1', properties: { username: 'ocm-conformance', password: secret, token: secret } };
}

const containsSecret = (sample: unknown, secret: string) => JSON.stringify(sample ?? null).includes(secret);

/** Sends every sample of an endpoint that takes credentials once more, with the marker in the credentials. */
export async function sendMarkedRequests(ctx: SuiteContext): Promise<number> {
  let sent = 0;
  const inst = await ctx.hostInstance();
  for (const b of ctx.boundSamples()) {
    if (b.endpoint.auth === 'never' || b.sample.long) continue;
    const credentials = containsSecret(b.sample.credentials, ctx.secret) ? b.sample.credentials : markerCredentials(ctx.secret);
    const res = await sendEndpoint(inst, b.endpoint, b.sample.request, { credentials }).catch(() => undefined);
    sent++;
    if (res && res.status !== 200)
      ctx.errorBodies.push({ where: `${b.endpoint.method} ${b.endpoint.path} (${b.sample.name}, marker credentials)`, status: res.status, body: res.body });
  }
  return sent;
}

/** Checks everything the plugin wrote and answered for the marker. Run after the processes stopped. */
export async function secretChecks(ctx: SuiteContext, sent: number): Promise<void> {
  const mask = (text: string) => text.split(ctx.secret).join('<secret>');
  const lineWith = (text: string) => mask(text.split('\n').find((l) => l.includes(ctx.secret)) ?? '').slice(0, 300);
  await ctx.check('secrets', 'stdout', 'credentials never appear on stdout', () => {
    const hit = ctx.instances.find((i) => i.stdout.includes(ctx.secret));
    return hit ? fail(`stdout contains the marker secret: ${lineWith(hit.stdout)}`, 'never print credentials') : pass();
  });
  await ctx.check('secrets', 'stderr', 'credentials never appear in logs (stderr)', () => {
    const hit = ctx.instances.find((i) => i.stderr.includes(ctx.secret));
    return hit
      ? fail(
          `a log line contains the marker secret sent in Authorization: ${lineWith(hit.stderr)}`,
          'never log credentials or the Authorization header; mask secrets in log fields',
        )
      : pass(`${ctx.instances.length} processes, ${sent} requests with marker credentials`);
  });
  await ctx.check('secrets', 'error-bodies', 'credentials never appear in error bodies (the CLI shows them to the user)', () => {
    const hit = ctx.errorBodies.find((b) => b.body.includes(ctx.secret));
    return hit
      ? fail(
          `the ${hit.status} answer to ${hit.where} contains the marker secret: ${lineWith(hit.body)}`,
          'do not echo the Authorization header or credential values in error messages',
        )
      : pass(`${ctx.errorBodies.length} error bodies checked`);
  });
}
