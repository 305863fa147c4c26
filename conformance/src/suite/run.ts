/**
 * `runConformance`: runs every check group against a plugin executable (or every plugin in a directory) and
 * returns a structured report. The CLI and the vitest helper are thin layers over it.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { discoverPlugins } from '../host/discovery.js';
import { goExt } from '@ocm-plugin-kit/sdk/host-facts';
import { HostError } from '../host/errors.js';
import { ReferenceHost } from '../host/host.js';
import type { HostVersion as Target } from '@ocm-plugin-kit/sdk/host-facts';
import { DEFAULT_TIMINGS, SuiteContext, fail, pass, warn, type SuiteTimings } from './context.js';
import { endpointChecks } from './endpoints.js';
import { drainChecks } from './drain.js';
import { faultChecks } from './faults.js';
import { fuzzChecks, fuzzRuns } from './fuzz.js';
import { headChecks } from './heads.js';
import { handshakeChecks } from './handshake.js';
import { lifecycleChecks, outputChecks } from './lifecycle.js';
import { summarize, type CheckGroup, type CheckResult, type ConformanceReport, type PluginReport } from './report.js';
import { loadSamples, parseSamples, resolveSamples, runsIn, type SamplesFile } from './samples.js';
import { secretChecks, sendMarkedRequests } from './secrets.js';

export interface ConformanceOptions {
  /** A plugin executable, or a plugin directory (every plugin in it is tested, plus the directory rules). */
  readonly plugin: string;
  /** A samples file path, or its parsed content. Default: `conformance.samples.yaml` next to the plugin or up to two directories above. */
  readonly samples?: string | SamplesFile | Record<string, unknown>;
  /** Plugin id; default the executable's base name (what the manager uses). */
  readonly id?: string;
  readonly target?: Target;
  readonly env?: NodeJS.ProcessEnv;
  readonly timings?: Partial<SuiteTimings>;
  /** Only these groups (handshake always runs: everything else needs it). */
  readonly groups?: readonly CheckGroup[];
  /**
   * Fuzzed requests per endpoint in the fuzz group (default: `OCM_CONFORMANCE_FUZZ_RUNS`, else 1000). The cost is
   * about a millisecond per case for a plugin that rejects bad input quickly.
   */
  readonly fuzzRuns?: number;
  /** Called after each check, for progress output. */
  readonly onCheck?: (plugin: string, result: CheckResult) => void;
}

