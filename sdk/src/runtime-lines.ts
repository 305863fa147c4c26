/**
 * The Node.js LTS lines a packaged plugin may embed, with their dates from the Node.js release schedule. This table is
 * the one home of these facts: `ocm-plugin build` chooses the default runtime from it, `ocm-plugin doctor` warns from
 * it, create-ocm-plugin writes the generated projects' CI matrix and `engines` from it, and the table in
 * docs/packaging.md is checked against it by a test. Add a line here when it enters LTS.
 */

export interface RuntimeLine {
  /** The major version, e.g. 26. */
  readonly major: number;
  /** The oldest release of the line the kit's packages and generated projects accept (`engines`). */
  readonly minimum: string;
  /** Start of active LTS (YYYY-MM-DD). */
  readonly lts: string;
  /** Start of maintenance LTS (YYYY-MM-DD). */
  readonly maintenance: string;
  /** End of life: no more security fixes from that day on (YYYY-MM-DD). */
  readonly eol: string;
}

/** Newest first. */
export const RUNTIME_LINES: readonly RuntimeLine[] = [
  { major: 26, minimum: '26.0.0', lts: '2026-10-28', maintenance: '2027-10-20', eol: '2029-04-30' },
  { major: 24, minimum: '24.0.0', lts: '2025-10-28', maintenance: '2026-10-20', eol: '2028-04-30' },
  { major: 22, minimum: '22.12.0', lts: '2024-10-29', maintenance: '2025-10-21', eol: '2027-04-30' },
  { major: 20, minimum: '20.19.0', lts: '2023-10-24', maintenance: '2024-10-22', eol: '2026-04-30' },
];

/** The Node.js lines a generated plugin project is tested on, oldest first, and the `engines` range they span. */
export function projectNodeLines(today: Date): { majors: number[]; newest: number; engines: string } {
  const lines = supportedLines(today);
  return { majors: lines.map((l) => l.major).reverse(), newest: lines[0]!.major, engines: `>=${lines[lines.length - 1]!.minimum}` };
}

/** Days before end of life from which `doctor` warns about an embedded runtime. */
export const EOL_NOTICE_DAYS = 90;

export type LinePhase = 'active' | 'maintenance' | 'eol' | 'not-lts';

/** `YYYY-MM-DD` of a date, in UTC. */
export const isoDay = (d: Date): string => d.toISOString().slice(0, 10);

/** The LTS line of a version (`26.10.0`, `v22.23.2`), if it is one of {@link RUNTIME_LINES}. */
export function lineOf(version: string): RuntimeLine | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  return RUNTIME_LINES.find((l) => l.major === major);
}

/** Where a line stands on `today`: odd majors and unlisted ones are `not-lts`. */
export function phaseOf(line: RuntimeLine | undefined, today: Date): LinePhase {
  if (!line) return 'not-lts';
  const day = isoDay(today);
  if (day >= line.eol) return 'eol';
  if (day >= line.maintenance) return 'maintenance';
  return day >= line.lts ? 'active' : 'not-lts';
}

/** The lines a build may embed on `today` (in LTS, not past end of life), newest first. */
export function supportedLines(today: Date): RuntimeLine[] {
  return RUNTIME_LINES.filter((l) => {
    const p = phaseOf(l, today);
    return p === 'active' || p === 'maintenance';
  });
}

/**
 * What to tell the owner of an executable that embeds Node.js `version`, or undefined when nothing is due: past end of
 * life (no more security fixes), within {@link EOL_NOTICE_DAYS} of it, or not an LTS line at all.
 */
export function eolWarning(version: string, today: Date): string | undefined {
  const v = version.replace(/^v/, '');
  const line = lineOf(v);
  const newest = supportedLines(today)[0];
  const rebuild = newest
    ? `rebuild with \`ocm-plugin build --node ${newest.major}\` (Node.js ${newest.major} is supported until ${newest.eol})`
    : 'rebuild with a supported Node.js line';
  if (!line) return `embeds Node.js ${v}, which is not an LTS line this kit knows: it gets security fixes only briefly; ${rebuild}`;
  const phase = phaseOf(line, today);
  if (phase === 'eol') return `embeds Node.js ${v}: Node.js ${line.major} reached end of life on ${line.eol} and gets no security fixes; ${rebuild}`;
  const daysLeft = Math.floor((Date.parse(line.eol) - Date.parse(isoDay(today))) / 86_400_000);
  if (daysLeft <= EOL_NOTICE_DAYS) return `embeds Node.js ${v}: Node.js ${line.major} reaches end of life on ${line.eol}, in ${daysLeft} day(s); ${rebuild}`;
  return undefined;
}
