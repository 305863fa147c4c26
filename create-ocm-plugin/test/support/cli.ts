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

export interface CatalogueEntry {
  kind: string;
  dir: string;
  typeBase: string;
  typeVersion: string;
  folder: string;
  reachedBy: string;
}

/**
 * The kind catalogue as the CLI sees it, computed in a child process from the current SDK sources (`source`
 * condition). In-process imports of `@ocm-plugin-kit/sdk` would load whatever `sdk/dist` was last built.
 */
export async function catalogue(): Promise<{
  kinds: string[];
  released: string[];
  headOnly: string[];
  available: CatalogueEntry[];
  withoutTemplate: string[];
}> {
  const dir = join(PACKAGE_ROOT, '.cache');
  mkdirSync(dir, { recursive: true });
  const outfile = join(dir, `catalogue-${process.pid}.mjs`);
  await build({
    stdin: {
      contents: `
        import { KINDS, RELEASED_KINDS } from '@ocm-plugin-kit/sdk/contracts';
        import { availableKinds, kindsWithoutTemplate } from './src/kinds.js';
        import { templatesDir } from './src/templates.js';
        const root = templatesDir();
        process.stdout.write(JSON.stringify({
          kinds: Object.keys(KINDS),
          released: RELEASED_KINDS,
          headOnly: Object.values(KINDS).filter((k) => k.headOnly).map((k) => k.kind),
          available: availableKinds(root).map((k) => ({ kind: k.kind, dir: k.dir, typeBase: k.typeBase, typeVersion: k.typeVersion, folder: k.folder, reachedBy: k.contract.reachedBy })),
          withoutTemplate: kindsWithoutTemplate(root),
        }));`,
      resolveDir: PACKAGE_ROOT,
      loader: 'ts',
    },
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    conditions: ['source'],
    external: ['yargs', 'node-plop'],
    banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
    logLevel: 'warning',
  });
  const { execFileSync } = await import('node:child_process');
  try {
    return JSON.parse(execFileSync(process.execPath, [outfile], { encoding: 'utf8' }));
  } finally {
    (await import('node:fs')).rmSync(outfile, { force: true });
  }
}
