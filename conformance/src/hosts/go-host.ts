/**
 * `--host go`: the samples through the real Go plugin manager v0.0.17 (the one inside `ocm` v0.13.0), with the
 * `ocm-harness` program. The manager registers the plugin from a plugin directory, then every sample becomes one
 * manager call, all in one manager as within one CLI command. What the manager sees is judged: registration, each
 * sample's outcome, and the marker secret in results, errors and the plugin logs the manager re-emits.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { KINDS } from '@ocm-plugin-kit/sdk/contracts';
import { harnessCall, runHarness, runHarnessBatch, type HarnessCall, type HarnessStepResult } from '../go/harness.js';
import { tail } from '../host/errors.js';
import { fail, pass, preview, skip, type Outcome } from '../suite/context.js';
import type { CheckResult, PluginReport } from '../suite/report.js';
import { summarize } from '../suite/report.js';
import { runsIn, type Sample } from '../suite/samples.js';
import { markerCredentials } from '../suite/secrets.js';
import { HostChecks, recordReferenceOnly, secretLine, slug } from './checks.js';

/** The manager version the harness is built with. */
export const GO_MANAGER_VERSION = 'v0.0.17';

/** One plugin for a real host: its id and executable, plus the directory the host loads it from when one was given. */
export interface RealHostPlugin {
  readonly id: string;
  readonly path: string;
  /** The plugin directory as the user gave it; else the host gets a fresh one holding only this plugin. */
  readonly dir?: string;
}

export interface GoHostOptions {
  readonly harness: string;
  /** Samples with variables filled in (`${TMP}` created), and the marker secret they use. */
  readonly samples: readonly Sample[];
  readonly secret: string;
  readonly target: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly onCheck?: (plugin: string, result: CheckResult) => void;
}

/** The kinds a plugin declares, from its `capabilities` answer (empty when it gives none the kit can read). */
export function declaredKinds(path: string, env?: NodeJS.ProcessEnv): string[] {
  const r = spawnSync(path, ['capabilities'], { encoding: 'utf8', timeout: 60_000, env: env ?? process.env });
  try {
    const doc = JSON.parse(r.stdout) as { capabilities?: Array<{ type?: unknown }> };
    return [...new Set((doc.capabilities ?? []).map((c) => c.type).filter((t): t is string => typeof t === 'string'))];
  } catch {
    return [];
  }
}

interface BoundCall {
  readonly sample: Sample;
  readonly kind: string;
  readonly endpoint: string;
  readonly call: HarnessCall;
}

/** Samples bound to a declared kind's endpoint, as the reference host binds them, turned into harness calls. */
export function boundCalls(kinds: readonly string[], samples: readonly Sample[]): BoundCall[] {
  const out: BoundCall[] = [];
  // GET endpoints of componentVersionRepository carry no spec; the manager looks the plugin up by one.
  const fallback = samples
    .map(
      (s) =>
        (s.request as Record<string, unknown> | null)?.repository ??
        (s.endpoint === 'identity' ? (s.request as Record<string, unknown> | null)?.type : undefined),
    )
    .find(Boolean);
  for (const sample of samples) {
    for (const kind of kinds) {
      if (sample.kind !== undefined && sample.kind !== kind) continue;
      const ep = KINDS[kind]?.endpoints.find((e) => e.name === sample.endpoint || e.path === sample.endpoint);
      if (!ep) continue;
      out.push({ sample, kind, endpoint: ep.name, call: harnessCall(kind, sample, fallback) });
      break;
    }
  }
  return out;
}

/** How a step's outcome measures up to the sample. */
function judgeStep(b: BoundCall, step: HarnessStepResult | undefined, secret: string): Outcome {
  if (!step) return fail('the manager gave no result for this call (the harness stopped before it)');
  if (step.unreachable) return skip(`the ${GO_MANAGER_VERSION} manager cannot make this call: ${step.unreachable}`);
  const seen = JSON.stringify({ result: step.result, error: step.error });
  if (seen.includes(secret))
    return fail(
      `the manager's ${step.ok ? 'result' : 'error'} contains the marker secret: ${secretLine(seen, secret)}`,
      'do not echo credentials in results or error messages',
    );
  if (b.sample.expect === 'success') {
    if (step.ok) return pass();
    const error = step.error ?? '(no message)';
    const fix = /failed to validate|validation of plugin/.test(error)
      ? "the manager validates the spec against the plugin's declared jsonSchema before it calls the plugin: make the schema accept this spec (or fix the sample)"
      : /panicked/.test(error)
        ? 'return the whole result the contract describes: the manager dereferences it without checking (no null result, no missing nested object)'
        : 'compare the response with the contract (status 200, the fields the manager decodes, files it can read)';
    return fail(`the manager's call failed: ${preview(error, 600)}`, fix);
  }
  if (step.ok)
    return fail(
      `the manager's call succeeded: ${preview(JSON.stringify(step.result ?? null), 300)}`,
      'reject invalid requests with a 4xx/5xx status and a text message',
    );
  return pass(preview(step.error ?? '', 200));
}

