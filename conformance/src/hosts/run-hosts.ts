/**
 * Runs the suite in one or more hosts: the reference host (every check), the real Go plugin manager (`go`) and the
 * real `ocm` CLI (`ocm`). One report: a plugin report per plugin and host, every check marked with its host, and
 * the hosts with their versions.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { discoverPlugins } from '../host/discovery.js';
import { HostError } from '../host/errors.js';
import { goExt, type HostVersion as Target } from '@ocm-plugin-kit/sdk/host-facts';
import type { CheckResult, ConformanceReport, HostInfo, HostName, PluginReport } from '../suite/report.js';
import { conformanceReport, runConformance, samplesOf, type ConformanceOptions } from '../suite/run.js';
import { resolveSamples } from '../suite/samples.js';
import { locateHarness } from './go-build.js';
import { GO_MANAGER_VERSION, runGoHostPlugin, type RealHostPlugin } from './go-host.js';
import { locateOcm, ocmVersion, runOcmHostPlugin } from './ocm-host.js';

export interface HostsOptions extends ConformanceOptions {
  /** The hosts to run, in report order. */
  readonly hosts: readonly HostName[];
  /** The `ocm` CLI for the `ocm` host (default `$OCM_CLI`, then `ocm` on PATH). */
  readonly ocm?: string;
  /** Progress messages (building the harness, starting a host). */
  readonly onProgress?: (message: string) => void;
}

/** The plugins a path names, as the real hosts load them. */
function pluginsOf(path: string, id: string | undefined): RealHostPlugin[] {
  if (!existsSync(path)) throw new HostError(`${path} does not exist`, { fix: 'pass a plugin executable or a plugin directory' });
  if (statSync(path).isDirectory()) return discoverPlugins(path).plugins.map((p) => ({ id: p.id, path: p.execPath, dir: path }));
  const base = basename(path);
  return [{ id: id ?? base.slice(0, base.length - goExt(base).length), path }];
}

const mark =
  (host: HostName) =>
  (c: CheckResult): CheckResult => ({ ...c, host });

/**
 * Runs the suite in the given hosts. Throws a {@link HostError} when a host cannot run at all (no Go to build the
 * harness, no `ocm` CLI): the report would otherwise claim a proof that was never made.
 */
export async function runHosts(options: HostsOptions): Promise<ConformanceReport> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const path = resolve(options.plugin);
  const target: Target = options.target ?? 'v0.13.0';
  const env = options.env ?? process.env;
  const hosts: HostInfo[] = [];
  const plugins: PluginReport[] = [];
  const dirChecks: CheckResult[] = [];
  const onCheck = options.onCheck;

  // Locate every real host first: a missing tool fails the run before any check is made.
  const harness = options.hosts.includes('go') ? locateHarness(env, options.onProgress) : undefined;
  const ocm = options.hosts.includes('ocm') ? locateOcm(options.ocm, env) : undefined;

  for (const host of options.hosts) {
    if (host === 'reference') {
      const report = await runConformance(options);
      hosts.push({ name: 'reference', version: `@ocm-plugin-kit/conformance ${report.version} reference host (ocm ${target})` });
      dirChecks.push(...report.checks.map(mark('reference')));
      plugins.push(...report.plugins.map((p) => ({ ...p, host: 'reference' as const, checks: p.checks.map(mark('reference')) })));
      continue;
    }
    const samplesFile = samplesOf(options);
    const secret = `ocm-conformance-secret-${randomBytes(8).toString('hex')}`;
    const resolved = resolveSamples(samplesFile, secret);
    try {
      for (const plugin of pluginsOf(path, options.id)) {
        if (host === 'go') {
          plugins.push(await runGoHostPlugin(plugin, { harness: harness!.path, samples: resolved.samples, secret, target, env, onCheck }));
        } else {
          plugins.push(await runOcmHostPlugin(plugin, { ocm: ocm!, samples: resolved.samples, secret, target, env, onCheck, tmp: resolved.tmp }));
        }
      }
    } finally {
      rmSync(resolved.tmp, { recursive: true, force: true });
    }
    if (host === 'go')
      hosts.push({ name: 'go', version: `plugin manager ${GO_MANAGER_VERSION} (ocm-harness${harness!.hash ? ` ${harness!.hash}` : ''}, ${harness!.path})` });
    else hosts.push({ name: 'ocm', version: `ocm ${ocmVersion(ocm!, env)} (${ocm})` });
  }
  return conformanceReport(started, startedAt, plugins, dirChecks, hosts);
}
