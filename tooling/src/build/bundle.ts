/** Bundles a plugin's entry into one CommonJS file: the fastest start, and what single-executable packaging needs. */
import { chmod, readFile, rename } from 'node:fs/promises';
import { build, type Plugin } from 'esbuild';

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
}

/** Bundles the plugin with esbuild and marks the output executable (it keeps the entry's `#!/usr/bin/env node`). */
export async function bundlePlugin(options: BundleOptions): Promise<{ outfile: string; bytes: number }> {
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
    plugins: [deferRequires],
  });
  await chmod(tmp, 0o755);
  await rename(tmp, options.outfile);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { outfile: options.outfile, bytes };
}
