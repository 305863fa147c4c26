/**
 * `create-ocm-plugin [directory]`: validate, ask for what is missing (TTY only), render into a temp directory next to
 * the target, then move the result into place. Nothing is written before every input has been checked, and a
 * failure while rendering leaves nothing behind.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join, relative, resolve } from 'node:path';
import nodePlop, { type PromptQuestion } from 'node-plop';
import { projectNodeLines } from '@ocm-plugin-kit/sdk/runtime-lines';
import { UsageError } from '../errors.js';
import type { KindTemplate } from '../kinds.js';
import { commands, type PackageManager } from '../package-manager.js';
import { templateData, type ProjectInputs } from '../project-inputs.js';
import { currentRelease, KIT_PACKAGES } from '../release.js';
import { renderProject } from '../templates.js';
import { checkDomain, checkPackageName, checkPluginName, checkTypeName } from '../validate.js';

/** What the command line gave us; anything undefined is asked for (interactive) or defaulted. */
export interface CreateOptions {
  readonly directory?: string;
  readonly name?: string;
  readonly packageName?: string;
  readonly kind?: readonly string[];
  readonly type?: readonly string[];
  readonly domain?: string;
  readonly description?: string;
  /** A checkout of the kit whose sdk/ and conformance/ the project links (`file:`) instead of registry versions. */
  readonly kitDir?: string;
  readonly force: boolean;
  readonly interactive: boolean;
}

export interface CreateIO {
  readonly cwd: string;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly packageManager: PackageManager;
  readonly templatesDir: string;
  readonly kinds: readonly KindTemplate[];
}

export const DEFAULTS = { directory: 'my-ocm-plugin', kind: 'inputRepository', domain: 'example.com' } as const;

/** The resolved answers. */
interface Plan {
  directory: string;
  name: string;
  packageName: string;
  kinds: KindTemplate[];
  types: Record<string, string>;
  domain: string;
  description: string;
}

/** A directory counts as empty when it holds nothing, or only `.git` (create-vite's rule). */
function isEmptyDir(path: string): boolean {
  const entries = readdirSync(path);
  return entries.length === 0 || (entries.length === 1 && entries[0] === '.git');
}

function defaultName(directory: string, cwd: string): string {
  const base = basename(resolve(cwd, directory));
  return (
    base
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'my-ocm-plugin'
  );
}

/** Finds a kind by name; unknown kinds get a message with the choices and a close match. */
function lookupKind(name: string, kinds: readonly KindTemplate[]): KindTemplate | string {
  const found = kinds.find((k) => k.kind === name);
  if (found) return found;
  const lower = name.toLowerCase();
  const close = kinds.find((k) => k.kind.toLowerCase() === lower || k.kind.toLowerCase().startsWith(lower) || k.dir === lower);
  return (
    `unknown kind "${name}"${close ? `; did you mean --kind ${close.kind}?` : ''} ` +
    `Choose from: ${kinds.map((k) => k.kind).join(', ')} (create-ocm-plugin --help describes each)`
  );
}

/** `--type T` values map onto the kinds in order; `--type kind=T` names its kind. */
function assignTypes(values: readonly string[], kinds: readonly KindTemplate[], problems: string[]): Record<string, string> {
  const types: Record<string, string> = {};
  const plain: string[] = [];
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq > 0) {
      const kind = v.slice(0, eq);
      if (!kinds.some((k) => k.kind === kind)) {
        problems.push(`--type ${v}: ${kind} is not one of the chosen kinds (${kinds.map((k) => k.kind).join(', ')}); add --kind ${kind} or fix the prefix`);
      } else types[kind] = v.slice(eq + 1);
    } else plain.push(v);
  }
  const open = kinds.filter((k) => types[k.kind] === undefined);
  if (plain.length > open.length) {
    problems.push(`${plain.length} --type values for ${open.length} kind(s) without one; give one per kind, as --type <kind>=<Type>`);
  }
  plain.forEach((t, i) => {
    const k = open[i];
    if (k) types[k.kind] = t;
  });
  return types;
}

