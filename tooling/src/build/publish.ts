/**
 * `ocm-plugin publish`: describes packaged plugin executables as an OCM component version (one `ocmPlugin`
 * resource per platform, as `ocm download plugin` expects) and, optionally, a plugin registry component that
 * references it with the `ocm.software/pluginInfo` label `ocm plugin registry list|get` read. Then runs
 * `ocm add cv` for both, or prints the commands when no ocm CLI is available.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { delimiter, join, resolve } from 'node:path';
import { TARGETS, artifactName, type Target } from './targets.js';

export interface PublishOptions {
  /** Plugin id: the executables are `<id>-<os>-<arch>[.exe]` in {@link dir}. */
  readonly id: string;
  /** Directory with the executables; the constructors are written there (File/v1 paths must stay inside it). */
  readonly dir: string;
  /** Component name, e.g. `acme.org/plugins/hello`. Its last segment must be the plugin id (it becomes the installed file name). */
  readonly component: string;
  readonly version: string;
  /** Provider name (default: the component name's first segment). */
  readonly provider?: string;
  readonly description?: string;
  /** Also write (and add) a plugin registry component referencing the plugin. */
  readonly registry?: { readonly component: string; readonly version: string; readonly provider?: string; readonly description?: string };
  /** Repository for `ocm add cv`, e.g. `ctf::./ctf` or `ghcr.io/acme/plugins` (default `ctf::<dir>/ctf`). */
  readonly repository?: string;
  /** ocm CLI path (default `$OCM_CLI`, else `ocm` on PATH). `false`: only write the constructors and print commands. */
  readonly ocm?: string | false;
  /** Extra global flags for every ocm call, e.g. `['--config', 'ocmconfig.yaml']`. */
  readonly ocmArgs?: readonly string[];
  /** `--component-version-conflict-policy replace`. */
  readonly replace?: boolean;
  readonly log?: (msg: string) => void;
}

export interface PublishResult {
  readonly pluginConstructor: string;
  readonly registryConstructor?: string;
  /** The `ocm add cv` command lines (run, or to run). */
  readonly commands: string[][];
  /** Whether the commands were run (an ocm CLI was found). */
  readonly ran: boolean;
  readonly platforms: string[];
  /** The registry reference name (`ocm plugin registry get <name>`). */
  readonly referenceName: string;
}

const q = (s: string) => JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar

function noDollar(what: string, s: string | undefined): void {
  // `ocm add cv` expands $VAR in constructor files before parsing them.
  if (s?.includes('$')) throw new Error(`${what} must not contain "$" (ocm add cv substitutes environment variables in constructor files)`);
}

/** The platforms built in `dir`, in target order. */
export function builtTargets(dir: string, id: string): Target[] {
  const files = new Set(existsSync(dir) ? readdirSync(dir) : []);
  return TARGETS.filter((t) => files.has(artifactName(id, t)));
}

/** Registry reference name derived like upstream does: the component name with `.` and `/` replaced by `-`. */
export function referenceName(component: string): string {
  return component.toLowerCase().replace(/[./]/g, '-');
}

export function pluginConstructor(o: {
  id: string;
  component: string;
  version: string;
  provider: string;
  description?: string;
  targets: readonly Target[];
}): string {
  const lines = [`name: ${q(o.component)}`, `version: ${q(o.version)}`, 'provider:', `  name: ${q(o.provider)}`];
  if (o.description) lines.push('labels:', '  - name: ocm.software/description', `    value: ${q(o.description)}`);
  lines.push('resources:');
  for (const t of o.targets) {
    lines.push(
      `  - name: ${q(o.id)}`,
      '    type: ocmPlugin',
      `    extraIdentity: {os: ${t.os}, architecture: ${t.arch}}`,
      `    input: {type: File/v1, path: ${q(`./${artifactName(o.id, t)}`)}, mediaType: application/octet-stream}`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** A reference already in the registry, kept as it is. */
export interface ExistingReference {
  readonly name: string;
  readonly componentName: string;
  readonly version: string;
  readonly labels?: unknown[];
  readonly [key: string]: unknown;
}

export function registryConstructor(o: {
  component: string;
  version: string;
  provider: string;
  description?: string;
  ref: { name: string; componentName: string; version: string; description: string; platforms: string[] };
  /** References of the registry's latest version; kept unless they are the same name and version as `ref`. */
  existing?: readonly ExistingReference[];
}): string {
  const lines = [
    `name: ${q(o.component)}`,
    `version: ${q(o.version)}`,
    'provider:',
    `  name: ${q(o.provider)}`,
    'labels:',
    '  - name: ocm.software/category',
    '    value: plugin-registry',
  ];
  if (o.description) lines.push('  - name: ocm.software/description', `    value: ${q(o.description)}`);
  lines.push('componentReferences:');
  for (const e of o.existing ?? []) {
    if (e.name === o.ref.name && e.version === o.ref.version) continue;
    const { name, componentName, version, labels } = e;
    lines.push(`  - ${JSON.stringify({ name, componentName, version, ...(labels ? { labels } : {}) })}`);
  }
  lines.push(
    `  - name: ${q(o.ref.name)}`,
    `    componentName: ${q(o.ref.componentName)}`,
    `    version: ${q(o.ref.version)}`,
    '    labels:',
    '      - name: ocm.software/pluginInfo',
    '        value:',
    `          description: ${q(o.ref.description)}`,
    `          platforms: [${o.ref.platforms.map(q).join(', ')}]`,
  );
  return `${lines.join('\n')}\n`;
}

/** `$OCM_CLI`, else `ocm` on PATH, else undefined. */
export function findOcm(): string | undefined {
  if (process.env.OCM_CLI) return existsSync(process.env.OCM_CLI) ? process.env.OCM_CLI : undefined;
  for (const d of (process.env.PATH ?? '').split(delimiter)) {
    for (const n of process.platform === 'win32' ? ['ocm.exe'] : ['ocm']) if (d && existsSync(join(d, n))) return join(d, n);
  }
  return undefined;
}

/** componentReferences of `ocm get cv -o json` output (one descriptor, or a list of them: the first is used). */
export function existingReferences(json: string): ExistingReference[] {
  const parsed = JSON.parse(json) as unknown;
  const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { component?: { componentReferences?: ExistingReference[] } } | undefined;
  return (first?.component?.componentReferences ?? []).filter((r) => typeof r?.name === 'string' && typeof r.version === 'string');
}

function runCapture(cmd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((res, rej) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    c.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    c.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    c.on('error', rej);
    c.on('close', (code) => res({ code: code ?? 1, stdout, stderr }));
  });
}

function runInherit(cmd: string, args: readonly string[]): Promise<number> {
  return new Promise((res, rej) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'inherit', 'inherit'] });
    c.on('error', rej);
    c.on('close', (code) => res(code ?? 1));
  });
}

