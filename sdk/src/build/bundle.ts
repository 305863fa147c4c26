/** Bundles a plugin's entry into one CommonJS file: the fastest start, and what single-executable packaging needs. */
import { chmod, rename } from 'node:fs/promises';
import { build } from 'esbuild';

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
  });
  await chmod(tmp, 0o755);
  await rename(tmp, options.outfile);
  const bytes = Object.values(result.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
  return { outfile: options.outfile, bytes };
}
