import { z } from 'zod';

const fixedSchemas = new WeakMap<z.ZodType, Readonly<Record<string, unknown>>>();

/**
 * Gives a spec type a hand-written JSON Schema for the handshake while zod keeps validating requests in the plugin.
 * Use it when the host must see exact schema bytes (e.g. a schema shared with a Go plugin) or when zod cannot express
 * the schema. Key order is kept as written. Returns the same zod schema.
 * @example
 * const Spec = withJsonSchema(z.looseObject({ type: z.string(), baseUrl: z.string() }), { type: 'object', required: ['type', 'baseUrl'] });
 */
export function withJsonSchema<S extends z.ZodType>(schema: S, jsonSchema: Readonly<Record<string, unknown>>): S {
  fixedSchemas.set(schema, jsonSchema);
  return schema;
}

/**
 * The JSON Schema (draft 2020-12, as the manager compiles it) of a spec type, from its zod schema. Input-side
 * semantics: fields with defaults are optional. Keep patterns RE2-compatible: the manager compiles them with Go RE2.
 * A schema given with {@link withJsonSchema} is returned as written.
 */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  const fixed = fixedSchemas.get(schema);
  if (fixed) return { ...fixed };
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