const defaultType = (k: KindTemplate, domain: string) => `${k.typeBase}.${domain}/${k.typeVersion}`;

/** Checks a (possibly partial) plan; returns every problem at once. */
function check(plan: Partial<Plan>): string[] {
  const problems: string[] = [];
  if (plan.name !== undefined) problems.push(...[checkPluginName(plan.name)].filter((p): p is string => !!p));
  if (plan.packageName !== undefined) problems.push(...[checkPackageName(plan.packageName)].filter((p): p is string => !!p));
  if (plan.domain !== undefined) problems.push(...[checkDomain(plan.domain)].filter((p): p is string => !!p));
  for (const k of plan.kinds ?? []) {
    const t = plan.types?.[k.kind];
    if (t !== undefined) problems.push(...[checkTypeName(t, k.kind)].filter((p): p is string => !!p));
  }
  return problems;
}

function fail(problems: string[]): never {
  throw new UsageError(problems.length === 1 ? (problems[0] as string) : `${problems.length} problems:\n  - ${problems.join('\n  - ')}`);
}

/** Interactive questions (inquirer through node-plop) for everything the flags left open. */
async function ask(opts: CreateOptions, io: CreateIO, partial: Partial<Plan>): Promise<Partial<Plan>> {
  const plop = await nodePlop();
  const validate = (check: (v: string) => string | undefined) => (v: string) => check(v.trim()) ?? true;
  plop.setGenerator('project', {
    description: 'OCM plugin project',
    actions: [],
    prompts: [
      ...(opts.directory === undefined
        ? [
            {
              type: 'input',
              name: 'directory',
              message: 'Project directory',
              default: DEFAULTS.directory,
              validate: (v: string) => {
                try {
                  checkTarget(resolve(io.cwd, v.trim() || DEFAULTS.directory), opts.force);
                  return true;
                } catch (err) {
                  return (err as Error).message;
                }
              },
            },
          ]
        : []),
      ...(opts.name === undefined
        ? [
            {
              type: 'input',
              name: 'name',
              message: 'Plugin name (the executable the ocm CLI runs)',
              default: (a: { directory?: string }) => defaultName(a.directory ?? opts.directory ?? DEFAULTS.directory, io.cwd),
              validate: validate(checkPluginName),
            },
          ]
        : []),
      ...(opts.kind === undefined
        ? [
            {
              type: 'checkbox',
              name: 'kinds',
              message: 'Capability kinds (space to select; one binary per kind)',
              choices: io.kinds.map((k) => ({ name: `${k.kind.padEnd(27)} ${k.contract.reachedBy}`, value: k.kind, checked: k.kind === DEFAULTS.kind })),
              validate: (v: readonly string[]) => (v.length > 0 ? true : 'select at least one kind'),
            },
          ]
        : []),
      ...(opts.domain === undefined && opts.type === undefined
        ? [{ type: 'input', name: 'domain', message: 'Your domain (qualifies the spec type names)', default: DEFAULTS.domain, validate: validate(checkDomain) }]
        : []),
      ...(opts.description === undefined ? [{ type: 'input', name: 'description', message: 'Description', default: '' }] : []),
    ] as PromptQuestion[],
  });
  const first = (await plop.getGenerator('project').runPrompts()) as {
    directory?: string;
    name?: string;
    kinds?: string[];
    domain?: string;
    description?: string;
  };
  const kinds = first.kinds ? first.kinds.map((k) => io.kinds.find((c) => c.kind === k) as KindTemplate) : (partial.kinds ?? []);
  const domain = first.domain?.trim() ?? partial.domain ?? DEFAULTS.domain;
  const types = { ...(partial.types ?? {}) };
  const open = kinds.filter((k) => types[k.kind] === undefined);
  if (open.length > 0) {
    plop.setGenerator('types', {
      description: 'spec type names',
      actions: [],
      prompts: open.map((k) => ({
        type: 'input',
        name: k.kind,
        message: `Type name of the ${k.contract.typeDescribes} (${k.kind})`,
        default: defaultType(k, domain),
        validate: validate((v) => checkTypeName(v, k.kind)),
      })) as PromptQuestion[],
    });
    const answers = (await plop.getGenerator('types').runPrompts()) as Record<string, string>;
    for (const k of open) types[k.kind] = (answers[k.kind] ?? defaultType(k, domain)).trim();
  }
  return {
    ...partial,
    ...(first.directory !== undefined ? { directory: first.directory.trim() } : {}),
    ...(first.name !== undefined ? { name: first.name.trim() } : {}),
    ...(first.description !== undefined ? { description: first.description.trim() } : {}),
    kinds,
    domain,
    types,
  };
}

