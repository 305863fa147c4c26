/** What every check group shares: the plugin under test, its samples, the processes started, the results. */
import type { Endpoint, KindContract } from '@ocm-plugin-kit/sdk/contracts';
import { KINDS } from '@ocm-plugin-kit/sdk/contracts';
import { sendEndpoint } from '../host/client.js';
import { HostError } from '../host/errors.js';
import type { ReferenceHost, RegisteredPlugin } from '../host/host.js';
import type { HostVersion as Target } from '@ocm-plugin-kit/sdk/host-facts';
import { PluginInstance, type LaunchOptions } from '../host/process.js';
import type { CheckGroup, CheckResult, CheckStatus } from './report.js';
import type { Sample } from './samples.js';

export interface Outcome {
  readonly status: CheckStatus;
  readonly message?: string;
  readonly fix?: string;
}

export const pass = (message?: string): Outcome => ({ status: 'pass', message });
export const fail = (message: string, fix?: string): Outcome => ({ status: 'fail', message, fix });
export const warn = (message: string, fix?: string): Outcome => ({ status: 'warn', message, fix });
export const skip = (message: string): Outcome => ({ status: 'skip', message });

/** Timings the lifecycle checks use; small by default so a run takes seconds. */
export interface SuiteTimings {
  /** Idle timeout for the idle-exit checks. */
  readonly idleTimeoutMs: number;
  /** Extra time allowed after the idle timeout before the exit counts as missing. */
  readonly idleGraceMs: number;
  /** How long to wait for an exit after SIGINT (the manager's input and lister registries wait 10 s). */
  readonly shutdownMs: number;
  /** Location line within this is a pass; slower is a warning (the manager allows 30 s). */
  readonly startWarnMs: number;
}

export const DEFAULT_TIMINGS: SuiteTimings = { idleTimeoutMs: 1000, idleGraceMs: 5000, shutdownMs: 10_000, startWarnMs: 5000 };

/** A sample matched to its kind and endpoint. */
export interface BoundSample {
  readonly sample: Sample;
  readonly contract: KindContract;
  readonly endpoint: Endpoint;
}

/** A non-200 body the plugin sent, kept for the secrets check. */
export interface SeenBody {
  readonly where: string;
  readonly status: number;
  readonly body: string;
}

export class SuiteContext {
  readonly results: CheckResult[] = [];
  readonly instances: PluginInstance[] = [];
  readonly errorBodies: SeenBody[] = [];
  /** How long each sample took when the endpoint checks ran it (ms). */
  readonly durations = new Map<Sample, number>();
  registered: RegisteredPlugin | undefined;
  /** Why the checks that need a registered plugin cannot run. */
  blocked: string | undefined;

  constructor(
    readonly id: string,
    readonly path: string,
    readonly target: Target,
    readonly host: ReferenceHost,
    readonly samples: readonly Sample[],
    readonly secret: string,
    readonly timings: SuiteTimings,
    readonly env: NodeJS.ProcessEnv | undefined,
  ) {}

  /** Runs one check: times it, turns exceptions into failures (with the host's message) and records the result. */
  async check(group: CheckGroup, id: string, title: string, fn: () => Promise<Outcome> | Outcome): Promise<Outcome> {
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = await fn();
    } catch (err) {
      outcome = err instanceof HostError ? fail(err.message, err.fix) : fail(`the check itself failed: ${(err as Error).stack ?? String(err)}`);
    }
    this.results.push({ id: `${group}.${id}`, group, title, ...outcome, durationMs: Math.round(performance.now() - started) });
    return outcome;
  }

  /** Records a skipped check without running anything. */
  skipCheck(group: CheckGroup, id: string, title: string, reason: string): void {
    this.results.push({ id: `${group}.${id}`, group, title, status: 'skip', message: reason, durationMs: 0 });
  }

  /** Starts a fresh process of the plugin under test (outside the host), tracked for the output checks. */
  async launch(options: Partial<LaunchOptions> = {}): Promise<PluginInstance> {
    const instance = await PluginInstance.launch({ id: this.id, path: this.path, env: this.env, ...options });
    this.instances.push(instance);
    return instance;
  }

  /** The host's process of the plugin (started on first use), tracked for the output checks. */
  async hostInstance(): Promise<PluginInstance> {
    const instance = await this.host.instance(this.id);
    if (!this.instances.includes(instance)) this.instances.push(instance);
    return instance;
  }

  /** Kinds the plugin declared, with the kit's contract when there is one. */
  declaredKinds(): { kind: string; contract?: KindContract }[] {
    const kinds = [...new Set(this.registered?.spec.capabilities.map((c) => c.kind) ?? [])];
    return kinds.map((kind) => ({ kind, contract: KINDS[kind] }));
  }

  /** Samples bound to a declared kind's endpoint (by endpoint name or path). */
  boundSamples(): BoundSample[] {
    const out: BoundSample[] = [];
    const kinds = this.declaredKinds().filter((k) => k.contract);
    for (const sample of this.samples) {
      for (const { contract } of kinds) {
        if (sample.kind !== undefined && sample.kind !== contract!.kind) continue;
        const endpoint = contract!.endpoints.find((e) => e.name === sample.endpoint || e.path === sample.endpoint);
        if (endpoint) {
          out.push({ sample, contract: contract!, endpoint });
          break;
        }
      }
    }
    return out;
  }

  /** Samples that name an endpoint no declared kind has (reported, so typos do not go unnoticed). */
  unboundSamples(): Sample[] {
    const bound = new Set(this.boundSamples().map((b) => b.sample));
    return this.samples.filter((s) => !bound.has(s));
  }

  /** Successful samples, long ones last (or only long ones). */
  successSamples(options: { long?: boolean } = {}): BoundSample[] {
    return this.boundSamples().filter((b) => b.sample.expect === 'success' && (options.long === undefined || b.sample.long === options.long));
  }

  /**
   * Sends the successful identity samples to a fresh process first, as the manager does before any other call of a
   * kind (identity → credential resolution → call); plugins may remember what the identity request told them.
   */
  async prime(instance: PluginInstance): Promise<void> {
    for (const b of this.successSamples()) {
      if (b.endpoint.identity) await sendEndpoint(instance, b.endpoint, b.sample.request, {}).catch(() => undefined);
    }
  }

  /** Stops every process the suite started. */
  async cleanup(): Promise<void> {
    await this.host.shutdown().catch(() => undefined);
    for (const instance of this.instances) {
      if (instance.running) await instance.kill();
      await instance.close();
    }
  }
}

/** Routing options for a sample (type and spec for requests that carry no spec). */
export function routing(sample: Sample): { type?: string; spec?: unknown } {
  return { ...(sample.type !== undefined ? { type: sample.type } : {}), ...(sample.spec !== undefined ? { spec: sample.spec } : {}) };
}

/** A readable one-line preview of a body. */
export function preview(text: string, max = 300): string {
  const t = text.trim().replace(/\s+/g, ' ');
  return t.length > max ? `${t.slice(0, max)}…` : t;
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits for an exit up to `ms`; undefined when still running. */
export async function exitWithin(instance: PluginInstance, ms: number) {
  return Promise.race([instance.exit, sleep(ms).then(() => undefined)]);
}
