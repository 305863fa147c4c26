import { describe, expect, it } from 'vitest';
import { formatText, toJson, toJUnit, type ConformanceReport } from '../../src/suite/report.js';
import { parseSamples, runsIn, SamplesError } from '../../src/suite/samples.js';
import { parseXml } from '../helpers.js';

const report: ConformanceReport = {
  tool: '@ocm-plugin-kit/conformance',
  version: '0.1.0',
  startedAt: '2026-01-01T00:00:00.000Z',
  durationMs: 1234,
  checks: [{ id: 'discovery.found', group: 'discovery', title: 'found', status: 'pass', durationMs: 1 }],
  ok: false,
  plugins: [
    {
      plugin: 'my-plugin',
      path: '/p/my-plugin',
      target: 'v0.13.0',
      ok: false,
      durationMs: 1000,
      summary: { pass: 1, fail: 1, warn: 1, skip: 1 },
      checks: [
        { id: 'handshake.exit', group: 'handshake', title: 'exits 0', status: 'pass', durationMs: 10 },
        {
          id: 'handshake.stdout',
          group: 'handshake',
          title: 'stdout <is> "JSON" & only JSON',
          status: 'fail',
          message: 'stdout starts with "hi <b>\u0001"\nsecond line',
          fix: 'log to stderr',
          durationMs: 5,
        },
        { id: 'handshake.fast', group: 'handshake', title: 'fast', status: 'warn', message: 'slow', fix: 'be lazy', durationMs: 5 },
        { id: 'lifecycle.x', group: 'lifecycle', title: 'long request', status: 'skip', message: 'needs a long sample', durationMs: 0 },
      ],
    },
  ],
};

describe('report formats', () => {
  it('text: one line per check, details and fixes under failures and warnings', () => {
    const text = formatText(report);
    expect(text).toContain('plugin my-plugin (/p/my-plugin), target ocm v0.13.0');
    expect(text).toMatch(/FAIL {2}stdout <is> "JSON" & only JSON\n {10}stdout starts with/);
    expect(text).toContain('fix: log to stderr');
    expect(text).toContain('NOT conformant: 1 passed, 1 failed, 1 warnings, 1 skipped');
    expect(text).toContain('Conformance failures found.');
    expect(text).not.toContain('\u001b[');
    expect(formatText(report, { color: true })).toContain('\u001b[31mFAIL');
  });

  it('JSON: round-trips the report', () => {
    expect(JSON.parse(toJson(report))).toEqual(report);
  });

  it('JUnit XML: well-formed, counts consistent, failures/skips/warnings mapped', () => {
    const root = parseXml(toJUnit(report));
    expect(root.name).toBe('testsuites');
    expect(root.attrs).toMatchObject({ tests: '5', failures: '1', skipped: '1', errors: '0' });
    const suites = root.children;
    expect(suites.map((s) => s.attrs.name)).toEqual(['plugin-directory', 'my-plugin']);
    for (const s of suites) {
      expect(s.name).toBe('testsuite');
      expect(Number(s.attrs.tests)).toBe(s.children.length);
      expect(Number(s.attrs.failures)).toBe(s.children.filter((c) => c.children.some((x) => x.name === 'failure')).length);
      expect(Number(s.attrs.skipped)).toBe(s.children.filter((c) => c.children.some((x) => x.name === 'skipped')).length);
      for (const c of s.children) {
        expect(c.name).toBe('testcase');
        expect(c.attrs.classname).toBeTruthy();
        expect(Number.isFinite(Number(c.attrs.time))).toBe(true);
      }
    }
    const failure = suites[1]!.children[1]!.children[0]!;
    expect(failure.name).toBe('failure');
    expect(suites[1]!.children[1]!.attrs.name).toBe('stdout <is> "JSON" & only JSON');
    expect(failure.text).toBe('stdout starts with "hi <b>"\nsecond line\nfix: log to stderr');
    expect(suites[1]!.children[2]!.children[0]!.name).toBe('system-out');
    expect(() => parseXml('<a><b></a>')).toThrow(/mismatched/);
  });
});

describe('samples file validation', () => {
  it('accepts the documented format and fills in defaults', () => {
    const s = parseSamples({
      files: { 'a/b': 'x' },
      samples: [
        { endpoint: 'processResource', request: {} },
        { name: 'bad', endpoint: 'identity', request: {}, expect: 'error', long: true },
      ],
    });
    expect(s.samples.map((x) => [x.name, x.expect, x.long])).toEqual([
      ['processResource #1', 'success', false],
      ['bad', 'error', true],
    ]);
  });

  it('names the sample and the field on mistakes', () => {
    expect(() => parseSamples({ samples: [{ request: {} }] }, 'f.yaml')).toThrow(/f\.yaml: samples\[0\]: "endpoint"/);
    expect(() => parseSamples({ samples: [{ endpoint: 'x', request: {}, expects: 'error' }] })).toThrow(/unknown key "expects"/);
    expect(() => parseSamples({ samples: [{ endpoint: 'x', request: {}, expect: 'maybe' }] })).toThrow(SamplesError);
    expect(() => parseSamples({ files: { '../x': 'y' } })).toThrow(/relative path inside/);
    expect(() => parseSamples({ sample: [] })).toThrow(/unknown top-level key "sample"/);
    expect(() => parseSamples({ samples: [{ endpoint: 'x', request: {}, hosts: ['jvm'] }] })).toThrow(/"hosts" must be a non-empty list of reference, go, ocm/);
  });

  it('limits a sample to the hosts it names', () => {
    const [only, all] = parseSamples({
      samples: [
        { endpoint: 'x', request: {}, hosts: ['reference'] },
        { endpoint: 'y', request: {} },
      ],
    }).samples;
    expect([runsIn(only!, 'reference'), runsIn(only!, 'go'), runsIn(only!, 'ocm')]).toEqual([true, false, false]);
    expect([runsIn(all!, 'reference'), runsIn(all!, 'go'), runsIn(all!, 'ocm')]).toEqual([true, true, true]);
  });
});
