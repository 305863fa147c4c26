/**
 * A scratch workspace where generated projects install against this repository's packages without a registry:
 * `node_modules/@ocm-plugin-kit/{sdk,tooling,conformance}` are packed the way npm publishes them (package.json + freshly
 * compiled `dist/`, plus `src/` for bundling), every other dependency is a symlink into the repository's
 * node_modules. Projects generated under `<workspace>/projects/` resolve their imports there, so one install
 * serves every kind.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './cli.js';

const KIT_PACKAGES = ['sdk', 'tooling', 'conformance'] as const;

interface Manifest {
  name: string;
  bin?: Record<string, string>;
}

/** Copies a workspace package as npm would publish it, with `dist/` compiled from the current sources. */
async function packLocal(pkgDir: string, into: string): Promise<Manifest> {
  mkdirSync(into, { recursive: true });
  cpSync(join(pkgDir, 'package.json'), join(into, 'package.json'));
  cpSync(join(pkgDir, 'src'), join(into, 'src'), { recursive: true });
  // The committed bin entries import ../dist; published packages carry them (package.json "files").
  if (existsSync(join(pkgDir, 'bin'))) cpSync(join(pkgDir, 'bin'), join(into, 'bin'), { recursive: true });
  // The conformance package ships the Go harness sources, built on the user's machine for --host go.
  if (existsSync(join(pkgDir, 'go'))) cpSync(join(pkgDir, 'go'), join(into, 'go'), { recursive: true });
  // The tooling package ships the launcher sources, built with Go when no prebuilt launcher fits.
  if (existsSync(join(pkgDir, 'launcher'))) cpSync(join(pkgDir, 'launcher'), join(into, 'launcher'), { recursive: true });
  const tsc = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
  await promisify(execFile)(
    process.execPath,
    [tsc, '-p', join(pkgDir, 'tsconfig.build.json'), '--outDir', join(into, 'dist'), '--declarationMap', 'false', '--sourceMap', 'false'],
    {
      cwd: REPO_ROOT,
    },
  ).catch((err: { stdout?: string; message: string }) => {
    throw new Error(`compiling ${pkgDir} failed: ${err.stdout ?? err.message}`);
  });
  const manifest = JSON.parse(readFileSync(join(into, 'package.json'), 'utf8')) as Manifest;
  for (const bin of Object.values(manifest.bin ?? {})) if (existsSync(join(into, bin))) chmodSync(join(into, bin), 0o755);
  return manifest;
}

export interface Workspace {
  readonly root: string;
  readonly projects: string;
  /** PATH with the workspace's node_modules/.bin first. */
  readonly env: NodeJS.ProcessEnv;
}

export async function createWorkspace(): Promise<Workspace> {
  const root = mkdtempSync(join(tmpdir(), 'ocm-create-gate-'));
  const nm = join(root, 'node_modules');
  const bin = join(nm, '.bin');
  mkdirSync(bin, { recursive: true });
  const repoNm = join(REPO_ROOT, 'node_modules');
  for (const entry of readdirSync(repoNm)) {
    if (entry === '.bin' || entry === '@ocm-plugin-kit' || entry.startsWith('.')) continue;
    symlinkSync(join(repoNm, entry), join(nm, entry));
  }
  for (const entry of readdirSync(join(repoNm, '.bin'))) {
    symlinkSync(readlinkSync(join(repoNm, '.bin', entry)), join(bin, entry));
  }
  const manifests = await Promise.all(KIT_PACKAGES.map((pkg) => packLocal(join(REPO_ROOT, pkg), join(nm, manifestName(pkg)))));
  for (const manifest of manifests) {
    for (const [name, file] of Object.entries(manifest.bin ?? {})) {
      const link = join(bin, name);
      if (existsSync(link)) continue;
      symlinkSync(join('..', manifest.name, file), link);
    }
  }
  const projects = join(root, 'projects');
  mkdirSync(projects);
  return { root, projects, env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } };
}

function manifestName(pkg: string): string {
  return (JSON.parse(readFileSync(join(REPO_ROOT, pkg, 'package.json'), 'utf8')) as Manifest).name;
}
