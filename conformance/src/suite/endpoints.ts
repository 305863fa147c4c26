/**
 * Endpoint checks: every endpoint of every declared kind, driven by the contract tables in `KINDS` and the author's
 * samples. Valid requests must succeed with a body the manager can decode and use; invalid ones must get a non-200
 * answer with a message.
 */
import { isAbsolute } from 'node:path';
import { accessSync, constants, statSync } from 'node:fs';
import { KINDS, type Endpoint, type KindContract } from '@ocm-plugin-kit/sdk/contracts';
import { decodeResponse, sendEndpoint, specOf } from '../host/client.js';
import { HostError } from '../host/errors.js';
import { fail, pass, preview, routing, type BoundSample, type Outcome, type SuiteContext } from './context.js';

const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** Every `{type, value}` object under a key named `location` in a response. */
function locations(value: unknown, path = ''): { at: string; location: Record<string, unknown> }[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => locations(v, `${path}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  const out: { at: string; location: Record<string, unknown> }[] = [];
  for (const [k, v] of Object.entries(value)) {
    const at = path ? `${path}.${k}` : k;
    if (/location$/i.test(k) && v && typeof v === 'object' && !Array.isArray(v)) out.push({ at, location: v as Record<string, unknown> });
    else out.push(...locations(v, at));
  }
  return out;
}

/** What the manager would trip over in the files a response points to (sdk/docs/protocol.md §4.12). */
export function locationProblems(value: unknown): string[] {
  const problems: string[] = [];
  for (const { at, location } of locations(value)) {
    if (location.type !== 'localFile') {
      problems.push(`${at}.type is ${JSON.stringify(location.type)}: the manager supports only "localFile" (unsupported location type)`);
      continue;
    }
    const file = location.value;
    if (typeof file !== 'string' || file === '') {
      problems.push(`${at}.value is not a file path`);
      continue;
    }
    if (!isAbsolute(file)) problems.push(`${at}.value ${file} is relative; the manager resolves it against its own working directory`);
    try {
      if (!statSync(file).isFile()) problems.push(`${at}.value ${file} is not a regular file (the manager reads it several times, lazily)`);
      accessSync(file, constants.R_OK);
    } catch (err) {
      problems.push(
        `${at}.value ${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message} (do not delete files you hand to the host)`,
      );
    }
  }
  return problems;
}

/** Checks one 200 answer the way the manager would use it. */
export function judgeSuccess(ep: Endpoint, kind: string, status: number, body: string): Outcome {
  if (status !== 200) {
    return fail(`expected 200, got ${status}: ${preview(body)}`, 'a valid request must succeed; only 200 counts as success for the manager');
  }
  const decoded = decodeResponse(ep, body);
  const problems = [...decoded.problems, ...(decoded.problems.length === 0 ? locationProblems(decoded.value) : [])];
  if (problems.length > 0) {
    return fail(
      `the 200 body is not usable by the manager:\n${problems.map((p) => `- ${p}`).join('\n')}\nbody: ${preview(body)}`,
      `return the ${ep.name} result the ${kind} contract describes (no null where the manager dereferences, identities with "type")`,
    );
  }
  return pass();
}

/** Judges a non-200 answer to a request that must fail. */
export function judgeError(status: number, body: string, what: string): Outcome {
  if (status === 200) return fail(`${what} was answered 200: ${preview(body)}`, 'reject invalid requests with a 4xx/5xx status and a text message');
  if (body.trim() === '')
    return fail(
      `${what} got ${status} with an empty body; the manager shows "(no details were given)"`,
      'answer with a text/plain message that says what is wrong',
    );
  return pass(`${status}: ${preview(body, 160)}`);
}

async function runSample(ctx: SuiteContext, bound: BoundSample): Promise<Outcome> {
  const { sample, contract, endpoint } = bound;
  let response;
  try {
    // Invalid samples go to the plugin unchecked: the suite judges the plugin's own answer to them.
    ({ response } = await ctx.host.send(contract.kind, endpoint, sample.request, {
      credentials: sample.credentials,
      ...routing(sample),
      skipValidation: sample.expect === 'error',
    }));
  } catch (err) {
    if (err instanceof HostError && /validation of plugin .* failed/.test(err.message)) {
      return fail(
        `the sample does not pass the plugin's own jsonSchema, so the manager would never send it: ${err.message}`,
        'fix the sample, or the schema the plugin declares for this type',
      );
    }
    throw err;
  }
  ctx.durations.set(sample, response.durationMs);
  if (response.status !== 200)
    ctx.errorBodies.push({ where: `${endpoint.method} ${endpoint.path} (${sample.name})`, status: response.status, body: response.body });
  if (sample.expect === 'error') return judgeError(response.status, response.body, `invalid request "${sample.name}"`);
  return judgeSuccess(endpoint, contract.kind, response.status, response.body);
}