/** A manager panic, told by its first lines (the panic and the manager frame), not by the harness's stack. */
function crashMessage(status: number | null, stderr: string): string {
  const at = stderr.indexOf('panic:');
  if (at < 0) return `the manager stopped (exit code ${status}): ${tail(stderr, 1200)}`;
  const lines = stderr.slice(at).split('\n');
  const frame = lines.findIndex((l) => l.includes('ocm.software/open-component-model/bindings/go/plugin'));
  const where = frame >= 0 ? ` in ${lines[frame]!.trim()}` : '';
  return `the manager panicked (it crashes the ocm CLI the same way): ${lines[0]!.trim()}${where}`;
}

/** Runs the calls in one manager; when the batch itself breaks (a manager panic), each call on its own instead. */
function runCalls(
  harness: string,
  dir: string,
  calls: readonly HarnessCall[],
  env?: NodeJS.ProcessEnv,
): { steps: readonly (HarnessStepResult | undefined)[]; stderr: string; status: number | null } {
  const run = runHarnessBatch(harness, dir, calls, { env });
  if (run.steps.length === calls.length) return run;
  const steps: (HarnessStepResult | undefined)[] = [];
  let stderr = run.stderr;
  for (const call of calls) {
    const one = runHarness(harness, dir, ['batch', '-steps', JSON.stringify([call])], { env });
    stderr += one.stderr;
    let step: HarnessStepResult | undefined;
    try {
      step = (JSON.parse(one.stdout) as { steps: HarnessStepResult[] }).steps[0];
    } catch {
      step = { kind: call.kind, endpoint: call.endpoint, ok: false, error: crashMessage(one.status, one.stderr) };
    }
    steps.push(step);
  }
  return { steps, stderr, status: run.status };
}

const IDLE = '1s';

/** A long sample through a manager whose idle timeout is shorter than the request: the plugin must not exit. */
async function idleDuringWork(
  checks: HostChecks,
  options: GoHostOptions,
  dir: string,
  bound: readonly BoundCall[],
  passed: ReadonlySet<Sample>,
): Promise<void> {
  const long = bound.filter((b) => b.sample.long && b.sample.expect === 'success');
  const title = `a request longer than the manager's idle timeout (${IDLE}) completes`;
  if (long.length === 0) {
    checks.record('lifecycle', 'idle-during-work', title, skip('no successful sample is marked long: true (one that takes at least ~1 s)'));
    return;
  }
  if (long.some((b) => !passed.has(b.sample))) {
    checks.record('lifecycle', 'idle-during-work', title, skip('not run: the long sample already fails through the manager with its default idle timeout'));
    return;
  }
  await checks.run('lifecycle', 'idle-during-work', title, () => {
    const run = runHarnessBatch(
      options.harness,
      dir,
      long.map((b) => b.call),
      { env: options.env, idleTimeout: IDLE },
    );
    const bad = run.steps.findIndex((s) => !s.ok && !s.unreachable);
    if (run.steps.length === long.length && bad < 0) return pass(`${long.length} long request(s) with WithIdleTimeout(${IDLE})`);
    const error = bad >= 0 ? run.steps[bad]!.error : crashMessage(run.status, run.stderr);
    return fail(
      `"${long[Math.max(bad, 0)]!.sample.name}" failed under the manager with a ${IDLE} idle timeout: ${preview(error ?? '', 600)}`,
      'stop the idle timer while any request is in flight; restart it when the last one ends',
    );
  });
}

/** The harness's exit codes for registration (conformance/go/README.md). */
const REGISTER_EXIT: Record<number, string> = { 3: 'RegisterPlugins failed', 4: 'the manager found no plugins in the directory' };

