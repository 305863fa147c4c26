/**
 * Manager-side JSON-schema validation (sdk/docs/protocol.md §2.5): the manager compiles each declared `jsonSchema`
 * with santhosh-tekuri/jsonschema (default draft 2020-12, no network, Go RE2 patterns, `format` not asserted for
 * 2019-09/2020-12) and validates the spec before every call. This module compiles with ajv and reports what the Go
 * compiler would reject on top: non-RE2 patterns, remote `$ref`s and unknown metaschemas. Patterns are compiled and
 * matched with RE2 (re2js), as Go's `regexp` does.
 */
import { Ajv2020 } from 'ajv/dist/2020.js';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv as AjvDraft7 } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { re2Problem, re2RegExpEngine } from './re2.js';

const DRAFTS: Record<string, 'draft-2020-12' | 'draft-2019-09' | 'draft-07' | 'draft-06' | 'draft-04'> = {
  'https://json-schema.org/draft/2020-12/schema': 'draft-2020-12',
  'https://json-schema.org/draft/2019-09/schema': 'draft-2019-09',
  'http://json-schema.org/draft-07/schema': 'draft-07',
  'http://json-schema.org/draft-06/schema': 'draft-06',
  'http://json-schema.org/draft-04/schema': 'draft-04',
};

/** A compiled spec schema, or why the manager would fail every call validated against it. */
export interface CompiledSchema {
  readonly validate?: (instance: unknown) => string[];
  /** The manager fails every call that validates against this schema. */
  readonly problems: string[];
  /** Accepted by the manager, but worth fixing. */
  readonly warnings: string[];
  readonly schema?: unknown;
}

function walkSchema(node: unknown, visit: (key: string, value: unknown, parent: Record<string, unknown>) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) walkSchema(item, visit);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  for (const [key, value] of Object.entries(obj)) {
    visit(key, value, obj);
    // Values under `properties`, `$defs`, … are schemas keyed by name; `const`/`enum`/`default`/`examples` are data.
    if (key === 'const' || key === 'enum' || key === 'default' || key === 'examples') continue;
    walkSchema(value, visit);
  }
}

/** Errors about a spec's `type` property: the manager validates the whole spec, its `type` included. */
function typeErrors(errors: readonly ErrorObject[] | null | undefined): string {
  return (errors ?? [])
    .filter(
      (e) =>
        e.instancePath === '/type' ||
        (e.keyword === 'additionalProperties' && (e.params as { additionalProperty?: string }).additionalProperty === 'type') ||
        (e.keyword === 'type' && e.instancePath === ''),
    )
    .map(
      (e) =>
        `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params && 'additionalProperty' in e.params ? ` "${String(e.params.additionalProperty)}"` : ''}`,
    )
    .join('; ');
}

/**
 * Decodes a handshake `jsonSchema` (standard base64) and compiles it as the manager would. With `type`, a schema
 * that rejects a spec carrying its own `type` field is a problem too: every call for that type would fail.
 */
export function compileSpecSchema(jsonSchema: string | null | undefined, want: { type?: string } = {}): CompiledSchema {
  if (jsonSchema === null || jsonSchema === undefined || jsonSchema === '') {
    return { problems: ['the jsonSchema is empty, so the manager fails every call for this type (parse error EOF); use at least `e30=` ({})'], warnings: [] };
  }
  const text = Buffer.from(jsonSchema, 'base64').toString('utf8');
  let schema: unknown;
  try {
    schema = JSON.parse(text);
  } catch (err) {
    return {
      problems: [`the jsonSchema decodes to something that is not one JSON document (${(err as Error).message}): ${JSON.stringify(text.slice(0, 80))}`],
      warnings: [],
    };
  }
  if (typeof schema !== 'boolean' && (schema === null || typeof schema !== 'object' || Array.isArray(schema))) {
    return { problems: ['the jsonSchema is not a JSON Schema object'], warnings: [], schema };
  }
  const problems: string[] = [];
  const warnings: string[] = [];
  let draft: string = 'draft-2020-12';
  if (typeof schema === 'object' && schema !== null) {
    const declared = (schema as Record<string, unknown>).$schema;
    if (declared !== undefined) {
      const key = typeof declared === 'string' ? declared.replace(/#$/, '') : '';
      const found = DRAFTS[key];
      if (!found)
        problems.push(
          `unknown $schema ${JSON.stringify(declared)}: the manager only knows drafts 4, 6, 7, 2019-09 and 2020-12 and loads nothing from the network`,
        );
      else draft = found;
    }
    walkSchema(schema, (key, value, parent) => {
      if (key === 'pattern' && typeof value === 'string' && typeof parent.type !== 'object') {
        const p = re2Problem(value);
        if (p) problems.push(`pattern ${JSON.stringify(value)} ${p}; the manager fails every call for this type`);
      }
      if (key === 'patternProperties' && value && typeof value === 'object') {
        for (const pattern of Object.keys(value)) {
          const p = re2Problem(pattern);
          if (p) problems.push(`patternProperties key ${JSON.stringify(pattern)} ${p}; the manager fails every call for this type`);
        }
      }
      if ((key === '$ref' || key === '$dynamicRef') && typeof value === 'string' && /^[a-z][a-z0-9+.-]*:/i.test(value) && !value.startsWith('file:')) {
        if (!/^https?:\/\/json-schema\.org\//.test(value)) {
          problems.push(
            `${key} ${JSON.stringify(value)} points to a remote document; the manager loads only file: URLs, keep schemas self-contained (#/$defs/…)`,
          );
        }
      }
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#') && !/^[a-z][a-z0-9+.-]*:/i.test(value)) {
        warnings.push(`relative $ref ${JSON.stringify(value)} is resolved against the ocm working directory by the manager; use #/$defs/…`);
      }
    });
    if (draft === 'draft-04' || draft === 'draft-06') {
      warnings.push(`${draft} schema: the reference host validates it with draft-07 rules; prefer draft 2020-12`);
    }
  }
  if (problems.length > 0) return { problems, warnings, schema };
  const options = { strict: false, allErrors: true, validateFormats: false, unicodeRegExp: true, code: { regExp: re2RegExpEngine } } as const;
  const ajv = draft === 'draft-2020-12' ? new Ajv2020(options) : draft === 'draft-2019-09' ? new Ajv2019(options) : new AjvDraft7(options);
  let fn: ValidateFunction;
  try {
    const copy = typeof schema === 'object' && schema !== null ? { ...(schema as Record<string, unknown>) } : schema;
    if (copy && typeof copy === 'object' && (draft === 'draft-04' || draft === 'draft-06')) delete (copy as Record<string, unknown>).$schema;
    fn = ajv.compile(copy as object);
  } catch (err) {
    return { problems: [`the jsonSchema does not compile: ${(err as Error).message}`], warnings, schema };
  }
  if (want.type !== undefined && !fn({ type: want.type })) {
    const why = typeErrors(fn.errors);
    if (why) problems.push(`the schema rejects a spec's own "type" field (${why}); the manager validates the whole spec, type included, so every call fails`);
  }
  return {
    problems,
    warnings,
    schema,
    validate: (instance) => {
      if (fn(instance)) return [];
      return (fn.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`);
    },
  };
}
