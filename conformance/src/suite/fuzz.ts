/**
 * Property-based fuzzing of every endpoint that has a successful sample: the sample mutated (fields dropped, set to
 * null, to the wrong type, to odd or huge strings), bodies of the wrong JSON type, invalid UTF-8, huge bodies and
 * bodies trickled in pieces. Whatever comes, the plugin must not crash, hang or answer 5xx, and must not answer 200
 * to a body the contract or its own declared schema rejects. A failure is shrunk by fast-check to a minimal input,
 * which the report prints with the seed to replay it.
 */
import fc from 'fast-check';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Endpoint } from '@ocm-plugin-kit/sdk/contracts';
import { encodeRequest, specOf } from '../host/client.js';
import { HostError } from '../host/errors.js';
import type { PluginInstance } from '../host/process.js';
import { RawConnection, rawTarget, requestChunks, type RawResponse } from '../host/raw-http.js';
import { fail, pass, preview, type BoundSample, type Outcome, type SuiteContext } from './context.js';

/** Cases per endpoint when nothing else is said. */
export const DEFAULT_FUZZ_RUNS = 1000;

/** Environment variables: cases per endpoint, and a seed to replay a run. */
export const FUZZ_RUNS_ENV = 'OCM_CONFORMANCE_FUZZ_RUNS';
export const FUZZ_SEED_ENV = 'OCM_CONFORMANCE_FUZZ_SEED';

/**
 * An answer slower than this counts as a hang, at the least; on a slow or busy machine the limit grows with the
 * endpoint's own answer time (see {@link hangLimit}).
 */
const HANG_FLOOR_MS = 15_000;

/** A hang is an answer this many times slower than the slowest valid sample's, measured before the fuzz. */
const HANG_FACTOR = 200;

/**
 * Connections to the plugin at once. Sent one at a time, cases left the suite idle while the plugin worked and the
 * plugin idle while the suite built the next case; four keep both busy and queue little on a single-threaded plugin.
 */
export const FUZZ_CONNECTIONS = 4;

/**
 * Requests written at once on a connection before its answers are read (HTTP/1.1 pipelining): one write and a few
 * reads for many cases instead of a write and a wake-up each, on both sides. Answers come in order; those a closed or
 * stuck connection leaves owing are sent again one at a time, as the failure check needs them.
 */
export const FUZZ_PIPELINE = 16;

/** Failing cases of the parallel pass replayed one by one (to shrink them) before giving up on a reproduction. */
const REPLAYS = 3;

/** Cases per endpoint: the option, else `OCM_CONFORMANCE_FUZZ_RUNS`, else {@link DEFAULT_FUZZ_RUNS}. */
export function fuzzRuns(option?: number, env: NodeJS.ProcessEnv = process.env): number {
  if (option !== undefined) return option;
  const fromEnv = env[FUZZ_RUNS_ENV];
  return fromEnv && /^\d+$/.test(fromEnv.trim()) ? Number(fromEnv) : DEFAULT_FUZZ_RUNS;
}

type Step = readonly (string | number)[];

/** One change to a sample request. */
type Mutation =
  | { readonly op: 'delete'; readonly at: Step }
  | { readonly op: 'set'; readonly at: Step; readonly value: unknown }
  | { readonly op: 'add'; readonly at: Step; readonly key: string; readonly value: unknown }
  | { readonly op: 'huge'; readonly at: Step; readonly bytes: number };

/** One fuzz input. */
type FuzzCase =
  | { readonly kind: 'mutated'; readonly sample: number; readonly mutations: readonly Mutation[]; readonly trickle: boolean }
  | { readonly kind: 'json'; readonly value: unknown; readonly trickle: boolean }
  | { readonly kind: 'utf8'; readonly sample: number; readonly at: number; readonly bytes: readonly number[]; readonly trickle: boolean };

/** Every path in a JSON value (the root included). */
function paths(value: unknown, at: Step = []): Step[] {
  const out: Step[] = [at];
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) out.push(...paths(v, [...at, i]));
  } else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) out.push(...paths(v, [...at, k]));
  return out;
}

function clone<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T);
}

/**
 * Applies mutations to a copy of a request. `huge` makes the string of its size, or, given `marker`, a short stand-in
 * the wire encoding replaces with the bytes (see {@link spliceHuge}).
 */
