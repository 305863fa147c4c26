/** Go encoding conventions the manager uses on the wire (sdk/docs/protocol.md §2.1, §2.4, §4.1). */
import { goEscape } from '@ocm-plugin-kit/sdk/contracts';

/** Go `json.Marshal` escaping on top of JSON: `<`, `>`, `&`, U+2028 and U+2029 become `\u` escapes. */
export function goJson(value: unknown): string {
  return goEscape(JSON.stringify(value));
}

/** Go `url.QueryEscape`: unreserved bytes stay, space becomes `+`, every other UTF-8 byte `%XX` (upper-case hex). */
export function goQueryEscape(value: string): string {
  // Through UTF-8 and back first: lone surrogates become U+FFFD, as Go sees them (encodeURIComponent would throw).
  const text = Buffer.from(value, 'utf8').toString('utf8');
  return encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Go `url.Values.Encode()`: keys sorted bytewise, `key=value` pairs joined by `&`. */
export function goQueryString(values: Readonly<Record<string, string | readonly string[] | undefined>>): string {
  const keys = Object.keys(values).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
  const parts: string[] = [];
  for (const key of keys) {
    const v = values[key];
    if (v === undefined) continue;
    for (const item of typeof v === 'string' ? [v] : v) parts.push(`${goQueryEscape(key)}=${goQueryEscape(item)}`);
  }
  return parts.join('&');
}

/** Go's `encoding/json` decodes `[]byte` from standard base64 with `=` padding; nothing else. */
export function isPaddedStdBase64(value: string): boolean {
  const compact = value.replace(/[\r\n]/g, '');
  return /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(compact);
}
