import { describe, expect, it } from 'vitest';
import { credentialProperties, parseAuthorization } from '../../src/server/credentials.js';

const latin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1');

describe('Authorization header', () => {
  it('treats missing, empty and {} as no credentials', () => {
    expect(parseAuthorization(undefined, 'r')).toBeUndefined();
    expect(parseAuthorization('', 'r')).toBeUndefined();
    expect(parseAuthorization('{}', 'r')).toBeUndefined();
  });
  it('re-decodes UTF-8 that Node read as latin1', () => {
    const creds = parseAuthorization(latin1('{"type":"Credentials/v1","properties":{"password":"pä\\u003c"}}'), 'r');
    expect(credentialProperties(creds)).toEqual({ password: 'pä<' });
  });
  it('flattens typed credentials without properties', () => {
    expect(credentialProperties({ type: 'DummyToken/v1', token: 't', n: 1 } as never)).toEqual({ token: 't' });
  });
  it.each([['null'], ['"x"'], ['[1]'], ['{"type":5}'], ['Bearer x']])('rejects %s with a 401 that does not echo it', (value) => {
    try {
      parseAuthorization(value, 'plugin p: POST /x');
      expect.unreachable();
    } catch (err) {
      expect((err as { status: number }).status).toBe(401);
      expect((err as Error).message).toMatch(/^plugin p: POST \/x: malformed Authorization header/);
      if (value.length > 4) expect((err as Error).message).not.toContain(value);
    }
  });
});