function mutate(request: unknown, mutations: readonly Mutation[], marker?: (bytes: number) => string): unknown {
  let root = clone(request);
  for (const mutation of mutations) {
    // A new field is a `set` one level down.
    const m = mutation.op === 'add' ? { op: 'set' as const, at: [...mutation.at, mutation.key], value: mutation.value } : mutation;
    const value = m.op === 'huge' ? (marker ? marker(m.bytes) : 'x'.repeat(m.bytes)) : m.op === 'set' ? m.value : undefined;
    if (m.at.length === 0) {
      root = m.op === 'delete' ? undefined : value;
      continue;
    }
    let parent: unknown = root;
    for (const key of m.at.slice(0, -1)) parent = parent !== null && typeof parent === 'object' ? (parent as Record<string | number, unknown>)[key] : undefined;
    if (parent === null || typeof parent !== 'object') continue;
    const last = m.at[m.at.length - 1]!;
    if (m.op === 'delete') {
      if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
      else delete (parent as Record<string | number, unknown>)[last];
    } else {
      (parent as Record<string | number, unknown>)[last] = value;
    }
  }
  return root;
}

/**
 * Strings made only of dots and slashes name `/`, the working directory or its parents: a valid path a plugin may
 * then walk or pack whole (the file system, as root). They stay out of the fuzz.
 */
const notRootish = (s: string) => (/^[./]+$/.test(s) ? `x${s}` : s);

/**
 * Values that are wrong in many places: wrong types, nulls, odd strings. `missing` is an absolute path that does not
 * exist, in the endpoint's own temp directory: plugins that write where a request says (a shared path, a store) must
 * not leave directories anywhere else on the machine running the suite, nor files another endpoint's fuzz then reads.
 */
const oddValue = (missing: string): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.integer(),
    fc.constantFrom(-1, 0, 1.5, 1e308, -(2 ** 31), 2 ** 53),
    fc.string().map(notRootish),
    fc.string({ unit: 'grapheme' }).map(notRootish),
    fc.constantFrom('', ' ', '\u0000', '../x', missing, '%00', '\ud800', 'null', '{}', 'a/b/c:1.0'),
    fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 3 }),
    fc.dictionary(fc.string(), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 3 }),
  );

/** Invalid UTF-8 sequences: a lone continuation byte, an overlong NUL, a surrogate, a truncated sequence, 0xff. */
const badUtf8 = fc.constantFrom([0x80], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0xff], [0xf8, 0x88, 0x80, 0x80, 0x80]);

function caseArbitrary(requests: readonly unknown[], missingPath: string): fc.Arbitrary<FuzzCase> {
  const odd = oddValue(missingPath);
  // Trickled and huge bodies cost milliseconds each; they are a few per cent of the cases.
  const trickle = fc.oneof({ weight: 49, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) });
  const hugeBytes = fc.oneof(
    { weight: 4, arbitrary: fc.constant(64 * 1024) },
    { weight: 2, arbitrary: fc.constant(1024 * 1024) },
    { weight: 1, arbitrary: fc.constant(4 * 1024 * 1024) },
  );
  // Built once per sample, not once per case: the same arbitraries, so a seed draws the same cases.
  const perSample = requests.map((request, sample) => {
    const all = paths(request);
    const at = fc.constantFrom(...all);
    const objects = all.filter((p) => {
      let cur: unknown = request;
      for (const k of p) cur = (cur as Record<string | number, unknown>)[k];
      return cur !== null && typeof cur === 'object' && !Array.isArray(cur);
    });
    const choices: fc.WeightedArbitrary<Mutation>[] = [
      { weight: 6, arbitrary: fc.record({ op: fc.constant('delete' as const), at }) },
      { weight: 16, arbitrary: fc.record({ op: fc.constant('set' as const), at, value: odd }) },
      { weight: 1, arbitrary: fc.record({ op: fc.constant('huge' as const), at, bytes: hugeBytes }) },
    ];
    if (objects.length)
      choices.push({
        weight: 4,
        arbitrary: fc.record({ op: fc.constant('add' as const), at: fc.constantFrom(...objects), key: fc.string({ minLength: 1 }), value: odd }),
      });
    const mutation = fc.oneof(...choices);
    return fc.record({
      kind: fc.constant('mutated' as const),
      sample: fc.constant(sample),
      mutations: fc.array(mutation, { minLength: 1, maxLength: 3 }),
      trickle,
    });
  });
  const mutated = fc.nat({ max: requests.length - 1 }).chain((sample) => perSample[sample]!);
  const json = fc.record({ kind: fc.constant('json' as const), value: fc.jsonValue({ maxDepth: 3 }), trickle });
  const utf8 = fc.record({ kind: fc.constant('utf8' as const), sample: fc.nat({ max: requests.length - 1 }), at: fc.nat(), bytes: badUtf8, trickle });
  return fc.oneof({ weight: 8, arbitrary: mutated }, { weight: 1, arbitrary: json }, { weight: 1, arbitrary: utf8 });
}

