/** The LTS table's phases and the end-of-life warning `ocm-plugin doctor` and `ocm-plugin build` give. */
import { describe, expect, it } from 'vitest';
import { RUNTIME_LINES, eolWarning, lineOf, phaseOf, supportedLines } from '../src/runtime-lines.js';

const day = (d: string) => new Date(`${d}T12:00:00Z`);

describe('runtime lines', () => {
  it('are even majors, newest first, each phase after the one before', () => {
    expect(RUNTIME_LINES.map((l) => l.major)).toEqual([...RUNTIME_LINES.map((l) => l.major)].sort((a, b) => b - a));
    for (const l of RUNTIME_LINES) {
      expect(l.major % 2).toBe(0);
      expect(l.lts < l.maintenance && l.maintenance < l.eol).toBe(true);
    }
  });

  it('know where a line stands on a day', () => {
    expect(phaseOf(lineOf('26.10.0'), day('2026-12-03'))).toBe('active');
    expect(phaseOf(lineOf('v22.23.2'), day('2026-12-03'))).toBe('maintenance');
    expect(phaseOf(lineOf('20.20.2'), day('2026-12-03'))).toBe('eol');
    expect(phaseOf(lineOf('25.9.0'), day('2026-12-03'))).toBe('not-lts');
    expect(supportedLines(day('2026-12-03')).map((l) => l.major)).toEqual([26, 24, 22]);
    expect(supportedLines(day('2027-04-30')).map((l) => l.major)).toEqual([26, 24]);
  });
});

describe('eolWarning', () => {
  it('is silent for a line far from its end of life', () => {
    expect(eolWarning('26.10.0', day('2026-12-03'))).toBeUndefined();
    expect(eolWarning('22.23.2', day('2026-12-03'))).toBeUndefined();
  });

  it('warns from 90 days before the end of life, with the date and the fix', () => {
    expect(eolWarning('22.23.2', day('2027-02-01'))).toBe(
      'embeds Node.js 22.23.2: Node.js 22 reaches end of life on 2027-04-30, in 88 day(s); rebuild with `ocm-plugin build --node 26` (Node.js 26 is supported until 2029-04-30)',
    );
  });

  it('warns past the end of life and for lines that are not LTS', () => {
    expect(eolWarning('v20.20.2', day('2026-12-03'))).toBe(
      'embeds Node.js 20.20.2: Node.js 20 reached end of life on 2026-04-30 and gets no security fixes; rebuild with `ocm-plugin build --node 26` (Node.js 26 is supported until 2029-04-30)',
    );
    expect(eolWarning('22.23.2', day('2027-04-30'))).toContain('Node.js 22 reached end of life on 2027-04-30');
    expect(eolWarning('25.9.0', day('2026-12-03'))).toContain('embeds Node.js 25.9.0, which is not an LTS line this kit knows');
  });
});
