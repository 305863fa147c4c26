import { describe, expect, it } from 'vitest';
import { parseCapabilities } from '../../src/host/capabilities.js';
import { compileSpecSchema, re2Problem } from '../../src/schema/index.js';

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64');
const entry = (type: string, schema: unknown = {}) => ({ type, aliases: null, jsonSchema: b64(schema) });
const doc = (...caps: unknown[]) => JSON.stringify({ capabilities: caps });
const codes = (stdout: string, target?: 'v0.13.0' | 'head') => parseCapabilities(stdout, { target }).issues.map((i) => `${i.severity}:${i.code}`);

describe('capabilities decoding (what the manager refuses)', () => {
  it('accepts a correct handshake, including the upstream test plugin bytes', () => {
    const dummy =
      '{"capabilities":[{"supportedRepositorySpecTypes":[{"aliases":null,"jsonSchema":"eyIkc2NoZW1hIjoiaHR0cHM6Ly9qc29uLXNjaGVtYS5vcmcvZHJhZnQvMjAyMC0xMi9zY2hlbWEiLCIkaWQiOiJodHRwczovL29jbS5zb2Z0d2FyZS9vcGVuLWNvbXBvbmVudC1tb2RlbC9iaW5kaW5ncy9nby9wbHVnaW4vaW50ZXJuYWwvZHVtbXl0eXBlL3YxL3JlcG9zaXRvcnkiLCIkcmVmIjoiIy8kZGVmcy9SZXBvc2l0b3J5IiwiJGRlZnMiOnsiUmVwb3NpdG9yeSI6eyJwcm9wZXJ0aWVzIjp7InR5cGUiOnsidHlwZSI6InN0cmluZyIsInBhdHRlcm4iOiJeKFthLXpBLVowLTldW2EtekEtWjAtOS5dKikoPzovKHZbMC05XSsoPzphbHBoYVswLTldK3xiZXRhWzAtOV0rKT8pKT8ifSwiYmFzZVVybCI6eyJ0eXBlIjoic3RyaW5nIn19LCJhZGRpdGlvbmFsUHJvcGVydGllcyI6ZmFsc2UsInR5cGUiOiJvYmplY3QiLCJyZXF1aXJlZCI6WyJ0eXBlIiwiYmFzZVVybCJdfX19","type":"DummyRepository/v1"}],"type":"componentVersionRepository"}],"supportedConfigTypes":["custom.config/v1"]}\n';
    const parsed = parseCapabilities(dummy);
    expect(parsed.issues).toEqual([]);
    expect(parsed.spec?.capabilities[0]?.kind).toBe('componentVersionRepository');
    expect(parsed.spec?.supportedConfigTypes).toEqual(['custom.config/v1']);
    expect(codes(doc({ type: 'inputRepository', supportedInputTypes: [entry('Greeting.acme.org/v1')] }))).toEqual([]);
  });

  it('warns about a type without a version, and about a schema that rejects its own type', () => {
    expect(codes(doc({ type: 'inputRepository', supportedInputTypes: [entry('Greeting')] }))).toEqual(['warning:type-unversioned']);
    const closed = { type: 'object', properties: { n: { type: 'string' } }, additionalProperties: false };
    expect(codes(doc({ type: 'inputRepository', supportedInputTypes: [entry('Greeting.acme.org/v1', closed)] }))).toEqual(['error:schema-invalid']);
  });

  it('refuses noise on stdout, non-objects and wrongly typed fields', () => {
    expect(codes(`starting\n${doc({ type: 'inputRepository' })}`)).toEqual(['fatal:stdout-not-json']);
    expect(parseCapabilities(`starting\n${doc({ type: 'inputRepository' })}`).issues[0]!.message).toMatch(
      /stdout holds more than the JSON document \(1 other line\(s\), e\.g\. "starting"\)/,
    );
    expect(codes('[]')).toEqual(['fatal:envelope-not-object']);
    expect(codes('{"capabilities":{}}')).toEqual(['fatal:capabilities-not-array']);
    expect(codes(doc({ type: 'inputRepository', supportedInputTypes: 'Greeting/v1' }))).toContain('fatal:list-not-array');
  });

  it("refuses unknown, versioned, head-only and malformed kinds with the manager's wording", () => {
    expect(codes(doc({ type: 'inputRepository/v1', supportedInputTypes: [] }))).toEqual(['fatal:kind-versioned']);
    expect(codes(doc({ type: 'greeter', supportedInputTypes: [] }))).toEqual(['fatal:kind-unknown']);
    expect(codes(doc({ type: 'credentialPlugin', supportedCredentialPluginTypes: [entry('X.acme.org/v1')] }))).toEqual(['fatal:kind-head-only']);
    expect(codes(doc({ type: 'credentialPlugin', supportedCredentialPluginTypes: [entry('X.acme.org/v1')] }), 'head')).toEqual([]);
    expect(codes(doc({ supportedInputTypes: [] }))).toEqual(['fatal:kind-missing']);
    expect(codes(doc({ type: 'a/b/c' }))).toEqual(['fatal:kind-invalid']);
    expect(parseCapabilities(doc({ type: 'credentialPlugin', supportedCredentialPluginTypes: [] })).issues[0]!.message).toMatch(
      /credentialPlugin is only known to the upstream HEAD manager; ocm v0\.13\.0 does not register it/,
    );
    const msg = parseCapabilities(doc({ type: 'inputRepository/v1' })).issues[0]!;
    expect(msg.message).toMatch(/unsupported type: inputRepository\/v1/);
    expect(msg.fix).toMatch(/write "inputRepository"/);
  });

  it('checks jsonSchema encoding: padded standard base64 string only', () => {
    const t = 'Greeting.acme.org/v1';
    expect(codes(doc({ type: 'inputRepository', supportedInputTypes: [{ type: t, aliases: null, jsonSchema: { type: 'object' } }] }))).toEqual([
      'fatal:schema-not-string',
    ]);
    expect(codes(doc({ type: 'inputRepository', supportedInputTypes: [{ type: t, aliases: null, jsonSchema: 'e30' }] }))).toEqual(['fatal:schema-not-base64']);
    expect(
      codes(doc({ type: 'inputRepository', supportedInputTypes: [{ type: t, aliases: null, jsonSchema: Buffer.from('{"a":1}').toString('base64url') }] })),
    ).toEqual(['fatal:schema-not-base64']);
    expect(codes(doc({ type: 'inputRepository', supportedInputTypes: [{ type: t, aliases: null, jsonSchema: null }] }))).toEqual(['error:schema-empty']);
    expect(codes(doc({ type: 'inputRepository', supportedInputTypes: [{ type: t, aliases: null, jsonSchema: 'e30=' }] }))).toEqual([]);
  });

  it('flags schemas the Go compiler rejects: non-RE2 patterns, remote refs, unknown drafts', () => {
    const lookahead = { type: 'object', properties: { name: { type: 'string', pattern: '^(?!admin).*$' } } };
    const issues = parseCapabilities(doc({ type: 'inputRepository', supportedInputTypes: [entry('Greeting.acme.org/v1', lookahead)] })).issues;
    expect(issues.map((i) => i.code)).toEqual(['schema-invalid']);
    expect(issues[0]!.message).toMatch(/look-ahead.*RE2/);
    expect(compileSpecSchema(b64({ $ref: 'https://example.com/s.json' })).problems[0]).toMatch(/remote/);
    expect(compileSpecSchema(b64({ $schema: 'https://example.com/my-draft' })).problems[0]).toMatch(/unknown \$schema/);
    expect(compileSpecSchema(b64({ type: 'object', required: ['type'] })).validate!({})).toEqual(["/ must have required property 'type'"]);
    expect(compileSpecSchema(b64({ type: 'string', format: 'email' })).validate!('not-an-email')).toEqual([]);
    expect(re2Problem('(a)\\1')).toMatch(/back-reference/);
    expect(re2Problem('(?<=x)y')).toMatch(/look-behind/);
    expect(re2Problem('[(?=]x')).toBeUndefined();
    expect(re2Problem('^([a-zA-Z0-9][a-zA-Z0-9.]*)(?:/(v[0-9]+(?:alpha[0-9]+|beta[0-9]+)?))?')).toBeUndefined();
    expect(re2Problem('(?P<name>x)')).toBeUndefined();
    // RE2-only spellings the manager accepts compile and match as in Go.
    const re2 = compileSpecSchema(
      b64({ type: 'object', properties: { a: { type: 'string', pattern: '(?i)^abc\\z' }, b: { type: 'string', pattern: '^(?P<n>x+)$' } } }),
    );
    expect(re2.problems).toEqual([]);
    expect(re2.validate!({ a: 'ABC', b: 'xx' })).toEqual([]);
    expect(re2.validate!({ a: 'abd', b: 'y' })).toHaveLength(2);
    // Constructs the earlier scanner misjudged: Go accepts \p{L}, rejects \Z, \u escapes and unbalanced parentheses.
    const letters = compileSpecSchema(
      b64({ type: 'object', properties: { n: { type: 'string', pattern: '^\\p{L}+$' } }, patternProperties: { '^x-\\pL': {} } }),
    );
    expect(letters.problems).toEqual([]);
    expect(letters.validate!({ n: 'Grüße' })).toEqual([]);
    expect(letters.validate!({ n: 'a1' })).toHaveLength(1);
    expect(compileSpecSchema(b64({ type: 'string', pattern: 'a\\Z' })).problems).toEqual([
      'pattern "a\\\\Z" does not compile with Go RE2 (Go regexp: invalid escape sequence: `\\Z`); the manager fails every call for this type',
    ]);
    expect(compileSpecSchema(b64({ patternProperties: { '\\u0041(': {} } })).problems[0]).toMatch(/^patternProperties key .* does not compile with Go RE2/);
  });

  it('finds duplicate type claims, repeated kinds, built-in names and empty declarations', () => {
    const t = 'Greeting.acme.org/v1';
    expect(codes(doc({ type: 'inputRepository', supportedInputTypes: [entry(t), entry(t)] }))).toEqual(['fatal:type-duplicate']);
    expect(
      codes(
        doc({ type: 'signingHandler', supportedSigningSpecTypes: [entry('X/v1')] }, { type: 'signingHandler', supportedSigningSpecTypes: [entry('Y/v1')] }),
      ),
    ).toEqual(['fatal:kind-repeated']);
    expect(
      codes(doc({ type: 'inputRepository', supportedInputTypes: [entry('A/v1')] }, { type: 'inputRepository', supportedInputTypes: [entry('B/v1')] })),
    ).toEqual(['error:kind-repeated']);
    expect(codes(doc({ type: 'inputRepository', supportedInputTypes: [entry('file/v1')] }))).toEqual(['error:type-builtin']);
    expect(codes(doc({ type: 'resourceRepository', supportedAccessTypes: [entry('GitHub/v1')] }))).toEqual(['warning:type-builtin-head']);
    expect(
      codes(
        doc({
          type: 'credentialRepository',
          supportedCredentialRepositorySpecTypes: [entry('Vault.acme.org/v1')],
          customCredentialTypes: [{ type: 'OCICredentials/v1', aliases: null, jsonSchema: null }],
        }),
      ),
    ).toEqual(['error:type-builtin']);
    expect(codes(doc({ type: 'inputRepository', supportedInputTypes: [] }))).toEqual(['error:no-types']);
    expect(
      codes(
        doc({ type: 'inputRepository', supportedInputTypes: [entry('A/v1')] }, { type: 'blobTransformer', supportedTransformerSpecTypes: [entry('B/v1')] }),
      ),
    ).toEqual(['warning:several-kinds']);
    expect(codes(doc({ type: 'inputRepository', supportedInputTypes: [{ ...entry('A/v1'), type: 'a/b/c' }] }))).toEqual([
      'fatal:type-invalid',
      'error:no-types',
    ]);
  });
});
