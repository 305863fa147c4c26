/** `--host ocm`: scenarios with the real `ocm` CLI, made from the samples. */
import { spawnSync } from 'node:child_process';
import { HostError } from '../host/errors.js';
import type { CheckResult, PluginReport } from '../suite/report.js';
import { summarize } from '../suite/report.js';
import type { Sample } from '../suite/samples.js';
import { HostChecks, recordReferenceOnly } from './checks.js';
import type { RealHostPlugin } from './go-host.js';

export interface OcmHostOptions {
  readonly ocm: string;
  readonly samples: readonly Sample[];
  readonly secret: string;
  readonly target: string;
  readonly tmp: string;
  readonly env?: NodeJS.ProcessEnv;
  readonly onCheck?: (plugin: string, result: CheckResult) => void;
}

/** The `ocm` CLI: `--ocm`, else `$OCM_CLI`, else `ocm` on PATH. */
export function locateOcm(explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const ocm = explicit ?? (env.OCM_CLI || 'ocm');
  const r = spawnSync(ocm, ['version'], { encoding: 'utf8', env: { ...env, OCM_DISABLE_VERSION_CHECK: '1' }, timeout: 60_000 });
  if (r.error || r.status !== 0) {
    throw new HostError(`--host ocm needs the ocm CLI v0.13.0, and \`${ocm}\` does not run (${r.error?.message ?? r.stderr.trim()})`, {
      fix: 'install it with `go install ocm.software/open-component-model/cli@v0.13.0` (the binary is named cli: pass it with --ocm $(go env GOPATH)/bin/cli), or set OCM_CLI',
    });
  }
  return ocm;
}

/** The CLI's version, from `ocm version`. */
export function ocmVersion(ocm: string, env: NodeJS.ProcessEnv = process.env): string {
  const r = spawnSync(ocm, ['version'], { encoding: 'utf8', env: { ...env, OCM_DISABLE_VERSION_CHECK: '1' }, timeout: 60_000 });
  try {
    return (JSON.parse(r.stdout) as { gitVersion?: string }).gitVersion ?? r.stdout.trim();
  } catch {
    return r.stdout.trim() || 'unknown';
  }
}

/** Every `ocm` CLI scenario the plugin's kinds and samples allow. */
export async function runOcmHostPlugin(plugin: RealHostPlugin, options: OcmHostOptions): Promise<PluginReport> {
  const started = performance.now();
  const checks = new HostChecks('ocm', options.onCheck && ((r) => options.onCheck!(plugin.id, r)));
  recordReferenceOnly(checks);
  const summary = summarize(checks.results);
  return { plugin: plugin.id, path: plugin.path, target: options.target, host: 'ocm', checks: checks.results, summary, ok: summary.fail === 0, durationMs: Math.round(performance.now() - started) };
}
