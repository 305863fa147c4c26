/**
 * `ocm-plugin dev install|uninstall`: puts an extension-less launcher script into an OCM plugin directory that runs
 * the plugin from its TypeScript source, so `ocm` (and any host) uses the working copy.
 *
 * Layout:
 * - `<plugin-dir>/<id>`: `#!/bin/sh` script, executable, `exec <node> <cacheDir>/launch.cjs <cacheDir>/dev.json "$@"`.
 *   Discovery only looks at the file name (sdk/docs/protocol.md §1.1); nothing else is put into the plugin directory.
 * - `<cacheDir>` (default `<nearest node_modules>/.cache/ocm-plugin-dev/<id>-<hash>`): `dev.json`, `launch.cjs` (this
 *   package's dev runtime, bundled), `bundle.cjs` + `.map` (the plugin), `build.json` (freshness record),
 *   `capabilities.sh` (the last `capabilities` answer and the key of the sources it was made from: the script
 *   answers from it without starting Node.js while the key matches; see capabilities-cache.ts).
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type * as Esbuild from 'esbuild';
import { buildBundle } from './dev-bundle.js';
import { DEV_FORMAT, type DevConfig, type InspectSettings } from './config.js';
import { cachedCapabilitiesLines, removeCapabilitiesCache } from './capabilities-cache.js';
import { attachConfiguration } from './vscode.js';
import { pluginIdProblem } from '@ocm-plugin-kit/sdk/host-facts';

/** First line after the shebang; identifies files this tool may replace or remove. */
export const LAUNCHER_MARKER = '# ocm-plugin dev launcher';
const CONFIG_LINE = '# dev-config: ';

export interface DevInstallOptions {
  /** The plugin's main module (calls `runPlugin`). */
  readonly entry: string;
  /** Plugin id = launcher file name; default: from the package.json `bin` of the entry's project. */
  readonly id?: string;
  readonly pluginDir: string;
  readonly cacheDir?: string;
  readonly inspect?: InspectSettings;
  /** Replace an existing plugin file of the same name that is not a dev launcher. */
  readonly force?: boolean;
  /** After a source change, how long no request must be in flight before the plugin stops (default 200 ms). */
  readonly quietMs?: number;
  /** The Node.js binary the launcher runs (default: the one running this command). */
  readonly node?: string;
}

export interface DevInstallResult {
  readonly id: string;
  readonly launcher: string;
  readonly cacheDir: string;
  readonly config: DevConfig;
  /** First build time. */
  readonly buildMs: number;
  /** `<launcher> capabilities` wall time after the build (a fresh, cached start). */
  readonly capabilitiesMs: number;
  /** VS Code `launch.json` attach configuration, when an inspector was asked for. */
  readonly attach?: Record<string, unknown>;
}

/** The nearest directory at or above `start` with a package.json. */
export function projectRootOf(start: string): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const up = dirname(dir);
    if (up === dir) return resolve(start);
    dir = up;
  }
}