/** Every Go manager check for one plugin. */
export async function runGoHostPlugin(plugin: RealHostPlugin, options: GoHostOptions): Promise<PluginReport> {
  const started = performance.now();
  const checks = new HostChecks('go', options.onCheck && ((r) => options.onCheck!(plugin.id, r)));
  const own = plugin.dir === undefined ? mkdtempSync(join(tmpdir(), 'ocm-go-host-')) : undefined;
  const dir = plugin.dir ?? own!;
  if (own) symlinkSync(resolve(plugin.path), join(own, plugin.id));
  try {
    const registered = await checks.run('handshake', 'register', `the Go plugin manager ${GO_MANAGER_VERSION} registers the plugin`, () => {
      const r = runHarness(options.harness, dir, ['register'], { timeoutMs: 120_000, env: options.env });
      if (r.status === 0) return pass();
      return fail(
        `${REGISTER_EXIT[r.status ?? -1] ?? `the harness exited with ${r.status}`}:\n${tail(r.stderr, 1500)}`,
        'the manager refuses the plugin at start-up, so every ocm command fails while it is installed: run the reference host checks (handshake group) for the cause',
      );
    });
    const kinds = declaredKinds(plugin.path, options.env);
    const mine = options.samples.filter((s) => (s.plugin === undefined || s.plugin === plugin.id) && runsIn(s, 'go'));
    const bound = boundCalls(kinds, mine);
    if (registered.status !== 'pass') {
      for (const b of bound)
        checks.record(
          'endpoints',
          `${b.kind}.${b.endpoint}.${slug(b.sample.name)}`,
          `${b.kind} ${b.endpoint} through the Go manager: "${b.sample.name}"`,
          skip('not run: the manager does not register the plugin'),
        );
    } else if (bound.length > 0) {
      const t0 = performance.now();
      const run = runCalls(
        options.harness,
        dir,
        bound.map((b) => b.call),
        options.env,
      );
      const each = Math.round((performance.now() - t0) / bound.length);
      const passed = new Set<Sample>();
      bound.forEach((b, i) => {
        const title = `${b.kind} ${b.endpoint} through the Go manager: ${b.sample.expect === 'error' ? 'rejects' : 'serves'} "${b.sample.name}"`;
        const outcome = judgeStep(b, run.steps[i], options.secret);
        if (outcome.status === 'pass') passed.add(b.sample);
        checks.record('endpoints', `${b.kind}.${b.endpoint}.${slug(b.sample.name)}`, title, outcome, each);
      });
      // The marker secret as credentials of every call that may carry some, to watch the logs the manager re-emits.
      const marked = bound
        .filter((b) => !b.sample.long && b.sample.credentials === undefined && KINDS[b.kind]?.endpoints.find((e) => e.name === b.endpoint)?.auth !== 'never')
        .map((b) => ({ ...b.call, credentials: markerCredentials(options.secret) }));
      // At debug level, as with `ocm --loglevel debug`: the manager re-emits every plugin log line then.
      const markedRun =
        marked.length > 0
          ? runHarness(options.harness, dir, ['-loglevel', 'debug', 'batch', '-steps', JSON.stringify(marked)], { env: options.env })
          : undefined;
      await checks.run(
        'secrets',
        'manager-log',
        'credentials never appear in the plugin logs the manager re-emits (ocm --loglevel debug), nor in its results',
        () => {
          const texts = [run.stderr, markedRun?.stderr ?? '', markedRun?.stdout ?? ''];
          const hit = texts.find((t) => t.includes(options.secret));
          return hit
            ? fail(
                `the manager's output contains the marker secret: ${secretLine(hit, options.secret)}`,
                'never log credentials or the Authorization header; mask secrets in log fields',
              )
            : pass(`${bound.length + marked.length} calls, ${marked.length} with marker credentials`);
        },
      );
      await idleDuringWork(checks, options, dir, bound, passed);
    } else {
      checks.record(
        'endpoints',
        'samples',
        'samples through the Go manager',
        skip(kinds.length === 0 ? 'the plugin declares no kind the kit knows' : `no sample names an endpoint of ${kinds.join(', ')}`),
      );
    }
    recordReferenceOnly(checks);
  } finally {
    if (own) rmSync(own, { recursive: true, force: true });
  }
  const summary = summarize(checks.results);
  return {
    plugin: plugin.id,
    path: plugin.path,
    target: options.target,
    host: 'go',
    checks: checks.results,
    summary,
    ok: summary.fail === 0,
    durationMs: Math.round(performance.now() - started),
  };
}
