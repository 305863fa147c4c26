/**
 * Finding the templates and rendering them with node-plop. `templates/base/` is laid down first, then each chosen
 * kind's folder; a kind's file wins over a base file at the same path (grafana create-plugin's order).
 *
 * File rules: `*.hbs` files are rendered with Handlebars and lose the suffix; other files are copied byte for byte
 * (so `${{ }}` in workflow files needs no escaping); `_gitignore` becomes `.gitignore` (npm drops `.gitignore` from
 * published packages); `*.partial.hbs` and `kind.json` are not copied: partials are registered by name
 * (`templates/_partials/x.partial.hbs` → `{{> x}}`, `templates/<kind>/readme.partial.hbs` → `{{> readme-<kind>}}`).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodePlop, { type ActionType } from 'node-plop';

/** The package root: `dist/bin.js` and `src/*.ts` both sit one level below it. */
export const PACKAGE_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * In a checkout (the package has `src/`): the repository's top-level `templates/`, so edits show up without a build.
 * Installed from npm: the `templates/` that `npm run build` copied into the package.
 */
export function templatesDir(): string {
  const inPackage = join(PACKAGE_ROOT, 'templates');
  const inRepository = join(PACKAGE_ROOT, '..', 'templates');
  const candidates = existsSync(join(PACKAGE_ROOT, 'src')) ? [inRepository, inPackage] : [inPackage, inRepository];
  const found = candidates.find((c) => existsSync(join(c, 'base')));
  if (!found) throw new Error(`templates not found (looked in ${candidates.join(', ')}); the package is incomplete, reinstall create-ocm-plugin`);
  return found;
}

const RENAMES: Record<string, string> = { _gitignore: '.gitignore' };

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const abs = join(dir, e.name);
    if (e.isDirectory()) walk(abs, out);
    else out.push(abs);
  }
  return out;
}

/** The project-relative output path of a template file, or undefined when the file is not copied. */
export function outputPath(relativeTemplatePath: string): string | undefined {
  const parts = relativeTemplatePath.split(sep);
  const file = parts.pop() ?? '';
  if (file.endsWith('.partial.hbs') || (parts.length === 0 && file === 'kind.json')) return undefined;
  const renamed = RENAMES[file] ?? file.replace(/\.hbs$/, '');
  return [...parts, renamed].join('/');
}

/** A template file and the kind folder it comes from (none for `base/`). */
export interface TemplateFile {
  readonly source: string;
  readonly kind?: string;
}

/** Output path → template file, for the base plus the given kind folders (later folders win). */
export function templateFiles(root: string, kindFolders: readonly { kind: string; folder: string }[]): Map<string, TemplateFile> {
  const files = new Map<string, TemplateFile>();
  for (const { kind, folder } of [{ kind: undefined, folder: join(root, 'base') }, ...kindFolders]) {
    for (const abs of walk(folder)) {
      const out = outputPath(relative(folder, abs));
      if (out) files.set(out, kind ? { source: abs, kind } : { source: abs });
    }
  }
  return files;
}

/**
 * Renders the project into `destination` (which must exist and be empty). `data` is the template context; files of
 * a kind folder also see that kind's entry of `kindData` as `k`. Returns the written relative paths.
 */
export async function renderProject(
  root: string,
  kindFolders: readonly { kind: string; folder: string }[],
  data: Record<string, unknown>,
  kindData: Readonly<Record<string, object>>,
  destination: string,
): Promise<string[]> {
  const plop = await nodePlop(undefined, { destBasePath: destination, force: false });
  plop.setHelper('json', (value: unknown) => JSON.stringify(value));
  // A JSON block inside a JSON template: `{{{jsonBlock value 2}}}` indents its lines to the key's depth.
  plop.setHelper('jsonBlock', (value: unknown, indent: unknown) => JSON.stringify(value, null, 2).replace(/\n/g, `\n${' '.repeat(Number(indent))}`));
  plop.setHelper('eq', (a: unknown, b: unknown) => a === b);
  plop.setHelper('repeat', (text: unknown, count: unknown) => String(text).repeat(Number(count)));
  plop.setHelper('first', (list: unknown) => (Array.isArray(list) ? list[0] : undefined));
  plop.setHelper('concat', (...parts: unknown[]) => parts.slice(0, -1).join(''));
  const partialsDir = join(root, '_partials');
  if (existsSync(partialsDir)) {
    for (const abs of walk(partialsDir))
      if (abs.endsWith('.partial.hbs')) plop.setPartial(relative(partialsDir, abs).replace(/\.partial\.hbs$/, ''), readFileSync(abs, 'utf8'));
  }
  for (const { kind, folder } of kindFolders) {
    for (const abs of walk(folder)) {
      if (abs.endsWith('.partial.hbs')) plop.setPartial(`${relative(folder, abs).replace(/\.partial\.hbs$/, '')}-${kind}`, readFileSync(abs, 'utf8'));
    }
  }
  plop.setActionType('copy', (_answers, config) => {
    const target = join(destination, String(config.path));
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(String(config.source), target);
    return target;
  });

  const files = templateFiles(root, kindFolders);
  const actions: ActionType[] = [...files].map(([out, { source, kind }]) =>
    source.endsWith('.hbs')
      ? { type: 'add', path: out, templateFile: source, abortOnFail: true, data: kind ? { k: kindData[kind] } : {} }
      : ({ type: 'copy', path: out, source, abortOnFail: true } as ActionType),
  );
  plop.setGenerator('project', { description: 'OCM plugin project', prompts: [], actions });
  const result = await plop.getGenerator('project').runActions(data);
  if (result.failures.length > 0) {
    const f = result.failures[0];
    throw new Error(`rendering ${f?.path ?? 'a template'} failed: ${f?.error ?? f?.message ?? 'unknown error'}`);
  }
  return [...files.keys()].sort();
}
