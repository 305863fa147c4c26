/**
 * Files a plugin reads at run time (data files, WASM modules), declared by globs in its package.json:
 *
 *   "ocmPlugin": { "assets": ["assets/**", "wasm/*.wasm"] }
 *
 * {@link readAsset} returns the same bytes in every mode: from the project directory when the plugin runs from
 * source (tests, `tsx`), from `<bundle>.assets/` beside a bundle (`ocm-plugin bundle`), and from the executable
 * itself when packaged (`ocm-plugin build` embeds them as single-executable assets).
 */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { declaredAssetGlobs, isDeclaredAsset, normalizeAssetName } from './asset-globs.js';

// Set by the bundler (esbuild `define`): the bundle's `__dirname` and `<bundle>.assets`, or (the dev loop, which
// reads assets from the project) the project directory and "". Absent when the plugin runs from source.
declare const __OCM_PLUGIN_KIT_ASSET_DIR__: string | undefined;
declare const __OCM_PLUGIN_KIT_ASSET_SUBDIR__: string;

export { declaredAssetGlobs, findAssets, globToRegExp, isDeclaredAsset, normalizeAssetName } from './asset-globs.js';

/** The SEA asset key under which a packaged executable carries an asset (`ocm-plugin build` writes them). */
export const SEA_ASSET_PREFIX = 'asset:';

function seaAsset(name: string): Buffer | undefined {
  let sea: typeof import('node:sea') | undefined;
  try {
    sea = process.getBuiltinModule?.('node:sea') as typeof import('node:sea') | undefined;
  } catch {
    return undefined;
  }
  if (!sea?.isSea()) return undefined;
  try {
    return Buffer.from(sea.getRawAsset(SEA_ASSET_PREFIX + name) as ArrayBuffer);
  } catch {
    throw new Error(`this executable carries no asset "${name}": add a glob that matches it to ocmPlugin.assets in package.json and build again`);
  }
}

const notDeclared = (name: string, root: string) =>
  new Error(
    `asset "${name}" is not declared: add a glob that matches it to ocmPlugin.assets in ${join(root, 'package.json')}, so bundles and executables carry it too`,
  );

/** The directory whose package.json declares `ocmPlugin`: found upwards from the module that asks, else from the working directory. */
function sourceRoot(): string {
  const starts: string[] = [];
  for (const line of (new Error().stack ?? '').split('\n').slice(1)) {
    const m = /\(?((?:file:\/\/)?\/[^():]+|[A-Za-z]:\\[^():]+):\d+:\d+\)?$/.exec(line.trim());
    if (!m) continue;
    const file = m[1]!.startsWith('file://') ? fileURLToPath(m[1]!) : m[1]!;
    if (!/[\\/]assets\.[tj]s$/.test(file)) starts.push(dirname(file));
  }
  starts.push(process.cwd());
  for (const start of starts) {
    for (let d = resolve(start); ; d = dirname(d)) {
      const pkg = join(d, 'package.json');
      if (existsSync(pkg) && /"ocmPlugin"\s*:/.test(readFileSync(pkg, 'utf8'))) return d;
      if (d === dirname(d)) break;
    }
  }
  throw new Error('cannot find the plugin project: no package.json with an "ocmPlugin" section above the calling module or the working directory');
}

function locate(name: string): { bytes: Buffer } | { path: string } {
  const n = normalizeAssetName(name);
  const embedded = seaAsset(n);
  if (embedded) return { bytes: embedded };
  if (typeof __OCM_PLUGIN_KIT_ASSET_DIR__ !== 'undefined') return { path: join(__OCM_PLUGIN_KIT_ASSET_DIR__, __OCM_PLUGIN_KIT_ASSET_SUBDIR__, n) };
  const root = sourceRoot();
  if (!isDeclaredAsset(n, declaredAssetGlobs(root))) throw notDeclared(n, root);
  return { path: join(root, n) };
}

/** Reads a declared asset (see the module comment); throws naming the fix when it is not declared or not there. */
export async function readAsset(name: string): Promise<Buffer> {
  const at = locate(name);
  return 'bytes' in at ? at.bytes : readFile(at.path);
}

/** {@link readAsset}, synchronously (e.g. to compile a WASM module while the plugin loads). */
export function readAssetSync(name: string): Buffer {
  const at = locate(name);
  return 'bytes' in at ? at.bytes : readFileSync(at.path);
}