/** A readable form of a case for the report (huge strings abbreviated). */
function describeCase(c: FuzzCase, samples: readonly BoundSample[]): string {
  const replacer = (_k: string, v: unknown) => (typeof v === 'string' && v.length > 200 ? `<${v.length} × "${v[0]}">` : v);
  switch (c.kind) {
    case 'mutated': {
      const where = (at: Step) => (at.length ? at.join('.') : '(root)');
      const ops = c.mutations.map((m) =>
        m.op === 'add'
          ? `add ${where([...m.at, m.key])} = ${JSON.stringify(m.value, replacer) ?? 'undefined'}`
          : `${m.op} ${where(m.at)}${m.op === 'set' ? ` = ${JSON.stringify(m.value, replacer) ?? 'undefined'}` : m.op === 'huge' ? ` = <${m.bytes} bytes>` : ''}`,
      );
      return `sample "${samples[c.sample]!.sample.name}" with ${ops.join('; ')}${c.trickle ? ', body trickled' : ''}\nbody: ${preview(JSON.stringify(mutate(samples[c.sample]!.sample.request, c.mutations), replacer) ?? '(none)', 600)}`;
    }
    case 'json':
      return `body ${preview(JSON.stringify(c.value, replacer) ?? '', 600)}${c.trickle ? ', trickled' : ''}`;
    case 'utf8':
      return `sample "${samples[c.sample]!.sample.name}" with the invalid UTF-8 bytes ${c.bytes.map((b) => `0x${b.toString(16)}`).join(' ')} inserted${c.trickle ? ', trickled' : ''}`;
  }
}

/** Whether the host would call a body invalid: the contract's request schema, or the declared schema of a typed spec. */
function schemaInvalid(ctx: SuiteContext, b: BoundSample, value: unknown): string | undefined {
  const parsed = b.endpoint.request.safeParse(value);
  if (!parsed.success)
    return `the ${b.contract.kind} contract rejects it (${parsed.error.issues[0]?.path.join('.') || '(root)'}: ${parsed.error.issues[0]?.message})`;
  const spec = specOf(b.endpoint, value);
  if (!b.endpoint.specAt || !ctx.registered || spec === null || typeof spec !== 'object' || typeof (spec as { type?: unknown }).type !== 'string')
    return undefined;
  try {
    ctx.host.validateSpec(ctx.registered, b.contract.kind, spec);
    return undefined;
  } catch (err) {
    return err instanceof HostError ? `the plugin's declared schema rejects the spec (${err.message})` : undefined;
  }
}

/**
 * Huge strings are all `x`: encoded, one is its bytes as they are. The body is encoded with a short stand-in for each
 * and the bytes spliced in, which spares encoding, escaping and copying megabytes in the suite; the wire bytes are the
 * same.
 */
const HUGE_MARK = `ocm-fuzz-huge-${Math.random().toString(36).slice(2)}-`;
const hugeFill = new Map<number, Buffer>();
function spliceHuge(json: string): Buffer[] {
  if (!json.includes(HUGE_MARK)) return [Buffer.from(json, 'utf8')];
  const parts: Buffer[] = [];
  const re = new RegExp(`${HUGE_MARK}(\\d+)`, 'g');
  let last = 0;
  for (let m = re.exec(json); m; m = re.exec(json)) {
    const bytes = Number(m[1]);
    let x = hugeFill.get(bytes);
    if (!x) {
      x = Buffer.alloc(bytes, 'x');
      hugeFill.set(bytes, x);
    }
    parts.push(Buffer.from(json.slice(last, m.index), 'utf8'), x);
    last = m.index + m[0].length;
  }
  parts.push(Buffer.from(json.slice(last), 'utf8'));
  return parts;
}

