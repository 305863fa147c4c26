/**
 * `ocm-plugin doctor [<plugin executable>] [--plugin-dir <dir>]`: one screen per plugin on what the ocm CLI will
 * make of it. Without a file it checks the plugins of the project in the current directory.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundleInstall, pluginDirPlan, projectBins, projectPlan, readProject, type DoctorNote, type DoctorPlan, type DoctorTarget } from '../doctor/targets.js';
import { runDoctor, type DoctorOptions, type DoctorReport, type Finding, type Status } from '../doctor/checks.js';

export const DOCTOR_HELP = `ocm-plugin doctor [<plugin executable>] [options]
  Runs a plugin as the ocm CLI will (clean environment, other working directory, no TTY, long TMPDIR,
  NODE_OPTIONS set) and checks name, executable bit, interpreter, capabilities output and schemas, reserved type
  names, location line, /healthz, stdout and stderr use, shutdown, start time, size and the macOS signature.

  Without a file: every plugin of the project in the current directory (each "bin" of package.json, as the
  bundle and as the single executables in dist/bin/ that are built).
    --plugin-dir <dir>           instead: every file the ocm CLI would run from that plugin directory
                                 (npm run dev installs into ./plugins)
    --capabilities-budget <ms>   default 1000
    --start-budget <ms>          start → location line, default 2000
    --size-budget <MiB>          default 150
    --strict                     warnings fail too
    --json                       print the report(s) as JSON
  Exits 1 when a check fails (or, with --strict, warns), 2 on a usage error, else 0.
`;

const MARK: Record<Status, string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

const count = (n: number, what: string): string => `${n} ${what}${n === 1 ? '' : 's'}`;

function formatFindings(findings: readonly Finding[], lines: string[]): void {
  const width = Math.max(...findings.map((f) => f.check.length));
  for (const f of findings) {
    lines.push(`${MARK[f.status]} ${f.check.padEnd(width)}  ${f.summary}`);
    if (f.detail && f.status !== 'pass') lines.push(...f.detail.split('\n').map((l) => `${' '.repeat(width + 7)}| ${l}`));
    if (f.fix && (f.status === 'fail' || f.status === 'warn')) lines.push(`${' '.repeat(width + 7)}fix: ${f.fix}`);
  }
}

export function formatReport(r: DoctorReport): string {
  const lines = [`ocm-plugin doctor ${r.executable}`, `  (${r.environment})`];
  formatFindings(r.findings, lines);
  const failures = r.findings.filter((f) => f.status === 'fail').length;
  lines.push(`${count(failures, 'failure')}, ${count(r.warnings, 'warning')}`);
  return `${lines.join('\n')}\n`;
}

function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0)) throw new Error(`--${name} must be a positive number`);
  return n;
}

/** One plugin's result in a project or plugin-directory run. */
export interface PluginResult {
  readonly id: string;
  readonly role: string;
  readonly path: string;
  readonly report: DoctorReport;
}

/** What a run over several plugins prints with `--json`. */
export interface DoctorSummary {
  readonly plugins: PluginResult[];
  /** Plugins or files not run (not built, skipped by the CLI) and directory-wide findings. */
  readonly notes: DoctorNote[];
  readonly failed: boolean;
  readonly warnings: number;
}

const worst = (findings: readonly Finding[]): { failed: boolean; warnings: number } => ({
  failed: findings.some((f) => f.status === 'fail'),
  warnings: findings.filter((f) => f.status === 'warn').length,
});

async function runPlan(plan: DoctorPlan, options: DoctorOptions, cwd: string): Promise<DoctorSummary> {
  const plugins: PluginResult[] = [];
  for (const t of plan.targets)
    plugins.push({ id: t.id, role: t.role, path: t.path, report: await runDoctor(resolve(cwd, t.path), { ...options, install: t.install }) });
  const all = [...plugins.flatMap((p) => p.report.findings), ...plan.notes.map((n) => n.finding)];
  return { plugins, notes: plan.notes, ...worst(all) };
}

