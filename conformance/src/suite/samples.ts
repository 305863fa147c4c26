/**
 * The samples file: author-supplied requests per endpoint, because only the author knows a spec that their plugin
 * can really serve. Format (YAML or JSON), documented in conformance/README.md:
 *
 * ```yaml
 * files:                       # optional; created under ${TMP} before the run
 *   tree/README: "hello\n"
 * samples:
 *   - name: pack a directory
 *     endpoint: processResource  # endpoint name (or path) from the kind's contract
 *     kind: inputRepository      # optional when the plugin declares one kind
 *     request: { resource: { name: app, version: 1.0.0, type: blob, input: { type: Dir.acme.org/v1, path: ${TMP}/tree } } }
 *     expect: success            # or: error
 *     credentials: { type: Credentials/v1, properties: { token: ${SECRET} } }   # optional
 *     type: Repo.acme.org/v1     # routing type for requests that carry no spec (componentVersionRepository GETs)
 *     spec: { type: Repo.acme.org/v1 }   # the spec the host validates for such requests (optional)
 *     long: true                 # takes at least ~1 s: used to test idle-timeout and SIGINT during a request
 *     plugin: my-plugin          # optional: only for this plugin id (one samples file for a directory of plugins)
 *     hosts: [reference]         # optional: only in these hosts (reference, go, ocm); default all
 * ```
 *
 * Variables: `${TMP}` (a fresh scratch directory holding `files`), `${SAMPLES_DIR}` (the samples file's directory),
 * `${SECRET}` (the marker secret the suite watches for in logs and error bodies).
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';

export interface Sample {
  readonly name: string;
  readonly endpoint: string;
  readonly kind?: string;
  readonly request: unknown;
  readonly expect: 'success' | 'error';
  readonly credentials?: unknown;
  readonly type?: string;
  readonly spec?: unknown;
  readonly long: boolean;
  readonly plugin?: string;
  /** Only in these hosts (a request the real manager never sends alone, say); default every host. */
  readonly hosts?: readonly SampleHost[];
}

/** The hosts a sample can be limited to (the names of `--host`). */
export const SAMPLE_HOSTS = ['reference', 'go', 'ocm'] as const;
export type SampleHost = (typeof SAMPLE_HOSTS)[number];

/** Whether a sample runs in a host. */
export const runsIn = (sample: Sample, host: SampleHost): boolean => sample.hosts === undefined || sample.hosts.includes(host);

export interface SamplesFile {
  readonly files: Readonly<Record<string, string>>;
  readonly samples: readonly Sample[];
  /** Where the file was read from, if it was. */
  readonly path?: string;
}

/** Samples with variables filled in, plus the scratch directory they refer to. */
export interface ResolvedSamples {
  readonly samples: readonly Sample[];
  readonly tmp: string;
  readonly secret: string;
}