/** A case on the wire: its bytes (in pieces), and why a 200 to it would be wrong (worked out only for a 200). */
interface Wire {
  readonly bytes: readonly Buffer[];
  readonly invalid: () => string | undefined;
}

const valid = () => undefined;

/** The wire bytes of a case, and whether a 200 to it is wrong. */
function wireOf(ctx: SuiteContext, c: FuzzCase, samples: readonly BoundSample[], ep: Endpoint): Wire {
  const base = samples[c.kind === 'json' ? 0 : c.sample]!;
  const credentials = base.sample.credentials;
  const headers = (auth: string | undefined): Record<string, string> => ({
    'Content-Type': 'application/json',
    Accept: 'application/json',
    ...(auth !== undefined ? { Authorization: auth } : {}),
  });
  const huge = c.kind === 'mutated' && ep.method !== 'GET' && c.mutations.some((m) => m.op === 'huge');
  const value =
    c.kind === 'mutated'
      ? mutate(base.sample.request, c.mutations, huge ? (bytes) => `${HUGE_MARK}${bytes}` : undefined)
      : c.kind === 'json'
        ? c.value
        : base.sample.request;
  if (ep.method === 'GET') {
    // Query strings carry only strings: what the plugin sees is not the mutated value, so only crashes, hangs and 5xx
    // count. A request that is not an object has no parameters; it goes as one.
    const isObject = value !== null && typeof value === 'object' && !Array.isArray(value);
    const wire = encodeRequest(ep, isObject ? value : {}, { credentials });
    const query = isObject ? wire.query : `q=${encodeURIComponent(JSON.stringify(value) ?? '')}`;
    return { bytes: requestChunks('GET', query ? `${ep.path}?${query}` : ep.path, headers(wire.headers.authorization)), invalid: valid };
  }
  const wire = encodeRequest(ep, value ?? null, { credentials });
  const json = typeof wire.body === 'string' ? wire.body : value === undefined ? '' : JSON.stringify(value);
  if (c.kind === 'utf8') {
    const body = Buffer.from(json, 'utf8');
    const at = body.length === 0 ? 0 : c.at % body.length;
    return {
      bytes: requestChunks('POST', ep.path, headers(wire.headers.authorization), [body.subarray(0, at), Buffer.from(c.bytes), body.subarray(at)]),
      invalid: valid,
    };
  }
  // The schemas see the value the plugin parses: the huge strings themselves.
  const invalid = () =>
    value === undefined
      ? 'the body is empty'
      : schemaInvalid(ctx, base, huge ? mutate(base.sample.request, (c as Extract<FuzzCase, { kind: 'mutated' }>).mutations) : value);
  return { bytes: requestChunks('POST', ep.path, headers(wire.headers.authorization), huge ? spliceHuge(json) : [Buffer.from(json, 'utf8')]), invalid };
}

/** What sending a request came to: an answer (and how long it took), or a problem. */
interface SendResult {
  readonly res?: RawResponse;
  readonly problem?: string;
  readonly ms?: number;
}

/**
 * Sends cases to one plugin process, starting a new one when it died, over a few kept-alive connections used in
 * turn (a connection the plugin closes is replaced).
 */
class FuzzTarget {
  #inst: PluginInstance | undefined;
  #starting: Promise<PluginInstance> | undefined;
  #idle: { inst: PluginInstance; conn: RawConnection }[] = [];
  /** Milliseconds after which an answer counts as a hang; set from a baseline by {@link hangLimit}. */
  hangMs = HANG_FLOOR_MS;

  constructor(
    private readonly ctx: SuiteContext,
    private readonly cwd: string,
  ) {}