export async function create(opts: CreateOptions, io: CreateIO): Promise<number> {
  // 1. Check what the flags say, before asking anything.
  const problems: string[] = [];
  const kinds: KindTemplate[] = [];
  for (const name of opts.kind ?? []) {
    const k = lookupKind(name, io.kinds);
    if (typeof k === 'string') problems.push(k);
    else if (!kinds.includes(k)) kinds.push(k);
  }
  if (opts.kind !== undefined && opts.kind.length === 0) problems.push(`--kind needs a value: one of ${io.kinds.map((k) => k.kind).join(', ')}`);
  const types = assignTypes(
    opts.type ?? [],
    kinds.length > 0 || opts.kind ? kinds : [io.kinds.find((k) => k.kind === DEFAULTS.kind) as KindTemplate],
    problems,
  );
  let partial: Partial<Plan> = {
    ...(opts.directory !== undefined ? { directory: opts.directory } : {}),
    ...(opts.name !== undefined ? { name: opts.name } : {}),
    ...(opts.packageName !== undefined ? { packageName: opts.packageName } : {}),
    ...(opts.domain !== undefined ? { domain: opts.domain } : {}),
    ...(opts.description !== undefined ? { description: opts.description } : {}),
    ...(opts.kind !== undefined ? { kinds } : {}),
    types,
  };
  problems.push(...check(opts.kind !== undefined ? partial : { ...partial, kinds: [io.kinds.find((k) => k.kind === DEFAULTS.kind) as KindTemplate] }));
  if (problems.length > 0) fail(problems);
  if (opts.directory !== undefined) checkTarget(resolve(io.cwd, opts.directory), opts.force);

  // 2. Ask for the rest (TTY), or take the defaults. Ctrl-C at a prompt (inquirer re-raises it as SIGINT) leaves
  // before anything was written.
  if (opts.interactive) {
    const cancel = () => {
      io.err('\ncreate-ocm-plugin: cancelled; nothing was written\n');
      process.exit(130);
    };
    process.once('SIGINT', cancel);
    // inquirer closes its readline before raising SIGINT; without a pending handle Node would exit 0 first.
    const keepAlive = setInterval(() => {}, 60_000);
    try {
      partial = await ask(opts, io, partial);
    } finally {
      clearInterval(keepAlive);
      process.off('SIGINT', cancel);
    }
  }
  const directory = partial.directory ?? DEFAULTS.directory;
  const chosen = partial.kinds ?? [io.kinds.find((k) => k.kind === DEFAULTS.kind) as KindTemplate];
  const domain = partial.domain ?? DEFAULTS.domain;
  const name = partial.name ?? defaultName(directory, io.cwd);
  const plan: Plan = {
    directory,
    name,
    packageName: partial.packageName ?? name,
    kinds: chosen,
    domain,
    types: Object.fromEntries(chosen.map((k) => [k.kind, partial.types?.[k.kind] ?? defaultType(k, domain)])),
    description: partial.description || `OCM CLI plugin: ${chosen.map((k) => k.title).join(', ')}`,
  };

  // 3. Check the complete plan and the target directory.
  const all = check(plan);
  if (all.length > 0) fail(all);
  const target = resolve(io.cwd, plan.directory);
  checkTarget(target, opts.force);

  // 4. Render into a temp directory next to the target, then move it into place.
  const inputs: ProjectInputs = {
    name: plan.name,
    packageName: plan.packageName,
    description: plan.description,
    domain: plan.domain,
    kinds: plan.kinds.map((k) => k.kind),
    types: plan.types,
    node: projectNodeLines(new Date()),
    ...(opts.kitDir === undefined ? {} : { kitDir: checkKitDir(resolve(io.cwd, opts.kitDir)) }),
  };
  const data = templateData(inputs, currentRelease(io.templatesDir, io.kinds));
  const parent = dirname(target);
  mkdirSync(parent, { recursive: true });
  const staging = mkdtempSync(join(parent, `.${basename(target)}-creating-`));
  let files: string[];
  try {
    files = await renderProject(
      io.templatesDir,
      plan.kinds.map((k) => ({ kind: k.kind, folder: k.folder })),
      data,
      data.kindData,
      staging,
    );
    moveIntoPlace(staging, target);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    throw new UsageError(`could not generate the project: ${(err as Error).message}; nothing was written to ${target}`, 1);
  }

  // 5. Say what to do next.
  const rel = relative(io.cwd, target) || '.';
  const pm = commands(io.packageManager);
  const ids = data.kinds.map((k) => `${k.id} (${k.kind}, type ${k.type})`);
  io.out(
    [
      '',
      `Created ${plan.packageName} in ${rel} (${files.length} files):`,
      ...ids.map((i) => `  plugin ${i}`),
      '',
      'Next steps:',
      ...(rel !== '.' ? [`  cd ${rel.includes(' ') ? JSON.stringify(rel) : rel}`] : []),
      `  ${pm.install}`,
      `  ${pm.run('test')}${' '.repeat(Math.max(1, 24 - pm.run('test').length))}typecheck, unit tests, conformance`,
      `  ${pm.run('bundle')}${' '.repeat(Math.max(1, 24 - pm.run('bundle').length))}dist/<plugin>.cjs to try with ocm (README.md shows the commands)`,
      `  ${pm.run('build')}${' '.repeat(Math.max(1, 24 - pm.run('build').length))}single executables for every platform`,
      '',
    ].join('\n'),
  );
  return 0;
}

