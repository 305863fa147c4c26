/**
 * `create-ocm-plugin update [directory]`: brings a generated project to this package's templates.
 *
 * Every file the templates write is looked at three times: as the templates of the stamped version render it (base,
 * rendered again from the kept history with the answers the stamp records), as the project has it (ours), and as
 * this version renders it (theirs). Untouched files take the new output, edited ones are merged, and whatever cannot
 * be merged is written with conflict markers, listed, and makes the exit code 1. Then the numbered migrations run on
 * the result, the stamp is bumped, and everything is written at once (the stamp last).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { projectNodeLines } from '@ocm-plugin-kit/sdk/runtime-lines';
import { mergeJson, mergeText } from '../merge.js';
import { MIGRATIONS, type Migration, type ProjectTree } from '../migrations/index.js';
import type { ProjectInputs } from '../project-inputs.js';
import { compareVersions, keptRelease, keptVersions, type Release } from '../release.js';
import { renderRelease } from '../render.js';
import { readStamp, recoverInputs, STAMP_FILE, StampError, type Stamp } from '../stamp.js';

export interface UpdateOptions {
  /** The project (default: the working directory). */
  readonly directory?: string;
  readonly dryRun: boolean;
  /** Update a git working tree with uncommitted changes. */
  readonly force: boolean;
}

export interface UpdateIO {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** The release to update to: this package's templates. */
  readonly current: Release;
  /** Where earlier releases are kept (`template-history/`). */
  readonly historyDir: string;
  readonly migrations?: readonly Migration[];
  /** The day whose Node.js LTS lines the new templates get. */
  readonly today?: Date;
}

/** What happens to one file. */
export type Action =
  | 'add' // new in the templates, not in the project
  | 'replace' // the author never touched it: the new template output
  | 'merge' // edited by the author and changed by the templates: merged cleanly
  | 'conflict' // merged, with conflicts
  | 'delete' // dropped by the templates, never touched
  | 'keep' // dropped by the templates or deleted by the author, but the other side changed it: left as it is
  | 'migrate' // changed by a migration only
  | 'stamp';

export interface PlannedFile {
  readonly path: string;
  readonly action: Action;
  /** The project's text before, and after (undefined: absent). */
  readonly before: string | undefined;
  readonly after: string | undefined;
  readonly notes: string[];
}

const SKIP_DIRS = new Set(['node_modules', '.git', 'dist', 'reports', 'plugins', 'coverage']);

function walk(root: string, dir = '', out: string[] = []): string[] {
  for (const e of readdirSync(join(root, dir), { withFileTypes: true })) {
    const rel = dir ? `${dir}/${e.name}` : e.name;
    if (e.isDirectory()) {
      if (!SKIP_DIRS.has(e.name)) walk(root, rel, out);
    } else if (e.isFile()) out.push(rel);
  }
  return out;
}

const readIf = (file: string): string | undefined => (existsSync(file) ? readFileSync(file, 'utf8') : undefined);