  async #instance(): Promise<PluginInstance> {
    if (this.#inst?.running) return this.#inst;
    this.#starting ??= (async () => {
      for (const { conn } of this.#idle) conn.destroy();
      this.#idle = [];
      const inst = await this.ctx.launch({ cwd: this.cwd });
      await this.ctx.prime(inst);
      this.#inst = inst;
      return inst;
    })().finally(() => {
      this.#starting = undefined;
    });
    return this.#starting;
  }

  #connection(inst: PluginInstance): RawConnection {
    for (;;) {
      const pooled = this.#idle.pop();
      if (!pooled) return new RawConnection(rawTarget(inst.location));
      if (pooled.inst === inst && pooled.conn.state === 'open') return pooled.conn;
      pooled.conn.destroy();
    }
  }

  /** Keeps a connection for the next request unless the plugin closed it or asked to. */
  #release(inst: PluginInstance, conn: RawConnection, res: RawResponse): void {
    if (/\bclose\b/i.test(res.headers.connection ?? '') || conn.state !== 'open') conn.destroy();
    else this.#idle.push({ inst, conn });
  }

  /**
   * Sends requests pipelined on one connection; resolves with their answers in order. When the connection ends or
   * an answer does not come within the hang limit, the requests still owed are sent again one by one ({@link send}),
   * so every result is what that request gets alone on a fresh connection. Which of them killed a plugin that died
   * meanwhile is found that way too; when none does again, the death is reported on the first.
   */
  async sendMany(requests: readonly (readonly Buffer[])[]): Promise<SendResult[]> {
    if (requests.length === 1) return [await this.send(requests[0]!, false)];
    const inst = await this.#instance();
    const conn = this.#connection(inst);
    const out: SendResult[] = [];
    let res: RawResponse | undefined;
    let died: SendResult | undefined;
    try {
      await conn.connected;
      conn.writeAll(requests.flat()).catch(() => undefined);
      while (out.length < requests.length) {
        res = await conn.read(this.hangMs);
        out.push({ res });
        // Past a `Connection: close` nothing more is read on it; whatever is owed goes again below.
        if (/\bclose\b/i.test(res.headers.connection ?? '')) break;
      }
    } catch {
      res = undefined;
      conn.destroy();
      await new Promise((r) => setTimeout(r, 50));
      if (!inst.running) died = await this.#died(inst);
    }
    if (res) this.#release(inst, conn, res);
    else conn.destroy();
    const owed = out.length;
    while (out.length < requests.length) out.push(await this.send(requests[out.length]!, false));
    if (died && out.slice(owed).every((r) => !r.problem)) out[owed] = died;
    return out;
  }

  async #died(inst: PluginInstance): Promise<SendResult> {
    const exit = await inst.exit;
    return {
      problem: `the plugin died (${exit.signal ? `signal ${exit.signal}` : `exit code ${exit.code}`}); stderr tail: ${preview(inst.stderr.split('\n').slice(-4).join('\n'), 400)}`,
    };
  }

  /** Sends one request; resolves with the answer and how long it took, or a problem. */
  async send(chunks: readonly Buffer[], trickle: boolean): Promise<SendResult> {
    const inst = await this.#instance();
    const conn = this.#connection(inst);
    let res: RawResponse;
    const started = performance.now();
    try {
      await conn.connected;
      if (trickle) {
        const bytes = Buffer.concat(chunks);
        const pieces = 3;
        const size = Math.ceil(bytes.length / pieces);
        for (let i = 0; i < pieces; i++) {
          await conn.write(bytes.subarray(i * size, (i + 1) * size)).catch(() => undefined);
          await new Promise((r) => setTimeout(r, 5));
        }
        res = await conn.read(this.hangMs);
      } else {
        // The write may fail half-way once the plugin has answered and closed (an oversized head); the answer counts.
        conn.writeAll(chunks).catch(() => undefined);
        res = await conn.read(this.hangMs);
      }
    } catch (err) {
      conn.destroy();
      await new Promise((r) => setTimeout(r, 50));
      if (!inst.running) return this.#died(inst);
      const message = (err as Error).message;
      return {
        problem: /no complete answer within/.test(message) ? `no answer within ${(this.hangMs / 1000).toFixed(1)} s (a hang)` : `no answer: ${message}`,
      };
    }
    const ms = performance.now() - started;
    this.#release(inst, conn, res);
    return { res, ms };
  }

  async close(): Promise<void> {
    for (const { conn } of this.#idle) conn.destroy();
    this.#idle = [];
    if (this.#inst?.running) await this.#inst.shutdown(this.ctx.timings.shutdownMs);
  }
}

/**
 * The hang limit of an endpoint: {@link HANG_FACTOR} times its slowest valid sample (three calls each, on the fuzz's
 * own plugin process), and never under {@link HANG_FLOOR_MS}. A loaded machine that makes valid answers slow makes
 * the limit longer; a plugin that never answers is caught all the same.
 */
async function hangLimit(target: FuzzTarget, ctx: SuiteContext, samples: readonly BoundSample[], ep: Endpoint): Promise<number> {
  let slowest = 0;
  for (let i = 0; i < samples.length; i++) {
    const { bytes } = wireOf(ctx, { kind: 'mutated', sample: i, mutations: [], trickle: false }, samples, ep);
    for (let n = 0; n < 3; n++) {
      const { ms } = await target.send(bytes, false);
      slowest = Math.max(slowest, ms ?? 0);
    }
  }
  return Math.max(HANG_FLOOR_MS, Math.ceil(slowest * HANG_FACTOR));
}

async function fuzzEndpoint(ctx: SuiteContext, samples: readonly BoundSample[], runs: number, seed: number | undefined): Promise<Outcome> {
  const ep = samples[0]!.endpoint;
  // The plugin works one level down in a directory of its own: relative paths such as `../x` and the missing path
  // stay inside it, so what one endpoint writes there no other endpoint's fuzz (run beside it) reads or packs.
  const root = mkdtempSync(join(tmpdir(), 'ocm-fuzz-'));
  const cwd = join(root, 'cwd');
  mkdirSync(cwd);
  const target = new FuzzTarget(ctx, cwd);
  const statuses = new Map<number, number>();
  const verdict = ({ res, problem }: SendResult, wire: Wire): string | undefined => {
    if (problem || !res) return problem ?? 'no answer';
    statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) return `answered ${res.status}: ${preview(res.body, 300)}`;
    if (res.status === 200) {
      const invalid = wire.invalid();
      if (invalid) return `answered 200 to a body the host calls invalid: ${invalid}`;
    }
    if (res.status !== 200 && !/^text\/plain\b/i.test(res.headers['content-type'] ?? ''))
      return `answered ${res.status} with Content-Type ${res.headers['content-type'] ?? '(none)'}; error bodies must be text/plain`;
    return undefined;
  };
  /** Sends one case alone (the replay and shrinking path). */
  const judge = async (c: FuzzCase): Promise<string | undefined> => {
    const wire = wireOf(ctx, c, samples, ep);
    return verdict(await target.send(wire.bytes, c.trickle), wire);
  };
  try {
    target.hangMs = await hangLimit(target, ctx, samples, ep);
    const arbitrary = caseArbitrary(
      samples.map((s) => s.sample.request),
      join(root, 'missing', 'blob'),
    );
    const runSeed = seed ?? (Date.now() ^ (Math.random() * 0x100000000)) | 0;
    // The cases fast-check would try, in its order: fc.check with the same seed and a `path` replays any one of them.
    const cases = fc.sample(arbitrary, { numRuns: runs, seed: runSeed });
    const started = performance.now();
    const deadline = started + Math.max(120_000, runs * 200);
    const failures: { index: number; reason: string }[] = [];
    let next = 0;
    let ran = 0;
    let interrupted = false;
    const lane = async () => {
      while (failures.length === 0) {
        if (performance.now() > deadline) {
          interrupted = true;
          return;
        }
        // The next cases in order, up to a trickled one (sent alone: its pauses would hold up the rest).
        const batch: number[] = [];
        while (batch.length < FUZZ_PIPELINE && next < cases.length) {
          if (cases[next]!.trickle && batch.length > 0) break;
          batch.push(next++);
          if (cases[batch[batch.length - 1]!]!.trickle) break;
        }
        if (batch.length === 0) return;
        const first = cases[batch[0]!]!;
        if (first.trickle) {
          const reason = await judge(first);
          ran++;
          if (reason !== undefined) failures.push({ index: batch[0]!, reason });
          continue;
        }
        const wires = batch.map((i) => wireOf(ctx, cases[i]!, samples, ep));
        const results = await target.sendMany(wires.map((w) => w.bytes));
        batch.forEach((index, k) => {
          const reason = verdict(results[k]!, wires[k]!);
          ran++;
          if (reason !== undefined) failures.push({ index, reason });
        });
      }
    };
    await Promise.all(Array.from({ length: FUZZ_CONNECTIONS }, lane));
    const took = (performance.now() - started) / 1000;
    const seen = [...statuses.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([s, n]) => `${s}×${n}`)
      .join(', ');
    if (failures.length === 0) {
      return pass(
        `${ran} cases in ${took.toFixed(1)} s (${((took * 1000) / Math.max(ran, 1)).toFixed(2)} ms a case, ${FUZZ_CONNECTIONS} connections of up to ${FUZZ_PIPELINE} requests at once; hang limit ${(target.hangMs / 1000).toFixed(1)} s)${interrupted ? ' (stopped by the time limit)' : ''}; answers ${seen}`,
      );
    }
    // Cases run side by side: one that kills the plugin fails the others in flight. Replay the failures one at a time,
    // in fast-check's order, and shrink the first that fails again.
    failures.sort((a, b) => a.index - b.index);
    for (const { index } of failures.slice(0, REPLAYS)) {
      const result = await fc.check(
        fc.asyncProperty(arbitrary, async (c) => (await judge(c)) === undefined),
        { numRuns: runs, seed: runSeed, path: String(index), interruptAfterTimeLimit: 120_000, markInterruptAsFailure: false },
      );
      if (!result.failed) continue;
      const counterexample = result.counterexample?.[0] as FuzzCase | undefined;
      const reason = counterexample ? ((await judge(counterexample).catch((e: Error) => e.message)) ?? 'passed when replayed (flaky)') : 'unknown';
      return failFuzz(
        `after ${ran} cases (seed ${runSeed}, case ${index}, ${result.numShrinks} shrinks): ${reason}\nminimal input: ${counterexample ? describeCase(counterexample, samples) : '(none)'}`,
        runSeed,
      );
    }
    const first = failures[0]!;
    return failFuzz(
      `after ${ran} cases (seed ${runSeed}, case ${first.index}; it passed when replayed alone, so it may depend on the cases sent beside it): ${first.reason}\ninput: ${describeCase(cases[first.index]!, samples)}`,
      runSeed,
    );
  } finally {
    await target.close();
    rmSync(root, { recursive: true, force: true });
  }
}

