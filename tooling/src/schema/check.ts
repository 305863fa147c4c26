/**
 * Checks one `jsonSchema` of a handshake type entry the way the manager uses it (sdk/docs/protocol.md §2.5): standard
 * padded base64, one JSON document, a dialect it knows, compiles without network access, RE2-compatible patterns, and
 * accepts the `type` property with the type's own name.
 */
import { createRequire } from 'node:module';
import type { AnySchema, ErrorObject, ValidateFunction } from 'ajv';
import { KNOWN_SCHEMA_DIALECTS } from '@ocm-plugin-kit/sdk/host-facts';
import { re2Problem, re2RegExpEngine } from './re2.js';

export interface SchemaProblem {
  readonly severity: 'fail' | 'warn';
  readonly message: string;
  readonly fix: string;
}

// Made on first use: a CommonJS bundle of a module that imports this one (the conformance CLI's) has no
// import.meta.url at load time.
let requireHere: NodeJS.Require | undefined;
const require = (id: string): unknown => (requireHere ??= createRequire(import.meta.url))(id);
interface AjvLike {
  compile(schema: AnySchema): ValidateFunction;
}
type AjvClass = new (opts: Record<string, unknown>) => AjvLike & { addMetaSchema(s: AnySchema): unknown };
const loadAjv = (path: string): AjvClass => {
  const mod = require(path) as { default?: AjvClass } & AjvClass;
  return mod.default ?? mod;
};

/** Standard base64 with `=` padding, as Go's `[]byte` JSON decoding requires. */
export function isPaddedBase64(s: string): boolean {
  return s.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(s);
}

function patterns(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) {
    for (const n of node) patterns(n, out);
  } else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === 'pattern' && typeof v === 'string') out.push(v);
      if (k === 'patternProperties' && v && typeof v === 'object') out.push(...Object.keys(v));
      patterns(v, out);
    }
  }
  return out;
}

function compilerFor(dialect: string | undefined): AjvLike | undefined {
  const opts = { strict: false, validateFormats: false, allErrors: true, loadSchema: undefined, code: { regExp: re2RegExpEngine } };
  switch (dialect) {
    case undefined:
    case 'https://json-schema.org/draft/2020-12/schema':
      return new (loadAjv('ajv/dist/2020'))(opts);
    case 'https://json-schema.org/draft/2019-09/schema':
      return new (loadAjv('ajv/dist/2019'))(opts);
    case 'http://json-schema.org/draft-07/schema':
      return new (loadAjv('ajv'))(opts);
    case 'http://json-schema.org/draft-06/schema': {
      const ajv = new (loadAjv('ajv'))(opts);
      ajv.addMetaSchema(require('ajv/dist/refs/json-schema-draft-06.json') as AnySchema);
      return ajv;
    }
    default:
      return undefined; // draft-04: known to the manager, not to ajv 8
  }
}

function describe(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? []).map((e) => `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` "${String(e.params.additionalProperty)}"` : ''}`).join('; ');
}

/** Problems with the schema of type `type`; empty when the manager can use it. */
export function checkTypeSchema(type: string, encoded: unknown): SchemaProblem[] {
  const where = `type ${type}`;
  if (typeof encoded !== 'string') {
    return [{ severity: 'fail', message: `${where}: jsonSchema is ${encoded === null ? 'null' : typeof encoded}, not a base64 string`, fix: 'emit the JSON Schema as a standard base64 string (Go []byte); `e30=` (`{}`) accepts anything' }];
  }
  if (encoded === '') {
    return [{ severity: 'fail', message: `${where}: jsonSchema is empty, so every call the manager validates fails`, fix: 'emit a JSON Schema; `e30=` (`{}`) accepts anything' }];
  }
  if (!isPaddedBase64(encoded)) {
    return [{ severity: 'fail', message: `${where}: jsonSchema is not standard padded base64 (URL-safe alphabet or missing "=" padding fail to decode)`, fix: "encode with Buffer.from(json).toString('base64')" }];
  }
  let schema: unknown;
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  try {
    schema = JSON.parse(text);
  } catch (err) {
    return [{ severity: 'fail', message: `${where}: jsonSchema decodes to something that is not one JSON document (${(err as Error).message}): ${text.slice(0, 80)}`, fix: 'base64-encode exactly one JSON Schema document' }];
  }
  if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
    return [{ severity: 'fail', message: `${where}: jsonSchema is JSON but not a schema object (${text.slice(0, 40)})`, fix: 'a JSON Schema is an object (or true/false)' }];
  }
  const problems: SchemaProblem[] = [];
  const dialect = typeof schema === 'object' && typeof (schema as Record<string, unknown>).$schema === 'string' ? ((schema as Record<string, unknown>).$schema as string).replace(/#$/, '') : undefined;
  if (dialect !== undefined && !KNOWN_SCHEMA_DIALECTS.includes(dialect)) {
    return [{ severity: 'fail', message: `${where}: $schema ${dialect} is not a dialect the manager knows; it cannot load schemas over the network, so every call fails`, fix: 'use "https://json-schema.org/draft/2020-12/schema" (or drop $schema: 2020-12 is the default)' }];
  }
  for (const p of patterns(schema)) {
    const why = re2Problem(p);
    if (why) problems.push({ severity: 'fail', message: `${where}: pattern ${JSON.stringify(p)} ${why}; the manager fails every call`, fix: 'write the pattern in RE2 syntax (https://github.com/google/re2/wiki/Syntax): no look-around, back-references, atomic groups or possessive quantifiers' });
  }
  // ajv compiles patterns with RE2 as well, so a rejected pattern would only repeat itself as a compile error.
  if (problems.length > 0) return problems;
  const ajv = compilerFor(dialect);
  if (!ajv) return problems;
  let validate: ValidateFunction;
  try {
    validate = ajv.compile(schema as AnySchema);
  } catch (err) {
    problems.push({ severity: 'fail', message: `${where}: jsonSchema does not compile: ${(err as Error).message}`, fix: 'keep the schema self-contained (`#/$defs/...` references, no http(s) $ref) and valid for its dialect' });
    return problems;
  }
  validate({ type });
  const typeErrors = (validate.errors ?? []).filter(
    (e) => e.instancePath === '/type' || (e.keyword === 'additionalProperties' && (e.params as { additionalProperty?: string }).additionalProperty === 'type') || e.keyword === 'type' && e.instancePath === '',
  );
  if (typeErrors.length > 0) {
    problems.push({ severity: 'fail', message: `${where}: the schema rejects a spec's own "type" field (${describe(typeErrors)}); the manager validates the whole spec, type included`, fix: `allow the property "type" with the value "${type}" (zod: type: z.literal('${type}'))` });
  }
  return problems;
}
