/**
 * Runs the scaffolder the way users do: as a process, from one JavaScript file. The file is bundled from `src/` with
 * the workspace's `source` condition (so kinds the SDK just gained are there without a build); yargs and node-plop
 * stay external, resolved from node_modules as in the published package.
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

export const PACKAGE_ROOT = resolve(import.meta.dirname, '../..');
export const REPO_ROOT = resolve(PACKAGE_ROOT, '..');

/** Bundles `src/bin.ts` into `create-ocm-plugin/.cache/` (beside `package.json`'s directory level, as `dist/` is). */
export async function buildCli(): Promise<string> {
  const dir = join(PACKAGE_ROOT, '.cache');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `bin-${process.pid}.mjs`);
  await build({
    entryPoints: [join(PACKAGE_ROOT, 'src/bin.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['source'],
    external: ['yargs', 'node-plop'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  return outfile;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI without a terminal (stdin is /dev/null). */
export function runCli(bin: string, args: readonly string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<RunResult> {
  return new Promise((done, reject) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
    for (const k of Object.keys(env)) if (k.startsWith('npm_') && !(options.env && k in options.env)) delete env[k];
    const child = spawn(process.execPath, [bin, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}
