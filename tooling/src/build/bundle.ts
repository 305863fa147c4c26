/** Bundles a plugin's entry into one CommonJS file: the fastest start, and what single-executable packaging needs. */
import { chmod, copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { build, type Plugin } from 'esbuild';
import { declaredAssetGlobs, findAssets } from '@ocm-plugin-kit/sdk/assets';
import { COVERAGE_FILE, addonCoverage, addonsForTarget, nativeAddons, ownerOf, sideName, type AddonSlot } from './addons.js';
import { defaultCacheDir } from './node-cache.js';
import { hostTarget } from './targets.js';

/**
 * Modules that fastify and pino require when they load but use only for features a plugin server never uses:
 * HTTPS and HTTP/2 servers, DNS lookups of listen host names, version checks of fastify plugins, worker-thread log
 * transports. Loading them costs ~10 ms
 * of every cold start, so the bundle requires them on first use instead. A line that no longer matches (a new
 * fastify or pino) is left as it is: slower, never wrong; the bundle test notices.
 */
const DEFERRED_REQUIRES: ReadonlyArray<{ readonly file: RegExp; readonly modules: readonly string[] }> = [
  { file: /[\\/]node_modules[\\/]fastify[\\/]lib[\\/]server\.js$/, modules: ['node:https', 'node:http2', 'node:dns'] },
  { file: /[\\/]node_modules[\\/]fastify[\\/]lib[\\/]plugin-utils\.js$/, modules: ['semver'] },
  { file: /[\\/]node_modules[\\/]pino[\\/]lib[\\/]transport\.js$/, modules: ['thread-stream'] },
];

// A stand-in that loads the module on first property access, call or `new` (thread-stream exports a class).
const DEFER_HELPER =
  'function __ocmkitDeferred(load) { let m; const get = () => (m ??= load()); ' +
  'return new Proxy(function () {}, { get: (_, k) => Reflect.get(get(), k), has: (_, k) => Reflect.has(get(), k), ' +
  'apply: (_, self, args) => Reflect.apply(get(), self, args), construct: (_, args) => Reflect.construct(get(), args) }); }\n';

const deferRequires: Plugin = {
  name: 'ocm-plugin-kit-defer-requires',
  setup(b) {
    for (const { file, modules } of DEFERRED_REQUIRES) {
      b.onLoad({ filter: file }, async (args) => {
        let contents = await readFile(args.path, 'utf8');
        for (const mod of modules) {
          const quoted = mod.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
          contents = contents.replace(
            new RegExp(`^const (\\w+) = require\\((['"])${quoted}\\2\\)$`, 'm'),
            (_m, name: string, q: string) => `const ${name} = __ocmkitDeferred(() => require(${q}${mod}${q}))`,
          );
        }
        // Appended: a declaration is hoisted, and the file's 'use strict' must stay its first statement.
        return { contents: `${contents}\n${DEFER_HELPER}`, loader: 'js' };
      });
    }
  },
};

export interface BundleOptions {
  /** The plugin's main module (calls `runPlugin`). */
  readonly entry: string;
  /** Output file, e.g. `dist/my-plugin.cjs`. */
  readonly outfile: string;
  /** Minify (smaller, same speed). Default false: stack traces stay readable. */
  readonly minify?: boolean;
  /** Node.js version the bundle targets (default `node20`). */
  readonly target?: string;
  /** Cache for addon binaries fetched from npm (default {@link defaultCacheDir}); bundling itself never fetches. */
  readonly cacheDir?: string;
}

export interface BundleResult {
  readonly outfile: string;
  readonly bytes: number;
  /** Native addons the bundle loads; this machine's binaries are copied to `<outfile stem>.addons/`. */
  readonly addons: AddonSlot[];
  /** Assets declared by `ocmPlugin.assets` (relative to {@link projectDir}); copied to `<outfile stem>.assets/`. */
  readonly assets: string[];
  /** The directory of the plugin's package.json. */
  readonly projectDir: string;
  /** Addons without a binary for this machine (the bundle cannot load them here). */
  readonly warnings: string[];
}

/** The sidecar directories of a bundle: `<dir>/<stem>.addons` and `<dir>/<stem>.assets`. */
export function sidecarDirs(outfile: string): { addons: string; assets: string; stem: string } {
  const stem = basename(outfile).replace(/\.c?js$/, '');
  return { stem, addons: join(dirname(outfile), `${stem}.addons`), assets: join(dirname(outfile), `${stem}.assets`) };
}

/**
 * Bundles the plugin with esbuild and marks the output executable (it keeps the entry's `#!/usr/bin/env node`).
 * Native addons stay out of the bundle and are copied beside it, as are the declared assets.
 */
export async function bundlePlugin(options: BundleOptions): Promise<BundleResult> {
  const side = sidecarDirs(options.outfile);
  const slots = new Map<string, AddonSlot>();
  const projectDir = ownerOf(options.entry)?.dir ?? dirname(options.entry);
  // Write next to the target and rename: a plugin running from the old file never sees a half-written one.
  const tmp = `${options.outfile}.${process.pid}.tmp`;
  const result = await build({
    entryPoints: [options.entry],
    outfile: tmp,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: options.target ?? 'node20',
    minify: options.minify ?? false,
    // Our workspace packages point the `source` condition at TypeScript, so a bundle needs no prior build.
    conditions: ['source'],
    legalComments: 'none',
    logLevel: 'warning',
    metafile: true,
    plugins: [deferRequires, nativeAddons({ mode: 'beside', stem: side.stem, slots })],
    define: { __OCM_PLUGIN_KIT_ASSET_DIR__: '__dirname', __OCM_PLUGIN_KIT_ASSET_SUBDIR__: JSON.stringify(basename(side.assets)) },
  });
  await chmod(tmp, 0o755);
  await rename(tmp, options.outfile);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  const warnings: string[] = [];
  await rm(side.addons, { recursive: true, force: true });
  const host = hostTarget();
  if (slots.size > 0) {
    await mkdir(side.addons, { recursive: true });
    await writeFile(join(side.addons, COVERAGE_FILE), `${JSON.stringify(addonCoverage(slots.values()), null, 1)}\n`);
    if (host) {
      const found = await addonsForTarget(slots.values(), host, { cacheDir: options.cacheDir ?? defaultCacheDir(), fetch: false });
      warnings.push(...found.problems);
      for (const b of found.binaries) await writeFile(join(side.addons, sideName(b.key)), b.bytes);
    }
  }
  const assets = findAssets(projectDir, declaredAssetGlobs(projectDir));
  await rm(side.assets, { recursive: true, force: true });
  for (const a of assets) {
    await mkdir(dirname(join(side.assets, a)), { recursive: true });
    await copyFile(join(projectDir, a), join(side.assets, a));
  }
  return { outfile: options.outfile, bytes, addons: [...slots.values()], assets, projectDir, warnings };
}
