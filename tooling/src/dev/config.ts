/**
 * The dev launcher's settings (`dev.json` in the cache directory), written by `ocm-plugin dev install` and read by
 * the launcher runtime on every start. Node built-ins only: the runtime loads this on the `capabilities` path.
 */
import { readFileSync } from 'node:fs';

/** Bumped when the launcher runtime or the bundle layout changes; a different version forces a rebuild. */
export const DEV_FORMAT = 1;

/** Where a debugger can attach. */
export interface InspectSettings {
  readonly host: string;
  readonly port: number;
  /** Wait for a debugger before serving the first request (`--inspect-brk`). */
  readonly wait: boolean;
}

export interface DevConfig {
  readonly format: number;
  /** Plugin id = launcher file name. */
  readonly id: string;
  /** Absolute path of the plugin's main module (TypeScript). */
  readonly entry: string;
  /** The directory with the plugin's package.json; esbuild resolves from here. */
  readonly projectRoot: string;
  /** Holds `dev.json`, `launch.cjs`, the bundle, its source map and `build.json`. */
  readonly cacheDir: string;
  /** Absolute path of the esbuild module, loaded only when the bundle is stale. */
  readonly esbuild: string;
  /** Export conditions for resolution (the kit's workspace packages point `source` at TypeScript). */
  readonly conditions: readonly string[];
  /** esbuild target, e.g. `node20`. */
  readonly target: string;
  /** Files whose change invalidates the bundle besides its inputs: package.json, tsconfig.json, lock files. */
  readonly extraInputs: readonly string[];
  /** After a source change, how long no request must be in flight before the plugin stops. */
  readonly quietMs: number;
  readonly inspect: InspectSettings | null;
}

export function readDevConfig(path: string): DevConfig {
  const cfg = JSON.parse(readFileSync(path, 'utf8')) as DevConfig;
  if (cfg.format !== DEV_FORMAT) {
    throw new Error(
      `${path} was written by another version of ocm-plugin (format ${cfg.format}, expected ${DEV_FORMAT}); run \`ocm-plugin dev install\` again`,
    );
  }
  return cfg;
}
