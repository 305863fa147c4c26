import { describe, expect, it } from 'vitest';
import { base64, canonicalJson, goEscape } from '../src/json.js';

describe('Go-compatible JSON', () => {
  it('escapes exactly what encoding/json escapes', () => {
    expect(goEscape('{"a":"<b>&\u2028\u2029ä"}')).toBe('{"a":"\\u003cb\\u003e\\u0026\\u2028\\u2029ä"}');
  });
  it('canonicalises like RFC 8785: keys by UTF-16 code units, no whitespace, ES number form', () => {
    expect(canonicalJson({ type: 'x', aliases: null, b: [1e21, 0.1, -0], é: 1, Z: 2 })).toBe('{"Z":2,"aliases":null,"b":[1e+21,0.1,0],"type":"x","é":1}');
  });
  it('encodes padded standard base64', () => {
    expect(base64('{}')).toBe('e30=');
    expect(base64('??>')).toBe('Pz8+');
  });
});
