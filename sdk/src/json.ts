import canonicalizeModule from 'canonicalize';

// canonicalize is CommonJS (`module.exports = fn`); its typings do not describe that default export under NodeNext.
const canonicalize = canonicalizeModule as unknown as (value: unknown) => string | undefined;

/**
 * Escapes the characters Go's `encoding/json` escapes by default (`<`, `>`, `&`, U+2028, U+2029), so that bytes we
 * emit are identical to what the Go SDK emits for the same value.
 */
export function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** RFC 8785 (JCS) canonical JSON, as Go's `runtime.Raw` stores typed objects, with Go's HTML escaping applied. */
export function canonicalJson(value: unknown): string {
  const out = canonicalize(value);
  if (out === undefined) throw new TypeError('value cannot be represented as JSON');
  return goEscape(out);
}

/** Standard, padded base64 of a UTF-8 string (Go's encoding of `[]byte`). */
export function base64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

/** True when the value is a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
