/** The conformance report: its shape, and its terminal, JSON and JUnit XML forms. */

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** The hosts a check can run in: this package's reference host, the real Go plugin manager, the real `ocm` CLI. */
export const HOSTS = ['reference', 'go', 'ocm'] as const;
export type HostName = (typeof HOSTS)[number];

/** A host that ran checks, and its version as it reports it. */
export interface HostInfo {
  readonly name: HostName;
  /** e.g. `@ocm-plugin-kit/conformance 0.1.0`, `plugin manager v0.0.17 (ocm-harness 1a2b…)`, `ocm 0.13.0`. */
  readonly version: string;
}

/** The check groups, in report order. */
export const GROUPS = ['discovery', 'handshake', 'endpoints', 'lifecycle', 'faults', 'fuzz', 'secrets'] as const;
export type CheckGroup = (typeof GROUPS)[number];

export interface CheckResult {
  /** Stable id, `<group>.<name>[.<detail>]`, e.g. `endpoints.inputRepository.processResource.pack-a-directory`. */
  readonly id: string;
  readonly group: CheckGroup;
  readonly title: string;
  readonly status: CheckStatus;
  /** What happened (for fail/warn: what is wrong; for skip: why). */
  readonly message?: string;
  /** What to change in the plugin. */
  readonly fix?: string;
  readonly durationMs: number;
  /** The host that ran the check. */
  readonly host?: HostName;
}

export interface PluginReport {
  readonly plugin: string;
  readonly path: string;
  readonly target: string;
  readonly checks: readonly CheckResult[];
  readonly summary: Readonly<Record<CheckStatus, number>>;
  readonly ok: boolean;
  readonly durationMs: number;
  /** The host these checks ran in (one report per plugin and host). */
  readonly host?: HostName;
}

/** The whole run (one plugin, or every plugin of a directory). */
export interface ConformanceReport {
  readonly tool: string;
  readonly version: string;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly plugins: readonly PluginReport[];
  /** Directory-level checks (discovery) when a directory was given. */
  readonly checks: readonly CheckResult[];
  readonly ok: boolean;
  /** Every host that ran checks, with its version. */
  readonly hosts?: readonly HostInfo[];
}

/** One report for several runs (several plugin paths on one command line). */
export function mergeReports(reports: readonly ConformanceReport[]): ConformanceReport {
  if (reports.length === 1) return reports[0]!;
  const hosts = reports.flatMap((r) => r.hosts ?? []).filter((h, i, all) => all.findIndex((x) => x.name === h.name) === i);
  return {
    ...reports[0]!,
    durationMs: reports.reduce((n, r) => n + r.durationMs, 0),
    plugins: reports.flatMap((r) => r.plugins),
    checks: reports.flatMap((r) => r.checks),
    ok: reports.every((r) => r.ok),
    ...(hosts.length ? { hosts } : {}),
  };
}

export function summarize(checks: readonly CheckResult[]): Record<CheckStatus, number> {
  const s: Record<CheckStatus, number> = { pass: 0, fail: 0, warn: 0, skip: 0 };
  for (const c of checks) s[c.status]++;
  return s;
}

const MARK: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };

function indent(text: string, prefix: string): string {
  return text
    .split('\n')
    .map((l) => prefix + l)
    .join('\n');
}

function color(status: CheckStatus, text: string, enabled: boolean): string {
  if (!enabled) return text;
  const code = { pass: 32, fail: 31, warn: 33, skip: 90 }[status];
  return `\u001b[${code}m${text}\u001b[0m`;
}