/** The plugin id from a package.json `bin` (with `ocmPlugin.entries` when there are several). */
export function idFromPackage(projectRoot: string, entry: string): string | undefined {
  let pkg: { bin?: string | Record<string, string>; name?: string; ocmPlugin?: { entries?: Record<string, string> } };
  try {
    pkg = JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8'));
  } catch {
    return undefined;
  }
  for (const [id, file] of Object.entries(pkg.ocmPlugin?.entries ?? {})) {
    if (resolve(projectRoot, file) === entry) return id;
  }
  if (typeof pkg.bin === 'string') return pkg.name?.replace(/^@[^/]+\//, '');
  const bins = Object.keys(pkg.bin ?? {});
  return bins.length === 1 ? bins[0] : undefined;
}

function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The launcher script text. */
export function launcherScript(cfg: DevConfig, node: string): string {
  const runtime = join(cfg.cacheDir, 'launch.cjs');
  const devJson = join(cfg.cacheDir, 'dev.json');
  return [
    '#!/bin/sh',
    LAUNCHER_MARKER,
    `# Runs the OCM plugin "${cfg.id}" from its source ${cfg.entry}, rebuilding it when the source changed.`,
    `# Remove with: ocm-plugin dev uninstall --id ${cfg.id} --plugin-dir <this directory>`,
    `${CONFIG_LINE}${devJson}`,
    `if [ ! -f ${shQuote(runtime)} ]; then`,
    `  echo ${shQuote(`ocm-plugin dev launcher for plugin ${cfg.id}: ${runtime} is missing (cache removed?); run \`ocm-plugin dev install\` again or delete this launcher`)} >&2`,
    '  exit 1',
    'fi',
    ...cachedCapabilitiesLines(cfg.cacheDir),
    `exec ${shQuote(node)} ${shQuote(runtime)} ${shQuote(devJson)} "$@"`,
    '',
  ].join('\n');
}

/** The dev config path recorded in a launcher, or undefined when the file is not a dev launcher. */
export function readLauncher(path: string): { devJson: string } | undefined {
  let text: string;
  try {
    if (statSync(path).size > 64 * 1024) return undefined;
    text = readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
  const lines = text.split('\n');
  if (lines[1] !== LAUNCHER_MARKER) return undefined;
  const cfgLine = lines.find((l) => l.startsWith(CONFIG_LINE));
  return cfgLine ? { devJson: cfgLine.slice(CONFIG_LINE.length) } : undefined;
}

function writeExecutable(path: string, text: string): void {
  // The temporary name has an extension, so a concurrent `ocm` run never takes it for a plugin.
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  writeFileSync(tmp, text, { mode: 0o755 });
  chmodSync(tmp, 0o755);
  renameSync(tmp, path);
}

/** This package's dev runtime source: TypeScript in the workspace, compiled JavaScript when installed. */
function runtimeSource(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const name of ['runtime.ts', 'runtime.js']) {
    const p = join(here, name);
    if (existsSync(p)) return p;
  }
  throw new Error(`the dev runtime is missing next to ${here}; reinstall @ocm-plugin-kit/tooling`);
}

function loadEsbuild(): { esbuild: typeof Esbuild; path: string } {
  const req = createRequire(import.meta.url);
  const path = req.resolve('esbuild');
  return { esbuild: req(path) as typeof Esbuild, path };
}

/**
 * `<nearest node_modules>/.cache/ocm-plugin-dev/<id>-<hash of the entry path>` (npm workspaces hoist node_modules to
 * the root, so it may be above the project); else the user cache directory. The hash keeps two checkouts that
 * install the same plugin id apart.
 */
function defaultCacheDir(projectRoot: string, id: string, entry: string): string {
  const name = `${id}-${createHash('sha256').update(entry).digest('hex').slice(0, 8)}`;
  for (let dir = projectRoot; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules'))) return join(dir, 'node_modules', '.cache', 'ocm-plugin-dev', name);
    if (dirname(dir) === dir) break;
  }
  return join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ocm-plugin-dev', name);
}

function extraInputs(projectRoot: string): string[] {
  const files = [join(projectRoot, 'package.json'), join(projectRoot, 'tsconfig.json')];
  // npm writes node_modules/.package-lock.json on every install: a cheap "dependencies changed" signal.
  let dir = projectRoot;
  for (;;) {
    for (const lock of ['package-lock.json', join('node_modules', '.package-lock.json')]) {
      if (existsSync(join(dir, lock))) files.push(join(dir, lock));
    }
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return files;
}

/** Installs (or replaces) the dev launcher. Builds once, then runs `<launcher> capabilities` as a check. */
export async function devInstall(options: DevInstallOptions): Promise<DevInstallResult> {
  const entry = resolve(options.entry);
  if (!existsSync(entry)) throw new Error(`entry ${entry} does not exist; give the plugin's main module (the file that calls runPlugin), e.g. src/main.ts`);
  const projectRoot = projectRootOf(dirname(entry));
  const id = options.id ?? idFromPackage(projectRoot, entry);
  if (!id) throw new Error(`cannot tell the plugin id from ${join(projectRoot, 'package.json')}; pass --id <id> (the file name the ocm CLI will see)`);
  const problem = pluginIdProblem(id);
  if (problem) throw new Error(`plugin id ${problem}; choose an id without "." or path separators`);

  const pluginDir = resolve(options.pluginDir);
  mkdirSync(pluginDir, { recursive: true });
  const launcher = join(pluginDir, id);
  if (existsSync(launcher) && !readLauncher(launcher) && !options.force) {
    throw new Error(`${launcher} exists and is not a dev launcher (an installed plugin?); move it away or pass --force to replace it`);
  }

  const cacheDir = resolve(options.cacheDir ?? defaultCacheDir(projectRoot, id, entry));
  mkdirSync(cacheDir, { recursive: true });
  const { esbuild, path: esbuildPath } = loadEsbuild();
  const cfg: DevConfig = {
    format: DEV_FORMAT,
    id,
    entry,
    projectRoot,
    cacheDir,
    esbuild: esbuildPath,
    conditions: ['source'],
    target: `node${process.versions.node.split('.')[0]}`,
    extraInputs: extraInputs(projectRoot),
    quietMs: options.quietMs ?? 200,
    inspect: options.inspect ?? null,
  };

  // The runtime: one CommonJS file with no dependencies but esbuild (loaded by path, only to rebuild).
  await esbuild.build({
    entryPoints: [runtimeSource()],
    outfile: join(cacheDir, 'launch.cjs'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: cfg.target,
    external: ['esbuild'],
    logLevel: 'silent',
    legalComments: 'none',
  });
  writeFileSync(join(cacheDir, 'dev.json'), `${JSON.stringify(cfg, null, 2)}\n`);
  // Made by the previous runtime and settings: the next `capabilities` makes it again.
  removeCapabilitiesCache(cacheDir);
  const record = await buildBundle(cfg, esbuild);

  writeExecutable(launcher, launcherScript(cfg, options.node ?? process.execPath));

  const started = performance.now();
  const check = spawnSync(launcher, ['capabilities'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  const capabilitiesMs = Math.round(performance.now() - started);
  if (check.status !== 0 || check.stderr) {
    throw new Error(
      `the launcher was installed at ${launcher}, but \`${id} capabilities\` ${check.status !== 0 ? `exits ${check.status ?? check.signal}` : 'writes to stderr'}:\n${check.stderr || check.error?.message || ''}`,
    );
  }
  try {
    JSON.parse(check.stdout);
  } catch (err) {
    throw new Error(
      `the launcher was installed at ${launcher}, but \`${id} capabilities\` prints no JSON document (${(err as Error).message}): ${check.stdout.slice(0, 200)}`,
    );
  }
  return {
    id,
    launcher,
    cacheDir,
    config: cfg,
    buildMs: record.ms,
    capabilitiesMs,
    attach: cfg.inspect ? attachConfiguration(cfg) : undefined,
  };
}

export interface DevUninstallResult {
  readonly launcher: string;
  readonly cacheDir?: string;
}

/** Removes a dev launcher (only a file this tool wrote) and, unless `keepCache`, its cache directory. */
export function devUninstall(options: { id: string; pluginDir: string; keepCache?: boolean }): DevUninstallResult {
  const launcher = join(resolve(options.pluginDir), options.id);
  if (!existsSync(launcher)) throw new Error(`${launcher} does not exist; nothing to uninstall`);
  const info = readLauncher(launcher);
  if (!info) throw new Error(`${launcher} is not a dev launcher written by \`ocm-plugin dev install\`; remove it yourself if it should go`);
  rmSync(launcher, { force: true });
  let cacheDir: string | undefined;
  if (!options.keepCache && existsSync(info.devJson)) {
    cacheDir = dirname(info.devJson);
    rmSync(cacheDir, { recursive: true, force: true });
  }
  return { launcher, cacheDir };
}
