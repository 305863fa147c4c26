/**
 * `ocm-plugin-conformance <plugin executable or directory> [--samples samples.yaml] [--json report.json] [--junit report.xml]`
 * Runs the conformance suite, prints a readable report, writes JSON/JUnit reports, exits 1 on failures.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { HostError } from './host/errors.js';
import { runHosts } from './hosts/run-hosts.js';
import { GROUPS, HOSTS, formatText, mergeReports, toJUnit, toJson, type CheckGroup, type HostName } from './suite/report.js';
import { runConformance, type ConformanceOptions } from './suite/run.js';
import { SamplesError } from './suite/samples.js';

const USAGE = `Usage: ocm-plugin-conformance <plugin executable or plugin directory>... [options]

Runs the OCM plugin conformance suite against a plugin, through a reference host that behaves like the
plugin manager of the ocm CLI v0.13.0.

Options:
  --samples <file>   samples file (YAML/JSON) with requests per endpoint
                     (default: conformance.samples.yaml next to the plugin or up to two directories above)
  --json <file>      write the JSON report
  --junit <file>     write a JUnit XML report
  --id <id>          plugin id (default: the file name without extension)
  --target <t>       v0.13.0 (default) or head
  --only <groups>    comma-separated subset of: ${GROUPS.filter((g) => g !== 'discovery').join(', ')}
                     (reference host only)
  --host <host>      where the checks run: reference (default), go, ocm, all, or a comma-separated list
                       reference  this package's host: every check, incl. fault injection and lifecycle timing
                       go         the real Go plugin manager v0.0.17, through a harness built once with local Go
                                  (or OCM_GO_HARNESS); every sample as a manager call
                       ocm        the real ocm CLI: add cv / download resource / sign cv / verify cv / get cv
                                  scenarios made from the samples, hermetic (fresh HOME, explicit config)
                       all        reference, go and ocm
  --ocm <path>       the ocm CLI for --host ocm (default: $OCM_CLI, then ocm on PATH)
  --fuzz-runs <n>    fuzzed requests per endpoint (default: $OCM_CONFORMANCE_FUZZ_RUNS, else 1000);
                     replay a failure with OCM_CONFORMANCE_FUZZ_SEED=<seed from the report>
  --verbose          print details of passing checks too
  --no-color         plain output
  -h, --help         this text

Exit status: 0 all checks pass (warnings allowed), 1 a check failed, 2 usage or setup error.
`;

function write(file: string, content: string): void {
  const abs = resolve(file);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, content);
}

export async function main(argv: readonly string[] = process.argv.slice(2)): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        samples: { type: 'string' },
        json: { type: 'string' },
        junit: { type: 'string' },
        id: { type: 'string' },
        target: { type: 'string' },
        only: { type: 'string' },
        host: { type: 'string' },
        ocm: { type: 'string' },
        'fuzz-runs': { type: 'string' },
        verbose: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  if (positionals.length === 0) {
    process.stderr.write(`expected a plugin executable or directory\n\n${USAGE}`);
    return 2;
  }
  if (positionals.length > 1 && values.id !== undefined) {
    process.stderr.write('--id names one plugin: give a single plugin executable with it\n');
    return 2;
  }
  const target = values.target ?? 'v0.13.0';
  if (target !== 'v0.13.0' && target !== 'head') {
    process.stderr.write(`--target must be v0.13.0 or head, not ${target}\n`);
    return 2;
  }
  const groups = values.only?.split(',').map((g) => g.trim()) as CheckGroup[] | undefined;
  const unknown = groups?.filter((g) => !(GROUPS as readonly string[]).includes(g));
  if (unknown?.length) {
    process.stderr.write(`unknown group(s) in --only: ${unknown.join(', ')}\n`);
    return 2;
  }
  const hostList = (values.host ?? 'reference').split(',').map((h) => h.trim());
  const hosts = (hostList.includes('all') ? [...HOSTS] : hostList) as HostName[];
  const badHosts = hosts.filter((h) => !(HOSTS as readonly string[]).includes(h));
  if (badHosts.length) {
    process.stderr.write(`unknown host(s) in --host: ${badHosts.join(', ')} (allowed: ${HOSTS.join(', ')}, all)\n`);
    return 2;
  }
  if (target === 'head' && hosts.some((h) => h !== 'reference')) {
    process.stderr.write('--target head runs in the reference host only: the go and ocm hosts are the v0.13.0 ones\n');
    return 2;
  }
  const runsText = values['fuzz-runs'];
  if (runsText !== undefined && !/^\d+$/.test(runsText)) {
    process.stderr.write(`--fuzz-runs must be a whole number, not ${runsText}\n`);
    return 2;
  }
  const color = !values['no-color'] && process.stdout.isTTY === true && !process.env.NO_COLOR;
  try {
    const options: Omit<ConformanceOptions, 'plugin'> = {
      samples: values.samples,
      id: values.id,
      target,
      groups,
      ...(runsText !== undefined ? { fuzzRuns: Number(runsText) } : {}),
      onCheck: (plugin, r) => {
        if (process.stderr.isTTY) process.stderr.write(`\r\u001b[K${plugin}: ${r.host ? `[${r.host}] ` : ''}${r.id} ${r.status}`);
      },
    };
    const reports = [];
    for (const plugin of positionals) {
      reports.push(
        values.host === undefined
          ? await runConformance({ ...options, plugin })
          : await runHosts({
              ...options,
              plugin,
              hosts: [...new Set(hosts)],
              ocm: values.ocm,
              onProgress: (m) => process.stderr.write(`ocm-plugin-conformance: ${m}\n`),
            }),
      );
    }
    const report = mergeReports(reports);
    if (process.stderr.isTTY) process.stderr.write('\r\u001b[K');
    process.stdout.write(formatText(report, { color, verbose: values.verbose }));
    if (values.json) write(values.json, toJson(report));
    if (values.junit) write(values.junit, toJUnit(report));
    return report.ok ? 0 : 1;
  } catch (err) {
    if (err instanceof HostError || err instanceof SamplesError) {
      process.stderr.write(`ocm-plugin-conformance: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
