/**
 * The conformance suite's fuzz group over every example plugin: milliseconds a case per endpoint (wall), the suite's
 * own CPU a case and the plugin processes' CPU a case (from /proc/self/stat's reaped-children times, minus a run of the
 * handshake alone), and the load average. Runs the built package (`npm run build -w @ocm-plugin-kit/conformance`).
 *
 *   node scripts/bench/fuzz.mjs [runs=2000] [example-id ...]
 *   FUZZ_BENCH_MODULE=/path/to/other/conformance/dist/index.js node scripts/bench/fuzz.mjs   (another build)
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
const { runConformance } = await import(process.env.FUZZ_BENCH_MODULE ?? '@ocm-plugin-kit/conformance');

/** Every example plugin (a `bin` entry of a package in examples/), as scripts/examples.ts lists them. */
function examplePluginsList() {
  const base = resolve(import.meta.dirname, '../../examples');
  return readdirSync(base)
    .sort()
    .flatMap((name) => {
      const pkg = join(base, name, 'package.json');
      if (!existsSync(pkg)) return [];
      return Object.entries(JSON.parse(readFileSync(pkg, 'utf8')).bin ?? {}).map(([id, bin]) => ({
        id,
        dir: join(base, name),
        executable: join(base, name, bin),
      }));
    });
}

const [runsArg, ...only] = process.argv.slice(2);
const runs = Number(runsArg ?? 2000);
const ticks = 100; // USER_HZ on Linux
/** CPU milliseconds of the reaped children (cutime + cstime). */
const childrenCpu = () => {
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[13]) + Number(f[14])) * 1000) / ticks;
};
const selfCpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

const plugins = examplePluginsList().filter((p) => only.length === 0 || only.includes(p.id));
let totalCases = 0;
let totalFuzzMs = 0;
console.log(
  `runs ${runs}; load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
for (const p of plugins) {
  // Each example in a temp directory of its own: what one plugin writes through a fuzzed path, the next never reads.
  const tmp = mkdtempSync(join(tmpdir(), 'fuzz-bench-'));
  const outerTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  const samples = join(p.dir, 'conformance.samples.yaml');
  const opts = { plugin: p.executable, id: p.id, samples };
  const c0 = childrenCpu();
  await runConformance({ ...opts, groups: [] });
  const c1 = childrenCpu();
  const s0 = selfCpu();
  const report = await runConformance({ ...opts, groups: ['fuzz'], fuzzRuns: runs });
  const s1 = selfCpu();
  const c2 = childrenCpu();
  const checks = report.plugins.flatMap((x) => x.checks).filter((c) => c.group === 'fuzz' && c.status !== 'skip');
  let cases = 0;
  for (const c of checks) {
    const m = /^(\d+) cases in ([\d.]+) s/.exec(c.message ?? '');
    if (m) {
      cases += Number(m[1]);
      totalCases += Number(m[1]);
      totalFuzzMs += Number(m[2]) * 1000;
    }
    console.log(`  ${p.id} ${c.id}: ${c.status} ${m ? `${((Number(m[2]) * 1000) / Number(m[1])).toFixed(3)} ms a case` : (c.message ?? '').slice(0, 300)}`);
  }
  if (outerTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = outerTmp;
  rmSync(tmp, { recursive: true, force: true });
  const pluginCpu = c2 - c1 - (c1 - c0);
  console.log(
    `${p.id}: ${cases} cases; suite CPU ${((s1 - s0) / Math.max(cases, 1)).toFixed(3)} ms a case, plugin CPU ${(pluginCpu / Math.max(cases, 1)).toFixed(3)} ms a case (whole runs incl. start-up)`,
  );
}
console.log(
  `all: ${totalCases} cases, ${(totalFuzzMs / Math.max(totalCases, 1)).toFixed(3)} ms a case (wall, mean); load average ${loadavg()
    .map((x) => x.toFixed(2))
    .join(' ')}`,
);