/** Uncommitted changes under `project` if it is in a git working tree; undefined when it is not (or git is absent). */
function uncommitted(project: string): string[] | undefined {
  try {
    const out = execFileSync('git', ['status', '--porcelain', '--untracked-files=normal', '--', '.'], {
      cwd: project,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out.split('\n').filter((l) => l.trim() !== '');
  } catch {
    return undefined;
  }
}

/** Plans the file changes; nothing is written. */
export function planFiles(project: string, base: string, theirs: string, labels: { base: string; theirs: string }): PlannedFile[] {
  const paths = new Set([...walk(base), ...walk(theirs)]);
  const planned: PlannedFile[] = [];
  for (const path of [...paths].sort()) {
    const o = readIf(join(base, path));
    const t = readIf(join(theirs, path));
    const ours = readIf(join(project, path));
    const plan = (action: Action, after: string | undefined, notes: string[] = []) => planned.push({ path, action, before: ours, after, notes });
    if (path === STAMP_FILE) {
      plan('stamp', t);
      continue;
    }
    if (ours === undefined) {
      if (t === undefined || t === o) continue; // gone from both, or the author deleted a file the templates did not change
      if (o === undefined) plan('add', t);
      else plan('keep', undefined, ['you deleted it and the templates changed it since; not restored']);
      continue;
    }
    if (t === ours) continue;
    if (t === undefined) {
      if (ours === o) plan('delete', undefined);
      else if (o !== undefined) plan('keep', ours, ['the templates no longer have this file; kept because you edited it']);
      continue;
    }
    if (ours === o) {
      plan('replace', t);
      continue;
    }
    if (t === o) continue; // only the author changed it
    if (path.endsWith('.json') && o !== undefined) {
      try {
        const m = mergeJson(ours, o, t);
        const notes = m.conflicts.map(
          (c) => `${c.path}: you have ${JSON.stringify(c.ours)}, the templates changed ${JSON.stringify(c.base)} to ${JSON.stringify(c.theirs)}; kept yours`,
        );
        const unchanged = JSON.stringify(JSON.parse(m.text)) === JSON.stringify(JSON.parse(ours));
        if (m.conflicts.length > 0) plan('conflict', unchanged ? ours : m.text, notes);
        else if (!unchanged) plan('merge', m.text);
        continue;
      } catch {
        // Not valid JSON on some side (an author's comment, a marker): merged as text below.
      }
    }
    const m = mergeText(ours, o ?? '', t, { ours: `yours (${path})`, base: `template ${labels.base}`, theirs: `template ${labels.theirs}` });
    if (m.conflicts > 0) plan('conflict', m.text, [`${m.conflicts} conflicting region(s) between <<<<<<< and >>>>>>>`]);
    else if (m.text !== ours) plan('merge', m.text);
  }
  return planned;
}

/** Applies the migrations after `from` up to `to` onto the planned tree. */
function migrate(
  project: string,
  planned: PlannedFile[],
  migrations: readonly Migration[],
  from: string,
  to: string,
): { planned: PlannedFile[]; applied: string[] } {
  const overlay = new Map<string, string | undefined>(planned.map((p) => [p.path, p.after]));
  const tree: ProjectTree = {
    list: () => [...new Set([...walk(project), ...overlay.keys()])].filter((p) => (overlay.has(p) ? overlay.get(p) !== undefined : true)).sort(),
    read: (path) => (overlay.has(path) ? overlay.get(path) : readIf(join(project, path))),
    write: (path, text) => void overlay.set(path, text),
    remove: (path) => void overlay.set(path, undefined),
  };
  const applied: string[] = [];
  const due = [...migrations]
    .sort((a, b) => a.id.localeCompare(b.id))
    .filter((m) => compareVersions(from, m.introducedIn) < 0 && compareVersions(m.introducedIn, to) <= 0);
  for (const m of due) for (const line of m.run(tree)) applied.push(`${m.id} ${m.title}: ${line}`);
  const out = planned.map((p) => ({ ...p, after: overlay.get(p.path) }));
  for (const [path, after] of overlay) {
    if (planned.some((p) => p.path === path)) continue;
    const before = readIf(join(project, path));
    if (before !== after) out.push({ path, action: 'migrate', before, after, notes: [] });
  }
  return { planned: out.sort((a, b) => a.path.localeCompare(b.path)), applied };
}

const LABEL: Record<Action, string> = {
  add: 'add',
  replace: 'update',
  merge: 'merge',
  conflict: 'CONFLICT',
  delete: 'delete',
  keep: 'keep',
  migrate: 'migrate',
  stamp: 'stamp',
};

export async function update(opts: UpdateOptions, io: UpdateIO): Promise<number> {
  const project = resolve(io.cwd, opts.directory ?? '.');
  const fail = (message: string, code = 1) => {
    io.err(`create-ocm-plugin update: ${message}\n`);
    return code;
  };
  if (!existsSync(join(project, 'package.json')))
    return fail(`${project} holds no package.json; run update in a project that create-ocm-plugin generated. Nothing was changed.`);

  let stamp: Stamp;
  try {
    stamp = readStamp(project);
  } catch (err) {
    if (err instanceof StampError) return fail(err.message);
    throw err;
  }
  const from = stamp.templateVersion;
  const to = io.current.version;
  const order = compareVersions(from, to);
  if (order > 0) {
    return fail(
      `the project was generated or updated by create-ocm-plugin ${from}, newer than this one (${to}); ` +
        `run \`npx create-ocm-plugin@latest update\` (or @${from} or later). Nothing was changed.`,
    );
  }
  if (order === 0) {
    io.out(`The project is up to date: template version ${to}. Nothing to do.\n`);
    return 0;
  }
  const base = keptRelease(from, io.historyDir);
  if (!base) {
    return fail(
      `the project's template version ${from} is not kept by create-ocm-plugin ${to} (it keeps ${keptVersions(io.historyDir).join(', ') || 'none'}); ` +
        'update with the create-ocm-plugin release that follows it first. Nothing was changed.',
    );
  }

  if (!opts.force) {
    const dirty = uncommitted(project);
    if (dirty && dirty.length > 0) {
      const listing = `${dirty
        .slice(0, 10)
        .map((l) => `  ${l}`)
        .join('\n')}${dirty.length > 10 ? `\n  … and ${dirty.length - 10} more` : ''}`;
      if (!opts.dryRun) {
        return fail(
          `the git working tree has uncommitted changes:\n${listing}\n` +
            'Commit or stash them first, so the update is one reviewable change and easy to undo; or pass --force. Nothing was changed.',
        );
      }
      io.err(`(the git working tree has uncommitted changes; a real update would refuse to run without --force)\n`);
    }
  }

  const guessed: string[] = [];
  let inputs: ProjectInputs;
  try {
    inputs = stamp.inputs ?? recoverInputs(project, stamp, base, guessed);
  } catch (err) {
    if (err instanceof StampError) return fail(err.message);
    throw err;
  }
  const missing = inputs.kinds.filter((k) => !io.current.kinds.some((c) => c.kind === k));
  if (missing.length > 0) return fail(`template ${to} has no ${missing.join(', ')}; nothing was changed.`);

  const scratch = mkdtempSync(join(tmpdir(), 'ocm-plugin-update-'));
  let planned: PlannedFile[];
  let applied: string[];
  try {
    const baseDir = join(scratch, 'base');
    const theirsDir = join(scratch, 'theirs');
    mkdirSync(baseDir);
    mkdirSync(theirsDir);
    const next: ProjectInputs = { ...inputs, node: projectNodeLines(io.today ?? new Date()) };
    await renderRelease(base, inputs, baseDir);
    await renderRelease(io.current, next, theirsDir);
    ({ planned, applied } = migrate(project, planFiles(project, baseDir, theirsDir, { base: from, theirs: to }), io.migrations ?? MIGRATIONS, from, to));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const changes = planned.filter((p) => p.after !== p.before || p.action === 'keep' || p.action === 'conflict');
  const conflicts = changes.filter((p) => p.action === 'conflict');
  const rel = relative(io.cwd, project) || '.';

  const lines = [
    `${opts.dryRun ? 'Would update' : 'Updating'} ${rel} from template ${from} to ${to}:`,
    ...changes.map((p) => `  ${LABEL[p.action].padEnd(8)} ${p.path}${p.notes.length > 0 ? `\n${p.notes.map((n) => `             ${n}`).join('\n')}` : ''}`),
    ...(applied.length > 0 ? ['Migrations:', ...applied.map((a) => `  ${a}`)] : []),
    ...(guessed.length > 0 ? [`The stamp of ${from} does not record every answer; read from the project or assumed: ${guessed.join('; ')}`] : []),
  ];
  io.out(`${lines.join('\n')}\n`);

  if (opts.dryRun) {
    for (const p of changes) {
      if (p.before === p.after) continue;
      io.out(
        createTwoFilesPatch(
          p.before === undefined ? '/dev/null' : `a/${p.path}`,
          p.after === undefined ? '/dev/null' : `b/${p.path}`,
          p.before ?? '',
          p.after ?? '',
          '',
          '',
          { context: 3 },
        ).replace(/^=+\n/, ''),
      );
    }
    io.out(`\nDry run: nothing was written.${conflicts.length > 0 ? ` ${conflicts.length} file(s) would have conflicts.` : ''}\n`);
    return conflicts.length > 0 ? 1 : 0;
  }

  const stampFile = changes.filter((p) => p.action === 'stamp');
  for (const p of [...changes.filter((c) => c.action !== 'stamp'), ...stampFile]) {
    const file = join(project, p.path);
    if (p.after === undefined) rmSync(file, { force: true });
    else if (p.after !== p.before) {
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, p.after);
    }
  }

  const pkgChanged = changes.some((p) => p.path === 'package.json');
  if (conflicts.length > 0) {
    io.err(
      `\n${conflicts.length} file(s) need your decision:\n${conflicts.map((c) => `  ${c.path}\n${c.notes.map((n) => `    ${n}`).join('\n')}`).join('\n')}\n` +
        `Resolve them (look for <<<<<<< in the text files), then${pkgChanged ? ' run npm install and' : ''} npm test. The stamp says ${to} now.\n`,
    );
    return 1;
  }
  io.out(`\nUpdated to template ${to}.${pkgChanged ? ' package.json changed: run npm install, then npm test.' : ' Run npm test.'}\n`);
  return 0;
}