function failFuzz(message: string, seed: number): Outcome {
  return fail(
    `${message}\nreplay with ${FUZZ_SEED_ENV}=${seed}`,
    'validate every request against the contract and your spec schema and answer 4xx with a text/plain message; never crash, hang or answer 5xx on bad input',
  );
}

/** The fuzz group: one check per endpoint with a successful sample. */
export async function fuzzChecks(ctx: SuiteContext, runs: number): Promise<void> {
  const seedText = ctx.env?.[FUZZ_SEED_ENV] ?? process.env[FUZZ_SEED_ENV];
  const seed = seedText && /^-?\d+$/.test(seedText) ? Number(seedText) : undefined;
  const byEndpoint = new Map<Endpoint, BoundSample[]>();
  for (const b of ctx.successSamples({ long: false })) byEndpoint.set(b.endpoint, [...(byEndpoint.get(b.endpoint) ?? []), b]);
  for (const { kind, contract } of ctx.declaredKinds()) {
    for (const ep of contract?.endpoints ?? []) {
      const samples = byEndpoint.get(ep)?.filter((b) => b.contract.kind === kind) ?? [];
      const id = `${kind}.${ep.name}`;
      const title = `${kind} ${ep.name}: ${runs} fuzzed requests (mutated samples, wrong types, nulls, invalid UTF-8, huge and trickled bodies): no crash, hang, 5xx, or 200 to an invalid body`;
      if (samples.length === 0) {
        ctx.skipCheck('fuzz', id, title, 'needs a successful sample for this endpoint');
        continue;
      }
      await ctx.check('fuzz', id, title, () => fuzzEndpoint(ctx, samples, runs, seed));
    }
  }
}