/** Replaces the spec in a request (deep copy), for the unknown-type probe. */
function withSpec(ep: Endpoint, request: unknown, spec: unknown): unknown {
  const copy = structuredClone(request) as Record<string, unknown>;
  const path = ep.specAt ?? [];
  let cur: Record<string, unknown> = copy;
  for (const key of path.slice(0, -1)) {
    if (!cur[key] || typeof cur[key] !== 'object') cur[key] = {};
    cur = cur[key] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  if (last !== undefined) cur[last] = spec;
  return copy;
}

async function probeInvalid(ctx: SuiteContext, contract: KindContract, ep: Endpoint, base: unknown | undefined): Promise<void> {
  const prefix = `${contract.kind}.${ep.name}`;
  if (ep.method !== 'POST' || !ep.specAt) return;
  if (base === undefined) {
    ctx.skipCheck(
      'endpoints',
      `${prefix}.unknown-type`,
      `${contract.kind} ${ep.name}: a spec of an undeclared type is rejected`,
      'needs a valid sample for this endpoint to derive the request from',
    );
  } else {
    await ctx.check('endpoints', `${prefix}.unknown-type`, `${contract.kind} ${ep.name}: a spec of an undeclared type is rejected with a message`, async () => {
      const request = withSpec(ep, base, { type: 'Undeclared.conformance.ocmkit.dev/v1' });
      const res = await sendEndpoint(await ctx.hostInstance(), ep, request, {});
      if (res.status !== 200) ctx.errorBodies.push({ where: `${ep.method} ${ep.path} (undeclared type)`, status: res.status, body: res.body });
      return judgeError(res.status, res.body, 'a spec of an undeclared type');
    });
  }
  await ctx.check('endpoints', `${prefix}.empty-body`, `${contract.kind} ${ep.name}: an empty JSON object is rejected with a message`, async () => {
    const res = await sendEndpoint(await ctx.hostInstance(), ep, {}, {});
    if (res.status !== 200) ctx.errorBodies.push({ where: `${ep.method} ${ep.path} ({})`, status: res.status, body: res.body });
    return judgeError(res.status, res.body, 'the body {}');
  });
}

export async function endpointChecks(ctx: SuiteContext): Promise<void> {
  const uncovered = ctx
    .declaredKinds()
    .filter((k) => !k.contract)
    .map((k) => k.kind);
  for (const sample of ctx.unboundSamples()) {
    if (uncovered.length > 0 && (sample.kind === undefined || uncovered.includes(sample.kind))) {
      ctx.skipCheck('endpoints', `sample.${slug(sample.name)}`, `sample "${sample.name}"`, `not run: this kit has no contract for ${uncovered.join(', ')}`);
      continue;
    }
    await ctx.check('endpoints', `sample.${slug(sample.name)}`, `sample "${sample.name}" names a declared endpoint`, () =>
      fail(
        `sample "${sample.name}" names endpoint "${sample.endpoint}"${sample.kind ? ` of kind ${sample.kind}` : ''}, which no declared kind of this plugin has`,
        `use an endpoint name from the contract: ${ctx
          .declaredKinds()
          .flatMap((k) => k.contract?.endpoints.map((e) => `${k.kind}.${e.name}`) ?? [])
          .join(', ')}`,
      ),
    );
  }
  const bound = ctx.boundSamples();
  const declared = new Set(ctx.declaredKinds().map((k) => k.kind));
  for (const kind of Object.keys(KINDS)) {
    if (!declared.has(kind)) ctx.skipCheck('endpoints', `${kind}.undeclared`, `${kind} endpoints`, `the plugin does not declare ${kind}`);
  }
  for (const { kind, contract } of ctx.declaredKinds()) {
    if (!contract) {
      ctx.skipCheck('endpoints', kind, `${kind} endpoints`, `this kit has no contract for ${kind} yet`);
      continue;
    }
    // Identity endpoints first: the manager calls them before the other endpoints of a kind.
    const ordered = [...contract.endpoints.filter((e) => e.identity), ...contract.endpoints.filter((e) => !e.identity)];
    for (const ep of ordered) {
      const mine = bound.filter((b) => b.contract === contract && b.endpoint === ep);
      if (mine.length === 0) {
        const title = `${kind} ${ep.name} (${ep.method} ${ep.path}) has a sample`;
        if (ep.optional) ctx.skipCheck('endpoints', `${kind}.${ep.name}`, title, `no sample for the optional endpoint ${ep.name}; add one to test it`);
        else
          await ctx.check('endpoints', `${kind}.${ep.name}`, title, () =>
            fail(`no sample for ${kind} ${ep.name} (${ep.method} ${ep.path}): ${ep.summary}`, `add a sample with endpoint: ${ep.name} to the samples file`),
          );
      }
      for (const b of mine) {
        await ctx.check(
          'endpoints',
          `${kind}.${ep.name}.${slug(b.sample.name)}`,
          `${kind} ${ep.name}: ${b.sample.expect === 'error' ? 'rejects' : 'serves'} "${b.sample.name}"`,
          () => runSample(ctx, b),
        );
      }
      const base = mine.find((b) => b.sample.expect === 'success')?.sample.request;
      if (specOf(ep, base) !== undefined || base === undefined) await probeInvalid(ctx, contract, ep, base);
    }
  }
}
