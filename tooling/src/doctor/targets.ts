/**
 * What `ocm-plugin doctor` checks when it is given no file: the plugins a project builds (every `bin` of its
 * package.json, as the bundle and as the single executables in `dist/bin/`), or every file the ocm CLI would run
 * from a plugin directory.
 */
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { COVERAGE_FILE, type AddonCoverage } from '../build/addons.js';
import { TARGETS, artifactName } from '../build/targets.js';
import type { Finding, Install } from './checks.js';
import { goExt } from '@ocm-plugin-kit/sdk/host-facts';

export interface DoctorTarget {
  /** The plugin id. */
  readonly id: string;
  /** What the file is: the bundle, a single executable for a platform, or a file in a plugin directory. */
  readonly role: string;
  /** The path to show (relative to the directory doctor runs in, where it lies below it). */
  readonly path: string;
  /** For a build artifact not installed under its own name: how it becomes the plugin. */
  readonly install?: Install;
}

/** A plugin or file doctor does not run, and why. */
export interface DoctorNote {
  readonly id: string;
  readonly finding: Finding;
}

export interface DoctorPlan {
  readonly targets: DoctorTarget[];
  readonly notes: DoctorNote[];
}

interface PackageJson {
  bin?: string | Record<string, string>;
  name?: string;
  scripts?: Record<string, string>;
}

const show = (cwd: string, path: string): string => {
  const rel = relative(cwd, path);
  return rel && !rel.startsWith('..') ? rel : path;
};

/** The commands that install a project's bundle under its plugin id. */
export function bundleInstall(id: string, bundle: string, scripts: Record<string, string> | undefined): Install {
  const copy = `cp ${bundle} plugins/${id}`;
  return { id, commands: scripts?.dev?.includes('dev install') ? `npm run dev (runs it from source), or ${copy}` : copy };
}

/** Reads package.json in `cwd`; throws with a message saying what is missing. */
export function readProject(cwd: string): PackageJson {
  const path = join(cwd, 'package.json');
  if (!existsSync(path)) throw new Error(`no package.json in ${cwd}: run doctor in a plugin project, or give a plugin executable or --plugin-dir <dir>`);
  return JSON.parse(readFileSync(path, 'utf8')) as PackageJson;
}

