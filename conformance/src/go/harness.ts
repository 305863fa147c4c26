/**
 * Drives a plugin through the real Go plugin manager (v0.0.17) with the `ocm-harness` program in conformance/go:
 * every sample of a samples file becomes one manager call, all in one manager (`batch`), as within one CLI command.
 * The harness takes the contracts' kind and endpoint names and the request as the plugin receives it on the wire.
 */
import { spawnSync } from 'node:child_process';
import { KINDS } from '@ocm-plugin-kit/sdk/contracts';
import type { Sample } from '../suite/samples.js';

/** One endpoint call through the manager: a `batch` step, or the flags of `ocm-harness call`. */
export interface HarnessCall {
  /** Kind string as in `KINDS`, e.g. `inputRepository`. */
  readonly kind: string;
  /** Endpoint name of the kind's contract, e.g. `processResource`. */
  readonly endpoint: string;
  /** The request as the plugin receives it; GET endpoints add the `repository` spec the manager looks the plugin up by. */
  readonly request: unknown;
  /** Handed to the manager as they are; without them it applies its own default. */
  readonly credentials?: unknown;
  /** Copy a returned blob's bytes to this file. */
  readonly out?: string;
  /** Include a returned blob's bytes as base64. */
  readonly inline?: boolean;
}

/**
 * The harness call for a sample of a kind's endpoint. `repository` is the repository spec for endpoints that carry
 * none on the wire (componentVersionRepository GETs), used when the sample gives no `spec`.
 */
export function harnessCall(kind: string, sample: Sample, repository?: unknown): HarnessCall {
  const endpoint = KINDS[kind]?.endpoints.find((e) => e.name === sample.endpoint || e.path === sample.endpoint);
  const request = endpoint?.method === 'GET' ? { repository: sample.spec ?? repository, ...(sample.request as object) } : sample.request;
  return { kind, endpoint: endpoint?.name ?? sample.endpoint, request, ...(sample.credentials === undefined ? {} : { credentials: sample.credentials }) };
}

/** The arguments of `ocm-harness call` for one call (after the global flags). */
export function harnessCallArgs(call: HarnessCall): string[] {
  return [
    'call',
    '-kind',
    call.kind,
    '-endpoint',
    call.endpoint,
    '-request',
    JSON.stringify(call.request),
    ...(call.credentials === undefined ? [] : ['-credentials', JSON.stringify(call.credentials)]),
    ...(call.out ? ['-out', call.out] : []),
    ...(call.inline ? ['-inline'] : []),
  ];
}

/** The outcome of one batch step. */
export interface HarnessStepResult {
  readonly kind: string;
  readonly endpoint: string;
  readonly ok: boolean;
  readonly result?: unknown;
  readonly error?: string;
  /** Set when the v0.0.17 manager cannot make this call (for any plugin, or for this request): why. */
  readonly unreachable?: string;
}

/** The outcome of a harness run. */
export interface HarnessRun {
  readonly status: number | null;
  readonly steps: readonly HarnessStepResult[];
  readonly stderr: string;
}

/** Options of a harness run. */
export interface HarnessOptions {
  readonly timeoutMs?: number;
  /** `-idle-timeout` of the manager, e.g. `1h`. */
  readonly idleTimeout?: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `ocm-harness -dir <pluginDir> batch` with the given calls in one plugin manager. */
export function runHarnessBatch(harness: string, pluginDir: string, steps: readonly HarnessCall[], options: HarnessOptions = {}): HarnessRun {
  const r = runHarness(harness, pluginDir, ['batch', '-steps', JSON.stringify(steps)], options);
  let parsed: { steps?: HarnessStepResult[] } = {};
  try {
    parsed = JSON.parse(r.stdout) as { steps?: HarnessStepResult[] };
  } catch {
    // registration failures print no JSON; stderr says why
  }
  return { status: r.status, steps: parsed.steps ?? [], stderr: r.stderr };
}

/** Runs `ocm-harness -dir <pluginDir> call` for one call. */
export function runHarnessCall(
  harness: string,
  pluginDir: string,
  call: HarnessCall,
  options: HarnessOptions = {},
): { status: number | null; stdout: string; stderr: string } {
  return runHarness(harness, pluginDir, harnessCallArgs(call), options);
}

/** Runs `ocm-harness -dir <pluginDir> register`: what the CLI does for every command. */
export function runHarnessRegister(harness: string, pluginDir: string): { status: number | null; stdout: string; stderr: string } {
  return runHarness(harness, pluginDir, ['register'], { timeoutMs: 60_000 });
}

/** Runs `ocm-harness -dir <pluginDir> <args>` (any verb). */
export function runHarness(
  harness: string,
  pluginDir: string,
  args: readonly string[],
  options: HarnessOptions = {},
): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(harness, ['-dir', pluginDir, ...(options.idleTimeout ? ['-idle-timeout', options.idleTimeout] : []), ...args], {
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 180_000,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.env ? { env: options.env } : {}),
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}
