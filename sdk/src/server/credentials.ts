/** Credentials arrive as raw JSON in `Authorization`; Go writes non-ASCII as UTF-8 bytes, Node reads them as latin1. */
import type { Credentials } from '../contracts/model.js';
import { PluginError } from '../errors.js';
import { isJsonObject } from '../json.js';

/**
 * Decodes the `Authorization` header. Missing, empty and `{}` mean "no credentials" (`undefined`). Anything that
 * is not a JSON object is a 401. The header's content is never echoed: it holds secrets.
 */
export function parseAuthorization(header: string | undefined, route: string): Credentials | undefined {
  if (header === undefined || header === '') return undefined;
  const text = Buffer.from(header, 'latin1').toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw PluginError.of('OCMP_ERR_AUTH_INVALID', { route, detail: `${text.length} characters that are not JSON` });
  }
  if (!isJsonObject(value)) {
    const got = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    throw PluginError.of('OCMP_ERR_AUTH_INVALID', { route, detail: `got ${got}` });
  }
  if ('type' in value && typeof value.type !== 'string') {
    throw PluginError.of('OCMP_ERR_AUTH_INVALID', { route, detail: '`type` is not a string' });
  }
  return Object.keys(value).length === 0 ? undefined : (value as Credentials);
}

/**
 * The `properties` of `Credentials/v1` (direct credentials) as a string map, or the top-level string fields of
 * any other typed credential. Returns `{}` when there are no credentials.
 */
export function credentialProperties(credentials: Credentials | undefined): Record<string, string> {
  if (!credentials) return {};
  const source = isJsonObject(credentials.properties) ? credentials.properties : credentials;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(source)) {
    if (typeof v === 'string' && !(source === credentials && k === 'type')) out[k] = v;
  }
  return out;
}