/** The samples file used when none is given: `conformance.samples.yaml` beside the executable or up to two levels up. */
export function findSamplesFile(plugin: string): string | undefined {
  let dir = statSync(plugin).isDirectory() ? resolve(plugin) : dirname(resolve(plugin));
  for (let i = 0; i < 3; i++) {
    for (const name of ['conformance.samples.yaml', 'conformance.samples.yml', 'conformance.samples.json']) {
      const candidate = join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    dir = dirname(dir);
  }
  return undefined;
}

/** This package's version. */
export function version(): string {
  try {
    return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** The samples file of a run: the one given, or the one found beside the plugin. */
export function samplesOf(options: Pick<ConformanceOptions, 'plugin' | 'samples'>): SamplesFile {
  const s = options.samples;
  if (s === undefined) {
    const found = findSamplesFile(options.plugin);
    return found ? loadSamples(found) : { files: {}, samples: [] };
  }
  if (typeof s === 'string') return loadSamples(s);
  if ('samples' in s && Array.isArray(s.samples) && 'files' in s && typeof s.files === 'object') return s as SamplesFile;
  return parseSamples(s);
}

/** Runs the suite against one plugin executable. */
export async function runPluginConformance(path: string, id: string, samplesFile: SamplesFile, options: ConformanceOptions): Promise<PluginReport> {
  const started = performance.now();
  const target = options.target ?? 'v0.13.0';
  const secret = `ocm-conformance-secret-${randomBytes(8).toString('hex')}`;
  const resolved = resolveSamples(
    { ...samplesFile, samples: samplesFile.samples.filter((s) => (s.plugin === undefined || s.plugin === id) && runsIn(s, 'reference')) },
    secret,
  );
  const host = new ReferenceHost({ target, env: options.env });
  const ctx = new SuiteContext(id, path, target, host, resolved.samples, secret, { ...DEFAULT_TIMINGS, ...options.timings }, options.env);
  const onCheck = options.onCheck;
  if (onCheck) {
    const push = ctx.results.push.bind(ctx.results);
    ctx.results.push = (...items: CheckResult[]) => {
      for (const item of items) onCheck(id, item);
      return push(...items);
    };
  }
  const wants = (g: CheckGroup) => !options.groups || options.groups.includes(g);
  try {
    const ext = goExt(basename(path));
    if (ext !== '') {
      await ctx.check('handshake', 'file-name', 'the executable is installed under an extension-less name', () =>
        options.id !== undefined
          ? pass(`tested as plugin id ${id}; install it as an extension-less file or symlink named ${id}`)
          : warn(
              `${basename(path)} has the extension ${ext}: the manager skips files with extensions, so it would never find this one`,
              `install it as an extension-less file or symlink, e.g. ${id} -> ${path}`,
            ),
      );
    }
    await handshakeChecks(ctx);
    if (ctx.blocked) {
      for (const g of ['endpoints', 'lifecycle', 'faults', 'fuzz', 'secrets'] as const)
        if (wants(g)) ctx.skipCheck(g, 'blocked', `${g} checks`, `not run: ${ctx.blocked}`);
    } else {
      if (wants('endpoints')) await endpointChecks(ctx);
      if (wants('faults')) {
        await faultChecks(ctx);
        await headChecks(ctx);
      }
      if (wants('fuzz')) await fuzzChecks(ctx, fuzzRuns(options.fuzzRuns, options.env));
      let marked = 0;
      if (wants('secrets')) marked = await sendMarkedRequests(ctx).catch(() => 0);
      if (wants('lifecycle')) {
        await lifecycleChecks(ctx);
        await drainChecks(ctx);
      }
      // Stop gracefully so shutdown logs are included in the output checks.
      await ctx.host.shutdown().catch(() => undefined);
      for (const inst of ctx.instances) if (inst.running) await inst.shutdown(ctx.timings.shutdownMs);
      if (wants('lifecycle')) await outputChecks(ctx);
      if (wants('secrets')) await secretChecks(ctx, marked);
    }
  } finally {
    await ctx.cleanup();
    rmSync(resolved.tmp, { recursive: true, force: true });
  }
  const summary = summarize(ctx.results);
  return { plugin: id, path, target, checks: ctx.results, summary, ok: summary.fail === 0, durationMs: Math.round(performance.now() - started) };
}

/** Runs the conformance suite; see {@link ConformanceOptions}. */
export async function runConformance(options: ConformanceOptions): Promise<ConformanceReport> {
  const startedAt = new Date().toISOString();
  const started = performance.now();
  const target = options.target ?? 'v0.13.0';
  const path = resolve(options.plugin);
  const samples = samplesOf(options);
  const dirChecks: CheckResult[] = [];
  const plugins: PluginReport[] = [];
  if (existsSync(path) && statSync(path).isDirectory()) {
    const t0 = performance.now();
    const found = discoverPlugins(path);
    const record = (id: string, title: string, o: ReturnType<typeof pass>) => {
      const r: CheckResult = { id: `discovery.${id}`, group: 'discovery', title, ...o, durationMs: Math.round(performance.now() - t0) };
      dirChecks.push(r);
      options.onCheck?.('plugin directory', r);
    };
    record(
      'found',
      'the directory holds plugins the manager discovers',
      found.plugins.length
        ? pass(found.plugins.map((p) => p.id).join(', '))
        : fail(
            `no extension-less files in ${path}: the manager finds no plugins`,
            'install each plugin as an extension-less executable (e.g. a symlink my-plugin -> dist/my-plugin.cjs)',
          ),
    );
    record(
      'notes',
      "nothing in the directory trips the manager's discovery rules",
      found.notes.length
        ? warn(found.notes.map((n) => `${n.path}: ${n.message}`).join('\n'), 'keep only plugin executables (without extensions) in the plugin directory')
        : pass(),
    );
    try {
      await ReferenceHost.load(path, { target, env: options.env });
      record('register', 'every plugin registers (unique ids, no type claimed twice)', pass());
    } catch (err) {
      record(
        'register',
        'every plugin registers (unique ids, no type claimed twice)',
        fail((err as Error).message, err instanceof HostError ? err.fix : undefined),
      );
    }
    for (const p of found.plugins) plugins.push(await runPluginConformance(p.execPath, p.id, samples, options));
  } else if (!existsSync(path)) {
    throw new HostError(`${path} does not exist`, { fix: 'pass a plugin executable or a plugin directory' });
  } else {
    plugins.push(
      await runPluginConformance(path, options.id ?? basename(path).slice(0, basename(path).length - goExt(basename(path)).length), samples, options),
    );
  }
  return conformanceReport(started, startedAt, plugins, dirChecks);
}

/** The report of a run that started at `started` (`performance.now()`) and `startedAt` (ISO time). */
export function conformanceReport(
  started: number,
  startedAt: string,
  plugins: PluginReport[],
  checks: CheckResult[],
  hosts?: ConformanceReport['hosts'],
): ConformanceReport {
  return {
    tool: '@ocm-plugin-kit/conformance',
    version: version(),
    startedAt,
    durationMs: Math.round(performance.now() - started),
    plugins,
    checks,
    ok: plugins.every((p) => p.ok) && checks.every((c) => c.status !== 'fail'),
    ...(hosts ? { hosts } : {}),
  };
}