/** The plugin ids a package.json builds, with their bundle paths. */
export function projectBins(pkg: PackageJson): Array<[id: string, bundle: string]> {
  if (typeof pkg.bin === 'string') return pkg.name ? [[pkg.name.replace(/^@[^/]+\//, ''), pkg.bin]] : [];
  return Object.entries(pkg.bin ?? {});
}

/** Every plugin of the project in `cwd`: its bundle and the single executables built for any platform. */
export function projectPlan(cwd: string, binDir = 'dist/bin'): DoctorPlan {
  const pkg = readProject(cwd);
  const bins = projectBins(pkg);
  if (bins.length === 0)
    throw new Error(`package.json in ${cwd} declares no "bin": doctor finds a project's plugins there; give a plugin executable or --plugin-dir <dir>`);
  const targets: DoctorTarget[] = [];
  const notes: DoctorNote[] = [];
  for (const [id, bundle] of bins) {
    const bundlePath = resolve(cwd, bundle);
    const hasBundle = existsSync(bundlePath);
    if (hasBundle) targets.push({ id, role: 'bundle', path: show(cwd, bundlePath), install: bundleInstall(id, bundle, pkg.scripts) });
    if (hasBundle) notes.push(...addonNotes(id, bundlePath));
    let executables = 0;
    for (const target of TARGETS) {
      const exe = resolve(cwd, binDir, artifactName(id, target));
      if (!existsSync(exe)) continue;
      executables++;
      if (target.suffix) {
        notes.push({
          id,
          finding: {
            check: `${target.os}-${target.arch}`,
            status: 'skip',
            summary: `${show(cwd, exe)} not checked: ocm v0.13.0 skips every name with an extension, so no Windows plugin can be discovered`,
          },
        });
        continue;
      }
      targets.push({ id, role: `single executable ${target.os}-${target.arch}`, path: show(cwd, exe) });
    }
    const build = pkg.scripts?.build ? 'npm run build -- --targets host' : 'ocm-plugin build --targets host';
    const bundleCmd = pkg.scripts?.bundle ? 'npm run bundle' : `ocm-plugin bundle <entry> --out ${bundle}`;
    if (!hasBundle && executables === 0) {
      notes.push({
        id,
        finding: {
          check: 'built',
          status: 'fail',
          summary: `nothing built: neither ${bundle} nor a single executable in ${binDir}/`,
          fix: `${bundleCmd}, or ${build}`,
        },
      });
    } else if (!hasBundle) {
      notes.push({ id, finding: { check: 'bundle', status: 'skip', summary: `${bundle} not built (${bundleCmd} builds it)` } });
    } else if (executables === 0) {
      notes.push({ id, finding: { check: 'single executable', status: 'skip', summary: `none in ${binDir}/ (${build} builds one for this machine)` } });
    }
  }
  return { targets, notes };
}

/** One note per native addon package the bundle loads (recorded by `ocm-plugin bundle`), with the targets it covers. */
function addonNotes(id: string, bundlePath: string): DoctorNote[] {
  const file = join(bundlePath.replace(/\.c?js$/, '.addons'), COVERAGE_FILE);
  if (!existsSync(file)) return [];
  return (JSON.parse(readFileSync(file, 'utf8')) as AddonCoverage[]).map((c) => ({
    id,
    finding:
      c.missing.length === 0
        ? { check: 'native addon', status: 'pass' as const, summary: `${c.package}@${c.version}: binaries for ${c.targets.join(', ')}` }
        : {
            check: 'native addon',
            status: 'warn' as const,
            summary: `${c.package}@${c.version}${c.sourceOnly ? ' (built from source by node-gyp)' : ''}: binaries for ${c.targets.join(', ') || 'no target'}; none for ${c.missing.join(', ')}, so \`ocm-plugin build\` fails those targets`,
            fix: c.sourceOnly
              ? 'use a package that publishes prebuilt binaries, or build on each platform'
              : `leave them out (--targets ${c.targets.join(',')}) or use a version of ${c.package} that publishes them`,
          },
  }));
}

/**
 * Every file the ocm CLI would run from a plugin directory: extension-less regular files and symlinks, found
 * recursively, as its discovery walks the tree. Names with an extension are noted as skipped; ids must be unique.
 */
export function pluginDirPlan(dir: string, cwd = process.cwd()): DoctorPlan {
  const root = resolve(cwd, dir);
  const targets: DoctorTarget[] = [];
  const notes: DoctorNote[] = [];
  let st;
  try {
    st = statSync(root);
  } catch {
    notes.push({
      id: dir,
      finding: {
        check: 'plugin directory',
        status: 'fail',
        summary: `${root} does not exist`,
        fix: "npm run dev installs a project's plugins into ./plugins; or give the directory you pass to ocm --plugin-directory",
      },
    });
    return { targets, notes };
  }
  if (!st.isDirectory()) {
    notes.push({
      id: dir,
      finding: {
        check: 'plugin directory',
        status: 'fail',
        summary: `${root} is not a directory`,
        fix: 'give the directory you pass to ocm --plugin-directory, or the plugin file itself without --plugin-dir',
      },
    });
    return { targets, notes };
  }
  if (lstatSync(root).isSymbolicLink()) {
    notes.push({
      id: dir,
      finding: {
        check: 'plugin directory',
        status: 'warn',
        summary: `${root} is a symlink; the ocm CLI may treat it as a file and abort`,
        fix: `pass the real directory: ${realpathSync(root)}`,
      },
    });
  }
  const seen = new Map<string, string>();
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) {
        walk(path);
        continue;
      }
      if (goExt(entry.name)) {
        notes.push({ id: entry.name, finding: { check: 'skipped', status: 'skip', summary: `${show(cwd, path)}: the ocm CLI skips names with an extension` } });
        continue;
      }
      const earlier = seen.get(entry.name);
      if (earlier) {
        notes.push({
          id: entry.name,
          finding: {
            check: 'unique id',
            status: 'fail',
            summary: `${show(cwd, path)} and ${earlier} share the plugin id "${entry.name}": every ocm command fails`,
            fix: 'keep one of them',
          },
        });
      }
      seen.set(entry.name, show(cwd, path));
      targets.push({ id: entry.name, role: 'installed', path: show(cwd, path) });
    }
  };
  walk(root);
  if (targets.length === 0) {
    notes.push({
      id: dir,
      finding: {
        check: 'plugin directory',
        status: 'warn',
        summary: `no plugin in ${show(cwd, root)}: the ocm CLI finds none there`,
        fix: "npm run dev installs a project's plugins into ./plugins",
      },
    });
  }
  return { targets, notes };
}