export function formatSummary(s: DoctorSummary): string {
  const lines: string[] = [];
  for (const p of s.plugins) lines.push(formatReport({ ...p.report, executable: `${p.path} (${p.id}: ${p.role})` }));
  lines.push('Summary');
  const rows: Array<[string, string, string]> = s.plugins.map((p) => {
    const failures = p.report.findings.filter((f) => f.status === 'fail').length;
    const mark = failures ? 'FAIL' : p.report.warnings ? 'WARN' : 'ok  ';
    return [mark, `${p.id} (${p.role}) ${p.path}`, `${count(failures, 'failure')}, ${count(p.report.warnings, 'warning')}`];
  });
  for (const n of s.notes) rows.push([MARK[n.finding.status], `${n.id} (${n.finding.check})`, n.finding.summary]);
  const width = Math.max(...rows.map((r) => r[1].length));
  for (const [mark, what, result] of rows) lines.push(`${mark} ${what.padEnd(width)}  ${result}`);
  for (const n of s.notes) if (n.finding.fix && (n.finding.status === 'fail' || n.finding.status === 'warn')) lines.push(`     ${n.id}: fix: ${n.finding.fix}`);
  const failures =
    s.plugins.reduce((a, p) => a + p.report.findings.filter((f) => f.status === 'fail').length, 0) + s.notes.filter((n) => n.finding.status === 'fail').length;
  lines.push(`${count(s.plugins.length, 'plugin file')} checked: ${count(failures, 'failure')}, ${count(s.warnings, 'warning')}`);
  return `${lines.join('\n')}\n`;
}

export async function doctorCommand(
  argv: readonly string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
  cwd = process.cwd(),
): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'plugin-dir': { type: 'string' },
      'capabilities-budget': { type: 'string' },
      'start-budget': { type: 'string' },
      'size-budget': { type: 'string' },
      strict: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    out.write(DOCTOR_HELP);
    return 0;
  }
  if (positionals.length > 1 || (positionals.length === 1 && values['plugin-dir'] !== undefined)) {
    err.write(`ocm-plugin doctor: give one plugin executable, or --plugin-dir <dir>, or nothing (the project's plugins)\n\n${DOCTOR_HELP}`);
    return 2;
  }
  const size = positiveNumber('size-budget', values['size-budget']);
  const options: DoctorOptions = {
    capabilitiesBudgetMs: positiveNumber('capabilities-budget', values['capabilities-budget']),
    startBudgetMs: positiveNumber('start-budget', values['start-budget']),
    sizeBudgetBytes: size === undefined ? undefined : size * 1024 * 1024,
  };
  const exitCode = (r: { failed: boolean; warnings: number }): number => (r.failed || (values.strict && r.warnings > 0) ? 1 : 0);

  if (positionals.length === 1) {
    const file = resolve(cwd, positionals[0]!);
    const report = await runDoctor(file, { ...options, install: bundleOf(file, cwd) });
    const shown = { ...report, executable: positionals[0]! };
    out.write(values.json ? `${JSON.stringify(shown, null, 2)}\n` : formatReport(shown));
    return exitCode(report);
  }

  let plan: DoctorPlan;
  try {
    plan = values['plugin-dir'] !== undefined ? pluginDirPlan(values['plugin-dir'], cwd) : projectPlan(cwd);
  } catch (e) {
    err.write(`ocm-plugin doctor: ${(e as Error).message}\n\n${DOCTOR_HELP}`);
    return 2;
  }
  const summary = await runPlan(plan, options, cwd);
  out.write(values.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  return exitCode(summary);
}

/** When `file` is the bundle of a plugin of the project in `cwd`: how the project installs it. */
function bundleOf(file: string, cwd: string): DoctorTarget['install'] {
  try {
    const pkg = readProject(cwd);
    const hit = projectBins(pkg).find(([, bundle]) => resolve(cwd, bundle) === file);
    return hit ? bundleInstall(hit[0], hit[1], pkg.scripts) : undefined;
  } catch {
    return undefined;
  }
}
