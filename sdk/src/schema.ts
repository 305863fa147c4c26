import { z } from 'zod';

/**
 * The JSON Schema (draft 2020-12, as the manager compiles it) of a spec type, from its zod schema. Input-side
 * semantics: fields with defaults are optional. Keep patterns RE2-compatible: the manager compiles them with Go RE2.
 */
export function jsonSchemaOf(schema: z.ZodType): Record<string, unknown> {
  return z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