export async function publishPlugin(o: PublishOptions): Promise<PublishResult> {
  const log = o.log ?? (() => {});
  const dir = resolve(o.dir);
  const last = o.component.split('/').pop();
  if (last !== o.id) {
    throw new Error(
      `component ${o.component} installs as "${last}" (ocm download plugin names the file after the component's last path segment), but the plugin id is "${o.id}"; name the component …/${o.id}`,
    );
  }
  for (const [k, v] of [
    ['description', o.description],
    ['registry description', o.registry?.description],
    ['component', o.component],
    ['version', o.version],
  ] as const)
    noDollar(k, v);
  const targets = builtTargets(dir, o.id);
  if (targets.length === 0) throw new Error(`no executables ${o.id}-<os>-<arch> in ${dir}; run \`ocm-plugin build\` first`);
  const provider = o.provider ?? o.component.split('/')[0]!;
  const platforms = targets.map((t) => `${t.os}/${t.arch}`);
  const pluginFile = join(dir, 'plugin-constructor.yaml');
  await writeFile(pluginFile, pluginConstructor({ id: o.id, component: o.component, version: o.version, provider, description: o.description, targets }));
  log(`wrote ${pluginFile} (${platforms.join(', ')})`);
  const ref = referenceName(o.component);
  const repository = o.repository ?? `ctf::${join(dir, 'ctf')}`;
  const ocm = o.ocm === false ? undefined : (o.ocm ?? findOcm());
  let registryFile: string | undefined;
  if (o.registry) {
    // Carry the references of the registry's latest version over, as the official registry pipeline does.
    let existing: ExistingReference[] = [];
    if (ocm) {
      const got = await runCapture(ocm, [...(o.ocmArgs ?? []), 'get', 'cv', `${repository}//${o.registry.component}`, '--latest', '-o', 'json']);
      if (got.code === 0) {
        existing = existingReferences(got.stdout);
        log(`registry ${o.registry.component}: keeping ${existing.length} reference(s) of its latest version`);
      } else {
        log(
          `registry ${o.registry.component} not readable in ${repository} (${got.stderr.trim().split('\n').pop() ?? `exit ${got.code}`}); starting it with this plugin only`,
        );
      }
    }
    registryFile = join(dir, 'registry-constructor.yaml');
    await writeFile(
      registryFile,
      registryConstructor({
        component: o.registry.component,
        version: o.registry.version,
        provider: o.registry.provider ?? o.registry.component.split('/')[0]!,
        description: o.registry.description,
        ref: { name: ref, componentName: o.component, version: o.version, description: o.description ?? '', platforms },
        existing,
      }),
    );
    log(`wrote ${registryFile}`);
  }
  const policy = o.replace ? ['--component-version-conflict-policy', 'replace'] : [];
  const commands = [pluginFile, registryFile]
    .filter((f): f is string => f !== undefined)
    .map((f) => [...(o.ocmArgs ?? []), 'add', 'cv', '--repository', repository, '--constructor', f, ...policy]);
  if (!ocm) {
    log('no ocm CLI found (set OCM_CLI or put ocm on PATH); run:');
    for (const c of commands) log(`  ocm ${c.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a}'`)).join(' ')}`);
    return { pluginConstructor: pluginFile, registryConstructor: registryFile, commands, ran: false, platforms, referenceName: ref };
  }
  for (const c of commands) {
    log(`${ocm} ${c.join(' ')}`);
    const code = await runInherit(ocm, c);
    if (code !== 0) throw new Error(`\`ocm ${c.join(' ')}\` failed with exit code ${code}`);
  }
  return { pluginConstructor: pluginFile, registryConstructor: registryFile, commands, ran: true, platforms, referenceName: ref };
}
