/** `ocm-plugin doctor <plugin executable>`: one screen on what the ocm CLI will make of a plugin. */
import { parseArgs } from 'node:util';
import { runDoctor, type DoctorReport, type Status } from '../dev/doctor.js';

export const DOCTOR_HELP = `ocm-plugin doctor <plugin executable> [options]
  Runs the plugin as the ocm CLI will (clean environment, other working directory, no TTY, long TMPDIR,
  NODE_OPTIONS set) and checks name, executable bit, capabilities output and schemas, reserved type names,
  location line, /healthz, stdout and stderr use, shutdown, start time, size and the macOS signature.
  Exits 1 when a check fails.
    --capabilities-budget <ms>   default 1000
    --start-budget <ms>          start → location line, default 2000
    --size-budget <MiB>          default 150
    --strict                     warnings fail too
    --json                       print the report as JSON
`;

const MARK: Record<Status, string> = { pass: 'ok  ', warn: 'WARN', fail: 'FAIL', skip: 'skip' };

export function formatReport(r: DoctorReport): string {
  const lines = [`ocm-plugin doctor ${r.executable}`, `  (${r.environment})`];
  const width = Math.max(...r.findings.map((f) => f.check.length));
  for (const f of r.findings) {
    lines.push(`${MARK[f.status]} ${f.check.padEnd(width)}  ${f.summary}`);
    if (f.detail && f.status !== 'pass') lines.push(...f.detail.split('\n').map((l) => `${' '.repeat(width + 7)}| ${l}`));
    if (f.fix && (f.status === 'fail' || f.status === 'warn')) lines.push(`${' '.repeat(width + 7)}fix: ${f.fix}`);
  }
  const failures = r.findings.filter((f) => f.status === 'fail').length;
  lines.push(`${failures} failure${failures === 1 ? '' : 's'}, ${r.warnings} warning${r.warnings === 1 ? '' : 's'}`);
  return `${lines.join('\n')}\n`;
}

function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!(n > 0)) throw new Error(`--${name} must be a positive number`);
  return n;
}

export async function doctorCommand(argv: readonly string[], out: NodeJS.WritableStream = process.stdout, err: NodeJS.WritableStream = process.stderr): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
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
  if (positionals.length !== 1) {
    err.write(`ocm-plugin doctor: give one plugin executable\n\n${DOCTOR_HELP}`);
    return 2;
  }
  const size = positiveNumber('size-budget', values['size-budget']);
  const report = await runDoctor(positionals[0]!, {
    capabilitiesBudgetMs: positiveNumber('capabilities-budget', values['capabilities-budget']),
    startBudgetMs: positiveNumber('start-budget', values['start-budget']),
    sizeBudgetBytes: size === undefined ? undefined : size * 1024 * 1024,
  });
  out.write(values.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  return report.failed || (values.strict && report.warnings > 0) ? 1 : 0;
}