function checkTarget(target: string, force: boolean): void {
  if (!existsSync(target)) return;
  if (!statSync(target).isDirectory()) {
    throw new UsageError(`${target} exists and is not a directory; choose another directory`);
  }
  if (!isEmptyDir(target) && !force) {
    throw new UsageError(
      `${target} is not empty; choose another directory, or pass --overwrite (alias --force) to replace its contents (a .git directory is kept)`,
    );
  }
}

function moveIntoPlace(staging: string, target: string): void {
  if (!existsSync(target)) {
    renameSync(staging, target);
    return;
  }
  for (const entry of readdirSync(target)) if (entry !== '.git') rmSync(join(target, entry), { recursive: true, force: true });
  for (const entry of readdirSync(staging)) renameSync(join(staging, entry), join(target, entry));
  rmSync(staging, { recursive: true, force: true });
}

/** A kit checkout whose packages a project links (`file:`); refuses a directory that is not a built kit checkout. */
export function checkKitDir(dir: string): string {
  const packages = Object.keys(KIT_PACKAGES);
  for (const pkg of packages) {
    if (!existsSync(join(dir, pkg, 'package.json'))) {
      throw new UsageError(
        `--kit-dir ${dir} is not a checkout of the OCM plugin kit (no ${pkg}/package.json); give the directory that holds ${packages.map((p) => `${p}/`).join(', ')}`,
      );
    }
    if (!existsSync(join(dir, pkg, 'dist'))) {
      throw new UsageError(`--kit-dir ${dir}: ${pkg}/ is not built; run \`npm run setup\` in ${dir} first`);
    }
  }
  return dir;
}
