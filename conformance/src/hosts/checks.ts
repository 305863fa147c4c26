/** Check recording for the real hosts (Go plugin manager, `ocm` CLI): each result carries the host that ran it. */
import type { Outcome } from '../suite/context.js';
import type { CheckGroup, CheckResult, HostName } from '../suite/report.js';

/** Lower-case, dash-separated: the last part of check ids made from sample and scenario names. */
export const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

/** The results of one host's run for one plugin, in order. */
export class HostChecks {
  readonly results: CheckResult[] = [];

  constructor(
    readonly host: HostName,
    private readonly onCheck?: (result: CheckResult) => void,
  ) {}

  /** Runs and records a check; an exception becomes a failure with its message. */
  async run(group: CheckGroup, id: string, title: string, fn: () => Promise<Outcome> | Outcome): Promise<Outcome> {
    const started = performance.now();
    let outcome: Outcome;
    try {
      outcome = await fn();
    } catch (err) {
      const e = err as Error & { fix?: string };
      outcome = { status: 'fail', message: e.message, fix: e.fix };
    }
    this.record(group, id, title, outcome, Math.round(performance.now() - started));
    return outcome;
  }

  /** Records an outcome that is already known. */
  record(group: CheckGroup, id: string, title: string, outcome: Outcome, durationMs = 0): void {
    const result: CheckResult = { id: `${group}.${id}`, group, title, ...outcome, durationMs, host: this.host };
    this.results.push(result);
    this.onCheck?.(result);
  }
}

/** Checks only the reference host can make: listed in every real host's report so nobody mistakes them as covered. */
export const REFERENCE_ONLY: ReadonlyArray<{ group: CheckGroup; id: string; title: string; why: string }> = [
  {
    group: 'lifecycle',
    id: 'reference-host-only',
    title: 'lifecycle timing (idle exit when idle, SIGINT during a request, start-up time, socket clean-up)',
    why: 'reference-host only: these need a controlled clock and direct access to the plugin process; a real host neither exposes nor varies them',
  },
  {
    group: 'faults',
    id: 'reference-host-only',
    title: 'fault injection (malformed bodies, wrong content types, dropped connections, concurrent load)',
    why: 'reference-host only: a real host sends only well-formed requests, so it cannot show how the plugin survives bad ones',
  },
];

/** Records the reference-only checks as skipped, with why. */
export function recordReferenceOnly(checks: HostChecks): void {
  for (const r of REFERENCE_ONLY) checks.record(r.group, r.id, r.title, { status: 'skip', message: r.why });
}

/** The secret masked in a text, and the first line holding it (for a failure message). */
export function secretLine(text: string, secret: string): string {
  return (text.split('\n').find((l) => l.includes(secret)) ?? '').split(secret).join('<secret>').slice(0, 300);
}
