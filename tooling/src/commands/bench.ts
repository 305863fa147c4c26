/**
 * `ocm-plugin bench`: start-up figures of packaged plugins next to a fastify hello world packaged the same way
 * (`../dev/fastify-floor`: same launcher, same embedded Node.js, same code cache), measured in the same run,
 * interleaved, medians. Prints figures and ratios; asserts nothing (budgets are `ocm-plugin doctor`'s job).
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PluginInstance } from '@ocm-plugin-kit/conformance/host';
import { readBuildInfoFile } from '../build/native-launcher.js';
import { defaultCacheDir } from '../build/node-cache.js';
import { buildPlugin } from '../build/package.js';
import { artifactName, hostTarget } from '../build/targets.js';
import { projectBins, readProject } from '../doctor/targets.js';

export const BENCH_HELP = `ocm-plugin bench [<plugin executable>…] [--runs <n>]
  Start-up figures of packaged plugins next to a fastify hello world packaged the same way (the floor: what a
  plugin cannot beat while it is a fastify server), measured in the same run, interleaved, medians:
  capabilities wall time, cold start (spawn → location line → /healthz 200), idle RSS 1 s after ready (Linux),
  file size. The floor is built once per embedded Node.js version into the kit's cache.
  Without files: dist/bin/<id>-<this platform> of every "bin" in package.json (run npm run build first).
    --runs <n>   capabilities runs and cold starts per executable (default 15)
`;

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const since = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e6;

function timeCapabilities(file: string): Promise<number> {
  return new Promise((res, rej) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(file, ['capabilities'], { stdio: 'ignore' });
    child.on('error', rej);
    child.on('exit', (code) => (code === 0 ? res(since(t0)) : rej(new Error(`${file} capabilities exited ${code}`))));
  });
}

interface Started {
  readonly readyMs: number;
  readonly pid: number;
  stop(): Promise<void>;
}

/** Starts the plugin on the reference host, as the manager does; resolves at the first /healthz answer (200). */
async function coldStart(file: string): Promise<Started> {
  const instance = await PluginInstance.launch({ id: 'bench', path: file });
  const stop = async () => {
    await instance.shutdown(10_000);
    await instance.close();
  };
  if (instance.healthStatus !== 200) {
    await stop();
    throw new Error(`${file}: /healthz ${instance.healthStatus}`);
  }
  return { readyMs: instance.readyMs, pid: instance.pid!, stop };
}

function rssMiB(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** The floor's entry: TypeScript in the workspace, compiled JavaScript when installed. */
function floorEntry(): string {
  const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'dev');
  for (const name of ['fastify-floor.ts', 'fastify-floor.js']) if (existsSync(join(dir, name))) return join(dir, name);
  throw new Error(`the fastify floor is missing in ${dir}; reinstall the kit`);
}

/** The floor packaged for this platform with the given Node.js, built once into the cache. */
async function floorFor(node: string | undefined, log: (m: string) => void): Promise<string> {
  const host = hostTarget();
  if (!host) throw new Error(`no packaged executables for ${process.platform}-${process.arch}`);
  const outDir = join(defaultCacheDir(), 'bench-floor', node ?? 'default');
  const file = join(outDir, artifactName('fastify-floor', host));
  if (existsSync(file)) return file;
  log(`building the fastify floor with Node.js ${node ?? '(newest LTS)'} (once)…`);
  const r = await buildPlugin({ entry: floorEntry(), id: 'fastify-floor', outDir, targets: [host], node, launcher: 'auto' });
  if (!r.artifacts[0]) throw new Error(`cannot build the fastify floor: ${r.failed.map((f) => f.reason).join('; ')}`);
  return r.artifacts[0].path;
}

/** Runs the benchmark; returns the exit code. */
export async function benchCommand(
  argv: readonly string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  if (argv[0] === '--help' || argv[0] === '-h') {
    out.write(BENCH_HELP);
    return 0;
  }
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { runs: { type: 'string' } } });
  const runs = values.runs === undefined ? 15 : Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1) {
    err.write(`ocm-plugin bench: --runs must be a whole number above 0\n\n${BENCH_HELP}`);
    return 2;
  }
  let files = positionals.map((p) => resolve(p));
  if (files.length === 0) {
    const host = hostTarget();
    const pkg = readProject(process.cwd());
    files = host ? projectBins(pkg).map(([id]) => resolve('dist/bin', artifactName(id, host))) : [];
  }
  const missing = files.filter((f) => !existsSync(f));
  if (files.length === 0 || missing.length > 0) {
    err.write(
      `ocm-plugin bench: ${files.length === 0 ? 'no plugin executables' : `missing ${missing.join(', ')}`}; run npm run build (or give the executables)\n`,
    );
    return 1;
  }
  const log = (m: string) => void err.write(`${m}\n`);
  for (const file of files) {
    const floor = await floorFor(readBuildInfoFile(file)?.node, log);
    const subjects = [file, floor];
    const caps = subjects.map(() => [] as number[]);
    const ready = subjects.map(() => [] as number[]);
    const rss = subjects.map(() => [] as number[]);
    // First starts unpack the embedded runtime once; not what later commands pay.
    for (const s of subjects) await (await coldStart(s)).stop();
    for (let i = 0; i < runs; i++) {
      const order = i % 2 ? [1, 0] : [0, 1];
      for (const j of order) caps[j]!.push(await timeCapabilities(subjects[j]!));
      for (const j of order) {
        const started = await coldStart(subjects[j]!);
        ready[j]!.push(started.readyMs);
        if (i < 3) {
          await new Promise((r) => setTimeout(r, 1000));
          rss[j]!.push(rssMiB(started.pid));
        }
        await started.stop();
      }
    }
    const f = (n: number, unit: string, d = 1) => (Number.isFinite(n) ? `${n.toFixed(d)} ${unit}` : '—');
    const row = (label: string, a: number, b: number, unit: string, d = 1) =>
      `| ${label} | ${f(a, unit, d)} | ${f(b, unit, d)} | ${Number.isFinite(a / b) ? `${(a / b).toFixed(2)}×` : '—'} |`;
    const size = (p: string) => statSync(p).size / 1048576;
    out.write(`${file}: ${runs} interleaved runs, medians\n\n`);
    out.write('| figure | plugin | fastify floor | plugin/floor |\n|---|---:|---:|---:|\n');
    out.write(`${row('`capabilities`', median(caps[0]!), median(caps[1]!), 'ms', 2)}\n`);
    out.write(`${row('cold start: spawn → location → `/healthz` 200', median(ready[0]!), median(ready[1]!), 'ms')}\n`);
    out.write(`${row('idle RSS, 1 s after ready', median(rss[0]!), median(rss[1]!), 'MiB')}\n`);
    out.write(`${row('file size', size(file), size(floor), 'MiB')}\n\n`);
  }
  return 0;
}
