/** The `capabilities` answer: exactly the bytes the Go SDK prints for the same declared types. */
import type { Capability } from './contracts/kind.js';
import { base64, canonicalJson, goEscape } from './json.js';
import { jsonSchemaOf } from './schema.js';

/** One entry of a capability's type list. */
export interface TypeEntry {
  type: string;
  aliases: string[] | null;
  jsonSchema: string;
}

/** The handshake object of one capability (before canonicalisation). */
export function capabilityObject(cap: Capability): Record<string, unknown> {
  const entries: TypeEntry[] = Object.entries(cap.types).map(([type, schema]) => ({
    type,
    aliases: null,
    jsonSchema: base64(JSON.stringify(jsonSchemaOf(schema))),
  }));
  return { ...cap.contract.fixedFields, ...cap.extraFields, [cap.contract.typesField]: entries, type: cap.contract.kind };
}

/**
 * The full `capabilities` stdout: `{"capabilities":[…],"supportedConfigTypes":[…]}` plus a newline. Each
 * capability object is JCS-canonical (as Go's `runtime.Raw` re-serializes it), the envelope in Go field order, and
 * `supportedConfigTypes` is omitted when empty (Go `omitempty`).
 */
export function handshakeJson(capabilities: readonly Capability[], configTypes: readonly string[] = []): string {
  let out = `{"capabilities":[${capabilities.map((c) => canonicalJson(capabilityObject(c))).join(',')}]`;
  if (configTypes.length > 0) out += `,"supportedConfigTypes":${goEscape(JSON.stringify(configTypes))}`;
  return `${out}}\n`;
}
