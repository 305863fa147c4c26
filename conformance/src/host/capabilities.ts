/**
 * The `capabilities` handshake as the manager runs and decodes it (sdk/docs/protocol.md §1.2–§1.4): argv
 * `[<path>, "capabilities"]`, stdin /dev/null, no timeout, exit 0, stdout parsed whole with Go `json.Unmarshal`,
 * each capability object looked up in the manager's scheme by its exact, unversioned kind string.
 */
import { spawn } from 'node:child_process';
import { compileSpecSchema } from '../schema/index.js';
import { HostError } from './errors.js';
import { builtinFor, managerKind, MANAGER_KINDS, typeStringProblem, type HostVersion as Target } from '@ocm-plugin-kit/sdk/host-facts';
import { isPaddedStdBase64 } from './go.js';

/** One `{type, aliases, jsonSchema}` entry of a capability's type list. */
export interface TypeEntry {
  readonly type: string;
  readonly aliases: readonly string[] | null;
  /** Standard base64 of the JSON Schema, as declared. */
  readonly jsonSchema: string | null;
}

/** One capability object, decoded. */
export interface CapabilitySpec {
  readonly kind: string;
  /** Type lists by field name (absent fields are empty lists, as Go decodes them). */
  readonly lists: Readonly<Record<string, readonly TypeEntry[]>>;
  readonly raw: Readonly<Record<string, unknown>>;
}

/** The decoded `capabilities` answer. */
export interface PluginSpec {
  readonly capabilities: readonly CapabilitySpec[];
  readonly supportedConfigTypes: readonly string[];
}

/**
 * - `fatal`: the manager refuses the plugin and **every** `ocm` command fails;
 * - `error`: the plugin loads, but calls fail or never reach it;
 * - `warning`: works, but should be fixed.
 */
export type IssueSeverity = 'fatal' | 'error' | 'warning';

export interface HandshakeIssue {
  readonly severity: IssueSeverity;
  /** A stable id for reports, e.g. `stdout-not-json`. */
  readonly code: string;
  readonly message: string;
  readonly fix: string;
}

export interface ParsedCapabilities {
  /** Present unless a fatal issue stopped decoding. */
  readonly spec?: PluginSpec;
  readonly issues: readonly HandshakeIssue[];
}

/** What running `<plugin> capabilities` produced. */
export interface CapabilitiesRun {
  readonly exitCode: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly durationMs: number;
  /** Killed by the reference host's guard (`timeoutMs`); the manager would have waited for ever. */
  readonly timedOut: boolean;
}

/** Runs `<path> capabilities` the way the manager does. `timeoutMs` guards the reference host (the manager has none). */
export function runCapabilities(path: string, options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<CapabilitiesRun> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    let child;
    try {
      child = spawn(path, ['capabilities'], { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
    } catch (err) {
      reject(err);
      return;
    }
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? 60_000);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (exitCode, signal) => {
      clearTimeout(timer);
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
        durationMs: Math.round(performance.now() - started),
        timedOut,
      });
    });
  });
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Go matches JSON keys case-insensitively; returns the value of the first key equal to `name` ignoring case. */
function goField(obj: Record<string, unknown>, name: string): { key?: string; value: unknown } {
  if (Object.hasOwn(obj, name)) return { key: name, value: obj[name] };
  const key = Object.keys(obj).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? { value: undefined } : { key, value: obj[key] };
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : `a ${typeof v} (${JSON.stringify(v)})`;
}

/** Decodes a `runtime.Type` (string, or the object form Go also accepts). */
function decodeType(v: unknown, where: string, issues: HandshakeIssue[]): string | undefined {
  let s: unknown = v;
  if (isObject(v)) {
    issues.push({
      severity: 'warning',
      code: 'type-as-object',
      message: `${where} is an object; Go accepts {"type":…} here but no other host does`,
      fix: 'write type strings as plain strings, e.g. "Name/v1"',
    });
    s = v.type;
  }
  if (typeof s !== 'string') {
    issues.push({
      severity: 'fatal',
      code: 'type-not-string',
      message: `${where} is ${describe(v)}, not a type string: the manager fails to decode the handshake`,
      fix: 'write it as a string "Name/version"',
    });
    return undefined;
  }
  const problem = typeStringProblem(s);
  if (problem) {
    issues.push({
      severity: 'fatal',
      code: 'type-invalid',
      message: `${where}: ${problem}`,
      fix: 'use "Name/version" with at most one "/", e.g. "Greeting.acme.org/v1"',
    });
    return undefined;
  }
  return s;
}

