import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { re2Problem, re2RegExpEngine } from '../../src/schema/re2.js';

// Go 1.26 `regexp.Compile` verdicts; the last test re-derives them from the local Go toolchain when there is one.
// Rows marked `was wrong` are ones the earlier hand-written checks misjudged.
const GO: readonly (readonly [pattern: string, accepts: boolean, note?: string])[] = [
  ['^(?!x)', false],
  ['(?=a)b', false],
  ['(?<=x)y', false],
  ['(?<!x)y', false],
  ['(?>ab)', false],
  ['a++', false],
  ['a{2}+', false],
  ['(a)\\1', false],
  ['(?<n>x)\\k<n>', false],
  ['(?i)abc', true],
  ['(?i:abc)', true],
  ['(?U)a+', true],
  ['(?x) a b', false, 'was wrong'],
  ['\\pL', true],
  ['\\p{L}+', true, 'was wrong'],
  ['\\p{Greek}', true],
  ['\\Z', false, 'was wrong'],
  ['\\z', true],
  ['\\A', true],
  ['\\G', false, 'was wrong'],
  ['\\h', false, 'was wrong'],
  ['\\e', false, 'was wrong'],
  ['\\cA', false, 'was wrong'],
  ['\\u0041', false, 'was wrong'],
  ['\\x{41}', true],
  ['\\Q.*\\E', true],
  ['(?P<n>x)', true],
  ['(?<n>x)', true],
  ["(?'n'x)", false, 'was wrong'],
  ['[(?=]x', true, 'was wrong'],
  ['[[:alpha:]]', true],
  ['[a-\\d]', false, 'was wrong'],
  ['a{1001}', false, 'was wrong'],
  ['a{2,1}', false, 'was wrong'],
  ['x**', false, 'was wrong'],
  ['(', false, 'was wrong'],
  [')', false, 'was wrong'],
  ['^[a-z0-9]([-a-z0-9]*[a-z0-9])?$', true],
  ['^([a-zA-Z0-9][a-zA-Z0-9.]*)(?:/(v[0-9]+(?:alpha[0-9]+|beta[0-9]+)?))?', true],
];

describe('re2Problem', () => {
  it.each(GO.map(([pattern, accepts]): [string, boolean] => [pattern, accepts]))('%j: Go accepts = %s', (pattern, accepts) => {
    expect(re2Problem(pattern) === undefined).toBe(accepts);
  });

  it('names the construct and quotes Go’s error', () => {
    expect(re2Problem('^(?!x)')).toBe('uses a negative look-ahead (?!…), which Go RE2 cannot compile (Go regexp: invalid or unsupported Perl syntax: `(?!`)');
    expect(re2Problem('(?<=x)y')).toMatch(/^uses a look-behind \(\?<=…\), which Go RE2 cannot compile \(Go regexp: invalid named capture/);
    expect(re2Problem('(?>ab)')).toMatch(/^uses an atomic group \(\?>…\)/);
    expect(re2Problem('a*+')).toMatch(/^uses a possessive quantifier \*\+/);
    expect(re2Problem('(a)\\1')).toMatch(/^uses a back-reference \\1/);
    expect(re2Problem('(?<n>x)\\k<n>')).toMatch(/^uses a named back-reference/);
    expect(re2Problem('\\Z')).toBe('does not compile with Go RE2 (Go regexp: invalid escape sequence: `\\Z`)');
  });
});

describe('re2RegExpEngine', () => {
  it('matches as Go does: a search, with RE2-only syntax', () => {
    const test = (p: string, s: string) => re2RegExpEngine(p, 'u').test(s);
    expect(test('b', 'abc')).toBe(true);
    expect(test('(?i)^abc\\z', 'ABC')).toBe(true);
    expect(test('^abc\\z', 'abc\n')).toBe(false);
    expect(test('^\\pL+$', 'Grüße')).toBe(true);
    expect(test('^(?P<n>x+)$', 'xx')).toBe(true);
    expect(() => re2RegExpEngine('(?=a)', 'u')).toThrow(/\(\?=/);
  });
});

const hasGo = spawnSync('go', ['version']).status === 0;

describe.skipIf(!hasGo)('against the local Go toolchain', () => {
  it('agrees with regexp.Compile on every row', () => {
    const dir = mkdtempSync(join(tmpdir(), 're2-go-'));
    try {
      writeFileSync(join(dir, 'go.mod'), 'module re2check\n\ngo 1.22\n');
      writeFileSync(
        join(dir, 'main.go'),
        'package main\n\nimport (\n\t"encoding/json"\n\t"os"\n\t"regexp"\n)\n\nfunc main() {\n\tvar ps []string\n\t_ = json.NewDecoder(os.Stdin).Decode(&ps)\n\tout := []bool{}\n\tfor _, p := range ps {\n\t\t_, err := regexp.Compile(p)\n\t\tout = append(out, err == nil)\n\t}\n\t_ = json.NewEncoder(os.Stdout).Encode(out)\n}\n',
      );
      const stdout = execFileSync('go', ['run', '.'], {
        cwd: dir,
        input: JSON.stringify(GO.map(([p]) => p)),
        encoding: 'utf8',
        env: { ...process.env, GOFLAGS: '-mod=mod', GOPROXY: 'off', GOTOOLCHAIN: 'local' },
      });
      expect(JSON.parse(stdout)).toEqual(GO.map(([, accepts]) => accepts));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the schema check', () => {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64');
  it('accepts RE2-only syntax and names what Go rejects', async () => {
    const { compileSpecSchema } = await import('../../src/schema/index.js');
    expect(
      compileSpecSchema(b64({ type: 'object', properties: { type: { type: 'string' }, n: { type: 'string', pattern: '^\\pL+(?i)x$' } } }), { type: 'X/v1' })
        .problems,
    ).toEqual([]);
    expect(compileSpecSchema(b64({ type: 'object', patternProperties: { '^a\\Z': {} } }), { type: 'X/v1' }).problems).toEqual([
      'patternProperties key "^a\\\\Z" does not compile with Go RE2 (Go regexp: invalid escape sequence: `\\Z`); the manager fails every call for this type',
    ]);
  });
  it("names a schema that rejects the spec's own type", async () => {
    const { compileSpecSchema } = await import('../../src/schema/index.js');
    const closed = b64({ type: 'object', properties: { n: { type: 'string' } }, additionalProperties: false });
    expect(compileSpecSchema(closed).problems).toEqual([]);
    expect(compileSpecSchema(closed, { type: 'X/v1' }).problems).toEqual([
      expect.stringMatching(/rejects a spec's own "type" field \(\(root\) must NOT have additional properties "type"\)/),
    ]);
    expect(compileSpecSchema(b64({ properties: { type: { const: 'X/v1' } } }), { type: 'X/v1' }).problems).toEqual([]);
  });
});