/** A readable terminal report: one line per check, details under failures and warnings, a summary per plugin. */
export function formatText(report: ConformanceReport, options: { color?: boolean; verbose?: boolean } = {}): string {
  const useColor = options.color ?? false;
  const lines: string[] = [];
  const printChecks = (checks: readonly CheckResult[]) => {
    let group = '';
    for (const c of checks) {
      if (c.group !== group) {
        group = c.group;
        lines.push(`  ${group}`);
      }
      if (c.status === 'pass' && !options.verbose) {
        lines.push(`    ${color('pass', MARK.pass, useColor)}  ${c.title}`);
        continue;
      }
      lines.push(`    ${color(c.status, MARK[c.status], useColor)}  ${c.title}`);
      if (c.message) lines.push(indent(c.message, '          '));
      if (c.fix && (c.status === 'fail' || c.status === 'warn')) lines.push(indent(`fix: ${c.fix}`, '          '));
    }
  };
  if (report.hosts?.length) {
    lines.push('hosts');
    for (const h of report.hosts) lines.push(`  ${h.name}: ${h.version}`);
    lines.push('');
  }
  if (report.checks.length > 0) {
    lines.push('plugin directory');
    printChecks(report.checks);
    lines.push('');
  }
  for (const p of report.plugins) {
    lines.push(`plugin ${p.plugin} (${p.path}), target ocm ${p.target}${p.host ? `, host ${p.host}` : ''}`);
    printChecks(p.checks);
    const s = p.summary;
    lines.push(
      `  ${p.ok ? color('pass', 'conformant', useColor) : color('fail', 'NOT conformant', useColor)}: ${s.pass} passed, ${s.fail} failed, ${s.warn} warnings, ${s.skip} skipped (${(p.durationMs / 1000).toFixed(1)} s)`,
    );
    lines.push('');
  }
  lines.push(report.ok ? 'All plugins conform.' : 'Conformance failures found.');
  return `${lines.join('\n')}\n`;
}

/** The JSON report (stable field order). */
export function toJson(report: ConformanceReport): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

/** Escapes text for XML attribute values and element content (and drops characters XML 1.0 forbids). */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/**
 * JUnit XML: one `<testsuite>` per plugin (and one for directory checks), one `<testcase>` per check; fail →
 * `<failure>`, skip → `<skipped>`, warn → passes with the warning in `<system-out>`.
 */
export function toJUnit(report: ConformanceReport): string {
  const suites: string[] = [];
  const suite = (name: string, checks: readonly CheckResult[], durationMs: number, host?: HostName) => {
    const s = summarize(checks);
    const cases = checks.map((c) => {
      const attrs = `classname="${xmlEscape(`${name}.${c.group}`)}" name="${xmlEscape(c.title)}" time="${(c.durationMs / 1000).toFixed(3)}"`;
      const detail = [c.message, c.fix ? `fix: ${c.fix}` : undefined].filter(Boolean).join('\n');
      if (c.status === 'fail')
        return `    <testcase ${attrs}>\n      <failure message="${xmlEscape(c.message?.split('\n')[0] ?? 'failed')}" type="${xmlEscape(c.id)}">${xmlEscape(detail)}</failure>\n    </testcase>`;
      if (c.status === 'skip') return `    <testcase ${attrs}>\n      <skipped message="${xmlEscape(c.message ?? 'skipped')}"/>\n    </testcase>`;
      if (c.status === 'warn') return `    <testcase ${attrs}>\n      <system-out>${xmlEscape(`WARNING: ${detail}`)}</system-out>\n    </testcase>`;
      return `    <testcase ${attrs}/>`;
    });
    const info = host ? report.hosts?.find((h) => h.name === host) : undefined;
    const properties = host
      ? `    <properties>\n      <property name="host" value="${xmlEscape(host)}"/>\n${info ? `      <property name="host.version" value="${xmlEscape(info.version)}"/>\n` : ''}    </properties>\n`
      : '';
    suites.push(
      `  <testsuite name="${xmlEscape(name)}" tests="${checks.length}" failures="${s.fail}" errors="0" skipped="${s.skip}" time="${(durationMs / 1000).toFixed(3)}">\n${properties}${cases.join('\n')}${cases.length ? '\n' : ''}  </testsuite>`,
    );
  };
  if (report.checks.length > 0)
    suite(
      'plugin-directory',
      report.checks,
      report.checks.reduce((n, c) => n + c.durationMs, 0),
      report.checks[0]?.host,
    );
  for (const p of report.plugins) suite(p.host ? `${p.plugin} [${p.host}]` : p.plugin, p.checks, p.durationMs, p.host);
  const all = [...report.checks, ...report.plugins.flatMap((p) => p.checks)];
  const s = summarize(all);
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="ocm-plugin-conformance" tests="${all.length}" failures="${s.fail}" errors="0" skipped="${s.skip}" time="${(report.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
}
