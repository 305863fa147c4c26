/** Reproducible tar+gzip of a directory: sorted entries, fixed mtime, no owner data, normalised modes. */
import { readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar';
import { pluginError } from '@ocm-plugin-kit/sdk';

/** The mtime written for every entry (1980-01-01, as reproducible-build tools use). */
export const FIXED_MTIME = new Date('1980-01-01T00:00:00Z');

async function walk(root: string, dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'EACCES' || err.code === 'EPERM') throw pluginError(403, `cannot read ${dir} inside the input directory ${root}: permission denied`);
    throw err;
  });
  for (const e of entries) {
    const abs = join(dir, e.name);
    const rel = relative(root, abs).split(sep).join('/');
    if (e.isDirectory()) {
      out.push(`${rel}/`);
      await walk(root, abs, out);
    } else if (e.isFile() || e.isSymbolicLink()) {
      out.push(rel);
    }
  }
}

/** Relative paths to pack, sorted bytewise so every platform orders them alike. */
export async function listEntries(root: string, include?: readonly string[], exclude?: readonly string[]): Promise<string[]> {
  const all: string[] = [];
  await walk(root, root, all);
  const keep = (p: string) => (!include || include.some((i) => p.startsWith(i) || i.startsWith(p))) && !(exclude ?? []).some((x) => p.startsWith(x));
  return all.filter(keep).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
}

/** Streams the tarball; bytes depend only on the paths, contents and executable bits. */
export async function packDirectory(root: string, include?: readonly string[], exclude?: readonly string[]): Promise<Readable> {
  const entries = await listEntries(root, include, exclude);
  if (entries.length === 0) {
    const filters = [include && `include ${JSON.stringify(include)}`, exclude && `exclude ${JSON.stringify(exclude)}`].filter(Boolean).join(', ');
    throw pluginError(400, `nothing to pack: ${root} ${filters ? `has no entries left after ${filters}` : 'is empty'}`);
  }
  return tar.create(
    { cwd: root, gzip: { level: 9 }, portable: true, mtime: FIXED_MTIME, noDirRecurse: true, follow: false },
    entries.map((e) => e.replace(/\/$/, '')),
  ) as unknown as Readable;
}
