/**
 * The dev bundle: the plugin's TypeScript bundled by esbuild into `<cacheDir>/bundle.cjs` (plus a source map), rebuilt
 * only when a source file changed. Freshness is a `stat` of every file the last build read outside `node_modules`
 * plus the lock and config files, compared by mtime and size, so an unchanged plugin starts with no build at all.
 * Node built-ins only; esbuild is loaded on demand.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve, sep } from 'node:path';
import type * as Esbuild from 'esbuild';
import { DEV_FORMAT, type DevConfig } from './config.js';
import type { AddonSlot } from '../build/addons.js';

/** mtime (ms) and size of a file; `null` when it does not exist. */
export type Stamp = readonly [number, number] | null;

/** What the last build produced (`build.json`). */
export interface BuildRecord {
  /** Identifies the build settings; another key means rebuild. */
  readonly key: string;
  /** Every file checked for freshness, with its stamp at build time. */
  readonly inputs: Readonly<Record<string, Stamp>>;
  /** The plugin's own source files (outside `node_modules`): what a serving plugin watches. */
  readonly sources: readonly string[];
  /** How long the build took. */
  readonly ms: number;
}

export interface FreshBundle {
  readonly bundle: string;
  readonly record: BuildRecord;
  /** True when this call rebuilt the bundle. */
  readonly rebuilt: boolean;
}

export function stampOf(path: string): Stamp {
  try {
    const s = statSync(path);
    return [s.mtimeMs, s.size];
  } catch {
    return null;
  }
}

export function sameStamp(a: Stamp | undefined, b: Stamp | undefined): boolean {
  if (!a || !b) return a === b;
  return a[0] === b[0] && a[1] === b[1];
}

export const bundlePath = (cfg: DevConfig): string => join(cfg.cacheDir, 'bundle.cjs');
const recordPath = (cfg: DevConfig): string => join(cfg.cacheDir, 'build.json');

function buildKey(cfg: DevConfig): string {
  return JSON.stringify([DEV_FORMAT, cfg.entry, cfg.projectRoot, cfg.conditions, cfg.target, cfg.esbuild]);
}

/** The last build, if it is still valid for the current sources. */
export function freshRecord(cfg: DevConfig): BuildRecord | undefined {
  let record: BuildRecord;
  try {
    record = JSON.parse(readFileSync(recordPath(cfg), 'utf8')) as BuildRecord;
  } catch {
    return undefined;
  }
  if (record.key !== buildKey(cfg) || !existsSync(bundlePath(cfg))) return undefined;
  for (const [file, stamp] of Object.entries(record.inputs)) {
    if (!sameStamp(stampOf(file), stamp)) return undefined;
  }
  return record;
}

const inNodeModules = (file: string): boolean => file.split(sep).includes('node_modules');

function writeAtomic(path: string, data: string | Uint8Array): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}

/** A build failure, with esbuild's messages formatted for a terminal. */
export class DevBuildError extends Error {
  constructor(
    readonly entry: string,
    detail: string,
  ) {
    super(`building ${entry} failed:\n${detail}`);
    this.name = 'DevBuildError';
  }
}

/** Bundles the plugin now (no freshness check). */
export async function buildBundle(cfg: DevConfig, esbuild: typeof Esbuild): Promise<BuildRecord> {
  const started = performance.now();
  const startedAt = Date.now();
  let result: Esbuild.BuildResult<{ metafile: true; write: false }>;
  // Loaded only to build, never on the start path of a fresh bundle.
  const { nativeAddons } = await import('../build/addons.js');
  try {
    result = await esbuild.build({
      entryPoints: [cfg.entry],
      absWorkingDir: cfg.projectRoot,
      outfile: bundlePath(cfg),
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: cfg.target,
      conditions: [...cfg.conditions],
      sourcemap: 'linked',
      metafile: true,
      write: false,
      logLevel: 'silent',
      legalComments: 'none',
      // Native addons load from node_modules, assets from the project: the dev bundle never leaves this machine.
      plugins: [nativeAddons({ mode: 'node_modules', stem: 'bundle', slots: new Map<string, AddonSlot>() })],
      define: { __OCM_PLUGIN_KIT_ASSET_DIR__: JSON.stringify(cfg.projectRoot), __OCM_PLUGIN_KIT_ASSET_SUBDIR__: '""' },
    });
  } catch (err) {
    const failure = err as Partial<Esbuild.BuildFailure>;
    const detail = failure.errors?.length ? (await esbuild.formatMessages(failure.errors, { kind: 'error', color: false })).join('') : (err as Error).message;
    throw new DevBuildError(cfg.entry, detail.trimEnd());
  }
  const inputs: Record<string, Stamp> = {};
  const sources: string[] = [];
  for (const input of Object.keys(result.metafile.inputs)) {
    // Skip esbuild's virtual modules (`<define:…>`, `(disabled):…`).
    if (/^[(<]/.test(input)) continue;
    const file = isAbsolute(input) ? input : resolve(cfg.projectRoot, input);
    if (inNodeModules(file)) continue;
    sources.push(file);
  }
  for (const file of [...sources, ...cfg.extraInputs]) {
    const stamp = stampOf(file);
    // A file written while esbuild ran may not be what it read: record a stamp that never matches, so the next
    // start builds again.
    inputs[file] = stamp && stamp[0] >= startedAt - 5 ? [-1, -1] : stamp;
  }

  mkdirSync(cfg.cacheDir, { recursive: true });
  const outputs = [...result.outputFiles].sort((a, b) => Number(a.path.endsWith('.map')) - Number(b.path.endsWith('.map'))).reverse();
  // The map first, then the bundle, then the record: a reader never sees a record newer than its bundle.
  for (const out of outputs) writeAtomic(out.path, out.contents);
  const record: BuildRecord = { key: buildKey(cfg), inputs, sources, ms: Math.round(performance.now() - started) };
  writeAtomic(recordPath(cfg), JSON.stringify(record));
  return record;
}

/** The bundle, rebuilt first if any source changed since the last build. */
export async function freshBundle(cfg: DevConfig, loadEsbuild: () => typeof Esbuild): Promise<FreshBundle> {
  const record = freshRecord(cfg);
  if (record) return { bundle: bundlePath(cfg), record, rebuilt: false };
  return { bundle: bundlePath(cfg), record: await buildBundle(cfg, loadEsbuild()), rebuilt: true };
}
