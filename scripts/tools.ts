/**
 * Finds the tools the interop and cross-target tests need: the `ocm` CLI, the Go harness, the upstream Go test
 * plugins and Node 22 (installed into .tools/ by scripts/setup-tools.mjs, or named by an environment variable), and
 * the Go toolchain, qemu-aarch64 and wine (probed on PATH; .ci/run installs the emulators).
 *
 * On a developer's machine a test whose tool is absent is skipped, with the reason printed. Under CI nothing is
 * skipped: asking for an absent tool throws, so the tests that need it fail and say what is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './examples.js';

/** Installed by `npm run setup` into .tools/. */
type InstalledTool = 'ocmCli' | 'goHarness' | 'upstreamTestPlugins' | 'node22' | 'node26';
/** Found on PATH. */
type ProbedTool = 'go' | 'qemuArm64' | 'wine';
export type Tool = InstalledTool | ProbedTool;

const ENV: Record<InstalledTool, string> = {
  ocmCli: 'OCM_CLI',
  goHarness: 'OCM_GO_HARNESS',
  upstreamTestPlugins: 'OCM_UPSTREAM_TESTPLUGINS',
  node22: 'OCM_NODE22',
  node26: 'OCM_NODE26',
};

const DEFAULT_PATH: Record<InstalledTool, string> = {
  ocmCli: join(ROOT, '.tools', 'bin', 'ocm'),
  goHarness: join(ROOT, '.tools', 'bin', 'ocm-harness'),
  upstreamTestPlugins: join(ROOT, '.tools', 'testplugins'),
  node22: join(ROOT, '.tools', 'node22', 'node_modules', `node-linux-${process.arch}`, 'bin', 'node'),
  node26: join(ROOT, '.tools', 'node26', 'node_modules', `node-linux-${process.arch}`, 'bin', 'node'),
};

const PROBE: Record<ProbedTool, { command: string; args?: string[]; ok?: () => boolean; install: string }> = {
  go: { command: process.env.GO || 'go', args: ['version'], install: 'install Go ≥ 1.26.4 (https://go.dev/dl/)' },
  qemuArm64: {
    command: 'qemu-aarch64',
    // Node.js 26 for linux-arm64 links libatomic.
    ok: () => existsSync('/usr/aarch64-linux-gnu/lib/libatomic.so.1'),
    install: 'apt-get install qemu-user libc6-arm64-cross libstdc++6-arm64-cross libgcc-s1-arm64-cross libatomic1-arm64-cross',
  },
  wine: { command: 'wine', install: 'apt-get install wine wine64' },
};

/** True where every test must run: CI sets CI=true (.ci/run sets it for a local run too). */
export const STRICT = process.env.CI === 'true' || process.env.CI === '1';

export interface ToolLookup {
  readonly path?: string;
  /** Why the tool is not available (set when `path` is not). */
  readonly reason?: string;
}

/** Where a tool is, or why it is not there. */
export function findTool(tool: Tool): ToolLookup {
  if (tool in PROBE) {
    const probe = PROBE[tool as ProbedTool];
    const runs = spawnSync(probe.command, probe.args ?? ['--version']).status === 0;
    return runs && (probe.ok?.() ?? true) ? { path: probe.command } : { reason: `${probe.command} is not usable here: ${probe.install}` };
  }
  const installed = tool as InstalledTool;
  const fromEnv = process.env[ENV[installed]];
  if (fromEnv) {
    return existsSync(fromEnv) ? { path: fromEnv } : { reason: `${ENV[installed]}=${fromEnv} does not exist` };
  }
  if (existsSync(DEFAULT_PATH[installed])) return { path: DEFAULT_PATH[installed] };
  const statusFile = join(ROOT, '.tools', 'status.json');
  const recorded = existsSync(statusFile) ? (JSON.parse(readFileSync(statusFile, 'utf8')) as Record<string, { reason?: string }>)[tool]?.reason : undefined;
  return { reason: recorded ?? `not installed: run \`npm run setup\` or set ${ENV[installed]}` };
}

/**
 * The tool's path. Where it is absent: under CI an error that fails the test file; elsewhere undefined, after
 * printing why the tests that need it are skipped.
 */
export function toolOrSkip(tool: Tool, what: string): string | undefined {
  const found = findTool(tool);
  if (found.path) return found.path;
  if (STRICT) throw new Error(`${what} needs ${tool}, which is absent: ${found.reason}. Under CI no test is skipped; \`npm run setup\` installs it.`);
  console.warn(`[skipped] ${what}: ${found.reason}`);
  return undefined;
}