export class SamplesError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SamplesError';
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Validates the parsed content of a samples file; errors name the sample and the field. */
export function parseSamples(content: unknown, path?: string): SamplesFile {
  const where = path ?? 'samples';
  if (content === null || content === undefined) return { files: {}, samples: [], path };
  if (!isObject(content)) throw new SamplesError(`${where}: expected a mapping with "samples:" (and optionally "files:")`);
  for (const key of Object.keys(content)) {
    if (!['samples', 'files', 'version'].includes(key)) throw new SamplesError(`${where}: unknown top-level key "${key}" (allowed: samples, files, version)`);
  }
  const files: Record<string, string> = {};
  if (content.files !== undefined) {
    if (!isObject(content.files)) throw new SamplesError(`${where}: "files" must map relative paths to file contents`);
    for (const [k, v] of Object.entries(content.files)) {
      if (typeof v !== 'string') throw new SamplesError(`${where}: files.${k} must be a string`);
      if (k.startsWith('/') || k.split('/').includes('..')) throw new SamplesError(`${where}: files.${k} must be a relative path inside \${TMP}`);
      files[k] = v;
    }
  }
  const list = content.samples ?? [];
  if (!Array.isArray(list)) throw new SamplesError(`${where}: "samples" must be a list`);
  const names = new Set<string>();
  const samples = list.map((raw, i): Sample => {
    const at = `${where}: samples[${i}]`;
    if (!isObject(raw)) throw new SamplesError(`${at} must be a mapping`);
    const allowed = ['name', 'endpoint', 'kind', 'request', 'expect', 'credentials', 'type', 'spec', 'long', 'plugin', 'hosts'];
    for (const key of Object.keys(raw)) if (!allowed.includes(key)) throw new SamplesError(`${at}: unknown key "${key}" (allowed: ${allowed.join(', ')})`);
    if (typeof raw.endpoint !== 'string' || raw.endpoint === '')
      throw new SamplesError(`${at}: "endpoint" (an endpoint name such as processResource, or a path) is required`);
    if (raw.request === undefined) throw new SamplesError(`${at}: "request" is required`);
    const expect = raw.expect ?? 'success';
    if (expect !== 'success' && expect !== 'error') throw new SamplesError(`${at}: "expect" must be success or error`);
    for (const key of ['kind', 'type', 'plugin', 'name'] as const) {
      if (raw[key] !== undefined && typeof raw[key] !== 'string') throw new SamplesError(`${at}: "${key}" must be a string`);
    }
    if (raw.long !== undefined && typeof raw.long !== 'boolean') throw new SamplesError(`${at}: "long" must be true or false`);
    if (
      raw.hosts !== undefined &&
      (!Array.isArray(raw.hosts) || raw.hosts.length === 0 || raw.hosts.some((h) => !(SAMPLE_HOSTS as readonly unknown[]).includes(h)))
    ) {
      throw new SamplesError(`${at}: "hosts" must be a non-empty list of ${SAMPLE_HOSTS.join(', ')}`);
    }
    const name = (raw.name as string | undefined) ?? `${raw.endpoint} #${i + 1}`;
    const key = `${(raw.plugin as string | undefined) ?? ''}\u0000${name}`;
    if (names.has(key)) throw new SamplesError(`${at}: duplicate sample name "${name}"${raw.plugin ? ` for plugin ${raw.plugin as string}` : ''}`);
    names.add(key);
    return {
      name,
      endpoint: raw.endpoint,
      kind: raw.kind as string | undefined,
      request: raw.request,
      expect,
      credentials: raw.credentials,
      type: raw.type as string | undefined,
      spec: raw.spec,
      long: raw.long === true,
      plugin: raw.plugin as string | undefined,
      ...(raw.hosts !== undefined ? { hosts: raw.hosts as SampleHost[] } : {}),
    };
  });
  return { files, samples, path };
}

/** Reads a samples file (YAML or JSON). */
export function loadSamples(path: string): SamplesFile {
  const abs = resolve(path);
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new SamplesError(`cannot read samples file ${abs}: ${(err as Error).message}`);
  }
  let content: unknown;
  try {
    content = parseYaml(text);
  } catch (err) {
    throw new SamplesError(`${abs}: not valid YAML: ${(err as Error).message}`);
  }
  return parseSamples(content, abs);
}

function substitute(value: unknown, vars: Record<string, string>): unknown {
  if (typeof value === 'string') return value.replace(/\$\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
  if (Array.isArray(value)) return value.map((v) => substitute(v, vars));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, vars)]));
  return value;
}

/** Creates `${TMP}` with the declared files and fills in the variables. */
export function resolveSamples(file: SamplesFile, secret: string): ResolvedSamples {
  const tmp = mkdtempSync(join(tmpdir(), 'ocm-conformance-'));
  for (const [rel, content] of Object.entries(file.files)) {
    const target = join(tmp, rel);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, content);
  }
  const vars = { TMP: tmp, SAMPLES_DIR: file.path ? dirname(file.path) : process.cwd(), SECRET: secret };
  return { samples: file.samples.map((s) => substitute(s, vars) as Sample), tmp, secret };
}
