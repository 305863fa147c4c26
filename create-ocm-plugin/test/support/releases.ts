/**
 * Template releases for update tests: the kept history, the package's own templates, and, while the package's
 * version is itself the newest kept one (nothing to update to yet), a synthetic next release made from the current
 * templates with a few typical changes.
 */
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { projectNodeLines } from '@ocm-plugin-kit/sdk/runtime-lines';
import { availableKinds } from '../../src/kinds.js';
import type { ProjectInputs } from '../../src/project-inputs.js';
import { compareVersions, currentRelease, HISTORY_DIR, keptVersions, type Release } from '../../src/release.js';
import { renderRelease } from '../../src/render.js';
import { templatesDir } from '../../src/templates.js';

export const current = (): Release => {
  const root = templatesDir();
  return currentRelease(root, availableKinds(root));
};

/** The newest kept release older than the package's own. */
export function previousVersion(release: Release = current()): string {
  const older = keptVersions(HISTORY_DIR).filter((v) => compareVersions(v, release.version) < 0);
  const newest = older.at(-1) ?? keptVersions(HISTORY_DIR).at(-1);
  if (!newest) throw new Error(`no release kept in ${HISTORY_DIR}`);
  return newest;
}

/**
 * The release to update to: the package's own when it is newer than every kept one, else the current templates
 * with typical changes (a README line, a comment appended to each handler, a dependency range, a file added and one
 * dropped) as version `<current>+1 patch`.
 */
export function nextRelease(scratch: string): { release: Release; synthetic: boolean } {
  const own = current();
  if (!keptVersions(HISTORY_DIR).includes(own.version)) return { release: own, synthetic: false };
  return { release: syntheticAfter(own, scratch), synthetic: true };
}

/** `release`'s templates with typical changes, as the next patch version. */
export function syntheticAfter(own: Release, scratch: string): Release {
  const dir = join(scratch, `after-${own.version}`);
  cpSync(own.templatesDir, dir, { recursive: true });
  const edit = (path: string, change: (text: string) => string) => writeFileSync(join(dir, path), change(readFileSync(join(dir, path), 'utf8')));
  edit('base/README.md.hbs', (t) => t.replace('## Layout\n', '## Layout of the project\n'));
  edit('versions.json', (t) => t.replace(/"zod": "[^"]+"/, '"zod": "^4.7.0"'));
  for (const kind of readdirSync(dir)) {
    const srcDir = join(dir, kind, 'src');
    try {
      for (const sub of readdirSync(srcDir))
        edit(join(kind, 'src', sub, 'handler.ts.hbs'), (t) => `${t}// Generated from the create-ocm-plugin templates; yours to change.\n`);
    } catch {
      // base/ and files at the top have no src/<dir>/handler.ts.hbs
    }
  }
  writeFileSync(join(dir, 'base/.editorconfig'), 'root = true\n\n[*]\nindent_style = space\nindent_size = 2\n');
  rmSync(join(dir, 'base/.vscode'), { recursive: true });
  const [major, minor, patch] = own.version.split('.').map(Number);
  const kinds = own.kinds.map((k) => ({ ...k, folder: join(dir, k.kind) }));
  const versions = JSON.parse(readFileSync(join(dir, 'versions.json'), 'utf8')) as Record<string, string>;
  return { ...own, version: `${major}.${minor}.${(patch ?? 0) + 1}`, templatesDir: dir, versions, kinds };
}

/** What `create-ocm-plugin <name> --kind … --domain acme.org --yes` answers, for a release's kinds. */
export function inputsFor(release: Release, name: string, kinds: readonly string[], day = new Date()): ProjectInputs {
  const chosen = kinds.map((kind) => release.kinds.find((k) => k.kind === kind)!);
  return {
    name,
    packageName: name,
    description: `OCM CLI plugin: ${chosen.map((k) => k.title).join(', ')}`,
    domain: 'acme.org',
    kinds,
    types: Object.fromEntries(chosen.map((k) => [k.kind, `${k.typeBase}.acme.org/${k.typeVersion}`])),
    node: projectNodeLines(day),
  };
}

/** Renders a project of `release` into `<parent>/<name>`. */
export async function generate(release: Release, inputs: ProjectInputs, parent: string): Promise<string> {
  const dir = join(parent, inputs.name);
  mkdirSync(dir, { recursive: true });
  await renderRelease(release, inputs, dir);
  return dir;
}

/** Every file of a project (no node_modules, dist), with its text. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!['node_modules', 'dist', '.git', 'reports'].includes(e.name)) walk(path);
      } else out[path] = readFileSync(join(dir, path), 'utf8');
    }
  };
  walk('');
  return out;
}

export const scratchDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));
