/**
 * Official Node.js binaries for every packaging target, taken from npm (the `node-<os>-<arch>` packages) and kept
 * in a local cache. Nothing is downloaded from anywhere but the npm registry, and only when the cache lacks it.
 *
 * Cache layout (`<cache>` = `$OCM_PLUGIN_KIT_CACHE`, else `$XDG_CACHE_HOME/ocm-plugin-kit`, else
 * `~/.cache/ocm-plugin-kit`):
 *   <cache>/node/<version>/tgz/<npm package>-<version>.tgz   what `npm pack` writes
 *   <cache>/node/<version>/<target>/node[.exe]                 the binary, extracted once
 *   <cache>/node/registry/<npm package>.json                    the versions npm listed at the last online build
 * An offline machine can be prepared by copying either file into place. Which version a build embeds is chosen in
 * runtime-choice.ts.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, rename, rm, stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, join } from 'node:path';
import { extract } from 'tar';
import type { Target } from './targets.js';

export function defaultCacheDir(): string {
  if (process.env.OCM_PLUGIN_KIT_CACHE) return process.env.OCM_PLUGIN_KIT_CACHE;
  const base = process.env.XDG_CACHE_HOME || join(homedir(), '.cache');
  return join(base, 'ocm-plugin-kit');
}

export interface NodeCacheOptions {
  readonly cacheDir?: string;
  /** The exact Node.js version, e.g. `26.10.0`. */
  readonly version: string;
  /** Run `npm pack` when a tarball is missing (default true). */
  readonly fetch?: boolean;
  readonly log?: (msg: string) => void;
}

/** Thrown when a target's Node.js binary is neither cached nor obtainable; the message says what to put where. */
export class MissingNodeError extends Error {
  override name = 'MissingNodeError';
}

/** Returns the path of the official Node.js binary for `target`, from the cache or `npm pack`. */
export async function ensureNode(target: Target, options: NodeCacheOptions): Promise<string> {
  const version = options.version;
  const root = join(options.cacheDir ?? defaultCacheDir(), 'node', version);
  const bin = join(root, target.name, `node${target.suffix}`);
  if (existsSync(bin)) return bin;
  const tgzDir = join(root, 'tgz');
  const tgz = join(tgzDir, `${target.nodePackage}-${version}.tgz`);
  if (!existsSync(tgz)) {
    const hint =
      `put ${target.nodePackage}-${version}.tgz (from \`npm pack ${target.nodePackage}@${version}\`) into ${tgzDir}, ` +
      `or the ${target.nodeEntry.replace('package/', '')} it contains at ${bin}`;
    if (options.fetch === false) throw new MissingNodeError(`no Node.js ${version} for ${target.name}: ${hint}`);
    // Pack into a private directory and rename, so a concurrent build never reads a half-written tarball.
    const partial = join(tgzDir, `.pack-${process.pid}-${target.name}`);
    await mkdir(partial, { recursive: true });
    options.log?.(`fetching ${target.nodePackage}@${version} from the npm registry (once; cached in ${tgzDir})`);
    try {
      const r = await run('npm', ['pack', `${target.nodePackage}@${version}`, '--pack-destination', partial, '--silent'], partial);
      const packed = join(partial, basename(tgz));
      if (r.code !== 0 || !existsSync(packed)) {
        throw new MissingNodeError(
          `cannot get Node.js ${version} for ${target.name}: \`npm pack ${target.nodePackage}@${version}\` failed (${r.stderr.trim().split('\n').slice(-3).join(' ') || `exit ${r.code}`}); ${hint}`,
        );
      }
      await rename(packed, tgz);
    } finally {
      await rm(partial, { recursive: true, force: true });
    }
  }
  await mkdir(join(root, target.name), { recursive: true });
  // Extract into a private directory and rename, so a concurrent build never runs a half-written binary.
  const partial = join(root, target.name, `.extract-${process.pid}`);
  await rm(partial, { recursive: true, force: true });
  await mkdir(partial);
  try {
    const wanted = (path: string) => path.replace(/^\.\//, '') === target.nodeEntry;
    await extract({ file: tgz, cwd: partial, strict: true, filter: wanted });
    const extracted = join(partial, target.nodeEntry);
    if (!(await stat(extracted).catch(() => undefined))?.isFile()) {
      throw new MissingNodeError(`${tgz} has no ${target.nodeEntry}; delete it and build again`);
    }
    await chmod(extracted, 0o755);
    await rename(extracted, bin);
  } catch (err) {
    if (err instanceof MissingNodeError) throw err;
    throw new MissingNodeError(`cannot read ${target.nodeEntry} from ${tgz} (${(err as Error).message}); delete it and build again`);
  } finally {
    await rm(partial, { recursive: true, force: true });
  }
  return bin;
}

/**
 * The environment for running the plugin at build time (its \`capabilities\` answer, the code-cache training): the
 * caller's, without NODE_OPTIONS, which would change what the bundle prints and the V8 flags a code cache is tied to.
 */
export function pluginRunEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  delete env.NODE_OPTIONS;
  return env;
}

export function run(cmd: string, args: readonly string[], cwd?: string, env?: NodeJS.ProcessEnv): Promise<{ code: number; stdout: Buffer; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd, env: env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' && cmd === 'npm' });
    const out: Buffer[] = [];
    let err = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: err }));
  });
}