/**
 * Decodes a `capabilities` stdout and lists everything the manager would refuse or silently mishandle.
 * Schema compilation, RE2 patterns and built-in type names are checked too (they fail at call time, not at load).
 */
export function parseCapabilities(stdout: string, options: { target?: Target } = {}): ParsedCapabilities {
  const target = options.target ?? 'v0.13.0';
  const issues: HandshakeIssue[] = [];
  const fatal = () => issues.some((i) => i.severity === 'fatal');
  let doc: unknown;
  try {
    doc = JSON.parse(stdout);
  } catch (err) {
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    const firstLine = lines[0] ?? '';
    // A banner or log line next to the handshake: name the stray line rather than the JSON error it causes.
    const jsonLine = lines.findIndex((l) => l.trim().startsWith('{"capabilities"'));
    const noise =
      jsonLine >= 0 && lines.length > 1
        ? `: stdout holds more than the JSON document (${lines.length - 1} other line(s), e.g. ${JSON.stringify((lines[jsonLine === 0 ? 1 : 0] ?? '').slice(0, 60))}) and the manager parses all of it`
        : /^\s*[{[]/.test(stdout)
          ? ''
          : ` (stdout starts with ${JSON.stringify(firstLine.slice(0, 80))})`;
    issues.push({
      severity: 'fatal',
      code: 'stdout-not-json',
      message: `stdout of \`capabilities\` is not one JSON document${noise}: failed to unmarshal capabilities: ${(err as Error).message}`,
      fix: 'print exactly one JSON document on stdout and nothing else; send logs to stderr (or nowhere during `capabilities`)',
    });
    return { issues };
  }
  if (doc === null) {
    issues.push({ severity: 'error', code: 'no-capabilities', message: 'stdout is `null`: the plugin declares nothing', fix: 'print {"capabilities":[…]}' });
    return { spec: { capabilities: [], supportedConfigTypes: [] }, issues };
  }
  if (!isObject(doc)) {
    issues.push({
      severity: 'fatal',
      code: 'envelope-not-object',
      message: `stdout is ${describe(doc)}, not the {"capabilities":[…]} object: failed to unmarshal capabilities`,
      fix: 'print {"capabilities":[{"type":"<kind>",…}]}',
    });
    return { issues };
  }
  for (const key of Object.keys(doc)) {
    if (key !== 'capabilities' && key !== 'supportedConfigTypes') {
      const ci = ['capabilities', 'supportedconfigtypes'].includes(key.toLowerCase());
      issues.push({
        severity: 'warning',
        code: 'envelope-extra-field',
        message: ci
          ? `envelope field "${key}" only works because Go matches keys case-insensitively`
          : `envelope field "${key}" is not part of the handshake; the manager ignores it`,
        fix: 'the envelope has exactly "capabilities" and, optionally, "supportedConfigTypes"',
      });
    }
  }
  const caps = goField(doc, 'capabilities').value;
  if (caps !== undefined && caps !== null && !Array.isArray(caps)) {
    issues.push({
      severity: 'fatal',
      code: 'capabilities-not-array',
      message: `"capabilities" is ${describe(caps)}, not an array: failed to unmarshal capabilities`,
      fix: 'make "capabilities" an array with one object per kind',
    });
    return { issues };
  }
  const configTypes: string[] = [];
  const rawConfig = goField(doc, 'supportedConfigTypes').value;
  if (rawConfig !== undefined && rawConfig !== null) {
    if (!Array.isArray(rawConfig)) {
      issues.push({
        severity: 'fatal',
        code: 'config-types-not-array',
        message: `"supportedConfigTypes" is ${describe(rawConfig)}, not an array of type strings`,
        fix: 'omit it or list type strings',
      });
    } else {
      rawConfig.forEach((t, i) => {
        const s = decodeType(t, `supportedConfigTypes[${i}]`, issues);
        if (s) configTypes.push(s);
      });
    }
  }
  if (!Array.isArray(caps) || caps.length === 0) {
    issues.push({
      severity: 'error',
      code: 'no-capabilities',
      message: 'the plugin declares no capabilities, so the manager never calls it',
      fix: 'declare at least one capability',
    });
  }

  const capabilities: CapabilitySpec[] = [];
  const kindsSeen = new Map<string, number>();
  (Array.isArray(caps) ? caps : []).forEach((cap, index) => {
    const where = `capabilities[${index}]`;
    if (!isObject(cap)) {
      issues.push({
        severity: 'fatal',
        code: 'capability-not-object',
        message: `${where} is ${describe(cap)}, not an object`,
        fix: 'each capability is an object {"type":"<kind>", "<listField>":[…]}',
      });
      return;
    }
    const kindValue = cap.type;
    if (kindValue === undefined) {
      issues.push({
        severity: 'fatal',
        code: 'kind-missing',
        message: `${where} has no "type": unsupported type: `,
        fix: `set "type" to one of ${MANAGER_KINDS.filter((k) => !k.headOnly)
          .map((k) => k.kind)
          .join(', ')}`,
      });
      return;
    }
    if (typeof kindValue !== 'string') {
      issues.push({
        severity: 'fatal',
        code: 'kind-not-string',
        message: `${where}.type is ${describe(kindValue)}`,
        fix: 'the kind is a string such as "inputRepository"',
      });
      return;
    }
    const kindProblem = typeStringProblem(kindValue);
    if (kindProblem) {
      issues.push({ severity: 'fatal', code: 'kind-invalid', message: `${where}.type: ${kindProblem}`, fix: 'use the exact, unversioned kind string' });
      return;
    }
    const mk = managerKind(kindValue, target);
    if (!mk) {
      const base = kindValue.split('/')[0] ?? '';
      const known = managerKind(base, 'head');
      const fix =
        known && kindValue !== base
          ? `kind strings are unversioned: write "${base}"`
          : managerKind(kindValue, 'head')
            ? `${kindValue} exists only at upstream HEAD; the ${target} manager fails on it, so do not advertise it to ocm ${target}`
            : `use one of ${MANAGER_KINDS.filter((k) => target === 'head' || !k.headOnly)
                .map((k) => k.kind)
                .join(', ')}`;
      issues.push({
        severity: 'fatal',
        code: known && kindValue !== base ? 'kind-versioned' : managerKind(kindValue, 'head') ? 'kind-head-only' : 'kind-unknown',
        message: `${where}: unsupported type: ${kindValue} (${managerKind(kindValue, 'head') ? `${kindValue} is only known to the upstream HEAD manager; ocm ${target} does not register it` : "the manager's capability scheme does not register it"}; every ocm command fails)`,
        fix,
      });
      return;
    }
    const lists: Record<string, TypeEntry[]> = {};
    for (const field of mk.listFields) {
      const { key, value } = goField(cap, field);
      if (key !== undefined && key !== field) {
        issues.push({
          severity: 'warning',
          code: 'field-case',
          message: `${where}: "${key}" only matches "${field}" because Go ignores case`,
          fix: `spell it "${field}"`,
        });
      }
      const entries: TypeEntry[] = [];
      lists[field] = entries;
      if (value === undefined || value === null) continue;
      if (!Array.isArray(value)) {
        issues.push({
          severity: 'fatal',
          code: 'list-not-array',
          message: `${where}.${field} is ${describe(value)}, not an array: the manager fails to convert the capability`,
          fix: `make ${field} an array of {"type","aliases","jsonSchema"} objects`,
        });
        continue;
      }
      value.forEach((entry, i) => {
        const ew = `${where}.${field}[${i}]`;
        if (!isObject(entry)) {
          issues.push({
            severity: 'fatal',
            code: 'entry-not-object',
            message: `${ew} is ${describe(entry)}, not an object`,
            fix: 'each entry is {"type":"Name/v1","aliases":null,"jsonSchema":"<base64>"}',
          });
          return;
        }
        const t = goField(entry, 'type').value;
        let type: string | undefined;
        if (t === undefined || t === null) {
          issues.push({
            severity: 'error',
            code: 'entry-type-missing',
            message: `${ew} has no "type": nothing can be routed to it`,
            fix: 'set "type" to the spec type string',
          });
        } else {
          type = decodeType(t, `${ew}.type`, issues);
          if (type !== undefined && !type.includes('/')) {
            issues.push({
              severity: 'warning',
              code: 'type-unversioned',
              message: `${ew}: type "${type}" has no version; lookups are exact, so users must write it exactly so`,
              fix: `declare "${type}/v1"`,
            });
          }
        }
        const a = goField(entry, 'aliases').value;
        let aliases: string[] | null = null;
        if (a !== undefined && a !== null) {
          if (!Array.isArray(a)) {
            issues.push({
              severity: 'fatal',
              code: 'aliases-not-array',
              message: `${ew}.aliases is ${describe(a)}`,
              fix: 'write "aliases": null (the manager ignores aliases for routing)',
            });
          } else {
            aliases = [];
            a.forEach((alias, j) => {
              const s = decodeType(alias, `${ew}.aliases[${j}]`, issues);
              if (s) aliases!.push(s);
            });
          }
        }
        const js = goField(entry, 'jsonSchema').value;
        let jsonSchema: string | null = null;
        if (js !== undefined && js !== null) {
          if (typeof js !== 'string') {
            issues.push({
              severity: 'fatal',
              code: 'schema-not-string',
              message: `${ew}.jsonSchema is ${describe(js)}: the manager decodes it as Go []byte, i.e. a standard base64 string, and fails`,
              fix: 'base64-encode the JSON Schema (standard alphabet, with = padding)',
            });
          } else if (!isPaddedStdBase64(js)) {
            issues.push({
              severity: 'fatal',
              code: 'schema-not-base64',
              message: `${ew}.jsonSchema is not standard base64 with = padding (URL-safe or unpadded base64 fails to decode in Go)`,
              fix: "use Buffer.from(JSON.stringify(schema)).toString('base64')",
            });
          } else {
            jsonSchema = js;
          }
        }
        if (type === undefined) return;
        const customCredential = mk.kind === 'credentialRepository' && field === 'customCredentialTypes';
        if (!customCredential && (js === undefined || js === null || js === '')) {
          issues.push({
            severity: 'error',
            code: 'schema-empty',
            message: `${ew} (${type}) has no jsonSchema: the manager fails every call for this type before sending it`,
            fix: 'declare a schema; `e30=` ({}) accepts anything',
          });
        } else if (!customCredential && jsonSchema !== null) {
          const compiled = compileSpecSchema(jsonSchema, { type });
          for (const p of compiled.problems)
            issues.push({
              severity: 'error',
              code: 'schema-invalid',
              message: `${ew} (${type}): ${p}`,
              fix: 'make the schema compile as draft 2020-12 with RE2-compatible patterns',
            });
          for (const w of compiled.warnings)
            issues.push({ severity: 'warning', code: 'schema-warning', message: `${ew} (${type}): ${w}`, fix: 'keep schemas self-contained' });
        }
        const builtin = builtinFor(mk.kind, field, type);
        if (builtin === 'v0.13.0') {
          issues.push({
            severity: 'error',
            code: 'type-builtin',
            message: customCredential
              ? `${ew}: "${type}" is a built-in credential type; registering it makes the ocm CLI panic at start-up`
              : `${ew}: "${type}" is a built-in type of the ocm CLI; built-ins are looked up first, so this plugin is never called for it`,
            fix: 'choose your own dotted, versioned name, e.g. "MyThing.acme.org/v1"',
          });
        } else if (builtin === 'head') {
          issues.push({
            severity: 'warning',
            code: 'type-builtin-head',
            message: `${ew}: "${type}" becomes a built-in at upstream HEAD and will shadow this plugin`,
            fix: 'choose your own dotted, versioned name',
          });
        }
        entries.push({ type, aliases, jsonSchema });
      });
    }
    const count = (kindsSeen.get(mk.kind) ?? 0) + 1;
    kindsSeen.set(mk.kind, count);
    if (count === 2) {
      issues.push(
        mk.replacedWhenRepeated
          ? {
              severity: 'error',
              code: 'kind-repeated',
              message: `${where}: a second inputRepository object replaces the first in the manager; only its types' schemas are used`,
              fix: 'put all types of one kind into one capability object',
            }
          : {
              severity: 'fatal',
              code: 'kind-repeated',
              message: `${where}: second ${mk.kind} object: plugin with ID <id> already registered`,
              fix: 'put all types of one kind into one capability object',
            },
      );
    }
    const claimed = new Set<string>();
    for (const field of mk.claimFields) {
      for (const e of lists[field] ?? []) {
        if (claimed.has(e.type)) {
          issues.push({
            severity: 'fatal',
            code: 'type-duplicate',
            message: `${where}: type ${e.type} listed twice: plugin for type ${e.type} already registered`,
            fix: 'list each type once',
          });
        }
        claimed.add(e.type);
      }
    }
    const totalTypes = mk.listFields.reduce((n, f) => n + (lists[f]?.length ?? 0), 0);
    if (totalTypes === 0) {
      issues.push({
        severity: 'error',
        code: 'no-types',
        message: `${where} (${mk.kind}) declares no types, so nothing is ever routed to it`,
        fix: `list the types in ${mk.listFields[0]}`,
      });
    }
    capabilities.push({ kind: mk.kind, lists, raw: cap });
  });
  if (kindsSeen.size > 1) {
    issues.push({
      severity: 'warning',
      code: 'several-kinds',
      message: `the plugin declares ${kindsSeen.size} kinds (${[...kindsSeen.keys()].join(', ')}); the manager shares one process between registries, so a second registry's start fails with "exec: already started"`,
      fix: 'ship one capability kind per executable',
    });
  }
  if (fatal()) return { issues };
  return { spec: { capabilities, supportedConfigTypes: configTypes }, issues };
}

/** Runs and decodes `capabilities`; throws the manager's error when the manager would refuse the plugin. */
export async function loadCapabilities(
  id: string,
  path: string,
  options: { target?: Target; env?: NodeJS.ProcessEnv } = {},
): Promise<{ spec: PluginSpec; run: CapabilitiesRun; issues: readonly HandshakeIssue[] }> {
  let run: CapabilitiesRun;
  try {
    run = await runCapabilities(path, { env: options.env });
  } catch (err) {
    throw new HostError(`failed to start plugin ${id}: ${(err as Error).message}`, {
      pluginId: id,
      fix: 'the file must be executable (chmod +x) and start with a #! line or be a native binary',
    });
  }
  if (run.exitCode !== 0) {
    throw new HostError(`failed to start plugin ${id}: exit status ${run.exitCode ?? run.signal}`, {
      pluginId: id,
      exitCode: run.exitCode,
      signal: run.signal,
      stderr: run.stderr,
      fix: '`<plugin> capabilities` must print the handshake and exit 0',
    });
  }
  const parsed = parseCapabilities(run.stdout, options);
  const fatal = parsed.issues.find((i) => i.severity === 'fatal');
  if (!parsed.spec || fatal) {
    throw new HostError(`failed to add plugin ${id}: ${fatal?.message ?? 'invalid capabilities'}`, { pluginId: id, stderr: run.stderr, fix: fatal?.fix });
  }
  return { spec: parsed.spec, run, issues: parsed.issues };
}
