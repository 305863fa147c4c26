/**
 * Plugin discovery exactly as the manager does it (sdk/docs/protocol.md §1.1): `filepath.Walk` of one directory (lstat
 * semantics, lexical order, symlinks never followed), every non-directory entry whose base name has no extension is
 * a plugin, its id is the base name. Problems are reported as the manager reports them.
 */
import { lstatSync, readdirSync, type Stats } from 'node:fs';
import { basename, join } from 'node:path';
import { HostError } from './errors.js';
import { TRIMMED_PATH_CHARS } from '@ocm-plugin-kit/sdk/host-facts';
import { goExt, TRIMMED_PATH_CHARS_RE } from './path-rules.js';

/** A plugin candidate found in the plugin directory. */
export interface DiscoveredPlugin {
  /** The registry key: the file's base name. */
  readonly id: string;
  /** The path as found by the walk. */
  readonly path: string;
  /** The path the manager executes: `path` with {@link TRIMMED_PATH_CHARS} trimmed from both ends. */
  readonly execPath: string;
  /** The entry is a symlink (to a file, or to a directory, which then fails to run). */
  readonly symlink: boolean;
}

/** Something in the directory that works the same way with the manager but is worth telling the author. */
export interface DiscoveryNote {
  readonly path: string;
  readonly message: string;
}

export interface DiscoveryResult {
  readonly plugins: DiscoveredPlugin[];
  /** Entries skipped because their name has an extension, and other notes. */
  readonly notes: DiscoveryNote[];
}

/** Trims the characters the manager trims (`cleanPath`). */
export function cleanPath(path: string): string {
  return path.replace(TRIMMED_PATH_CHARS_RE, '');
}

function walk(path: string, info: Stats, result: { plugins: DiscoveredPlugin[]; notes: DiscoveryNote[] }): void {
  if (info.isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      const child = join(path, name);
      walk(child, lstatSync(child), result);
    }
    return;
  }
  const name = basename(path);
  if (goExt(name) !== '') {
    result.notes.push({ path, message: `skipped: "${name}" has an extension (${goExt(name)}), so the manager does not treat it as a plugin` });
    return;
  }
  const execPath = cleanPath(path);
  if (execPath !== path) {
    result.notes.push({ path, message: `the manager executes "${execPath}" (it trims ${TRIMMED_PATH_CHARS} from both ends of the path); rename the file` });
  }
  result.plugins.push({ id: name, path, execPath, symlink: info.isSymbolicLink() });
}

/**
 * Walks a plugin directory. A missing directory, or one without extension-less files, yields no plugins (the
 * manager's `ErrNoPluginsFound`, after which the CLI continues). Duplicate ids are noted here and fail at
 * registration (see `ReferenceHost`).
 */
export function discoverPlugins(dir: string): DiscoveryResult {
  const result = { plugins: [] as DiscoveredPlugin[], notes: [] as DiscoveryNote[] };
  let info: Stats;
  try {
    info = lstatSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      result.notes.push({ path: dir, message: 'plugin directory does not exist: no plugins found' });
      return result;
    }
    throw new HostError(`failed to discover plugins: ${(err as Error).message}`);
  }
  if (info.isSymbolicLink()) {
    result.notes.push({
      path: dir,
      message: 'the plugin directory itself is a symlink: the manager treats it as a file and tries to run it (point it at the real directory)',
    });
  }
  try {
    walk(dir, info, result);
  } catch (err) {
    throw new HostError(`failed to discover plugins: ${(err as Error).message}`);
  }
  for (const p of result.plugins) {
    if (p.symlink) {
      try {
        const target = lstatSync(p.path, { throwIfNoEntry: false });
        if (target && statIsDir(p.path)) {
          result.notes.push({
            path: p.path,
            message: 'symlink to a directory: the manager does not follow it, it tries to run it as a plugin and setup fails',
          });
        }
      } catch {
        // a dangling link fails when it runs
      }
    }
  }
  const seen = new Map<string, string>();
  for (const p of result.plugins) {
    const first = seen.get(p.id);
    if (first !== undefined) {
      result.notes.push({
        path: p.path,
        message: `same id "${p.id}" as ${first}: registering both in one registry fails with "plugin with ID ${p.id} already registered"; rename one`,
      });
    }
    seen.set(p.id, p.path);
  }
  return result;
}

function statIsDir(path: string): boolean {
  try {
    return readdirSync(path) !== undefined;
  } catch {
    return false;
  }
}
