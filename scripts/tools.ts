/**
 * Finds the interop tools (`ocm` CLI, Go harness, upstream Go test plugins, Node 22) for tests: from an environment
 * variable, else from .tools/ (written by scripts/setup-tools.mjs). When a tool is absent the test skips and prints
 * why, e.g. "the Go module proxy refused ocm.software/...".
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './examples.js';

export type Tool = 'ocmCli' | 'goHarness' | 'upstreamTestPlugins' | 'node22';

const ENV: Record<Tool, string> = {
  ocmCli: 'OCM_CLI',
  goHarness: 'OCM_GO_HARNESS',
  upstreamTestPlugins: 'OCM_UPSTREAM_TESTPLUGINS',
  node22: 'OCM_NODE22',
};

const DEFAULT_PATH: Record<Tool, string> = {
  ocmCli: join(ROOT, '.tools', 'bin', 'ocm'),
  goHarness: join(ROOT, '.tools', 'bin', 'ocm-harness'),
  upstreamTestPlugins: join(ROOT, '.tools', 'testplugins'),
  node22: join(ROOT, '.tools', 'node22', 'node_modules', `node-linux-${process.arch}`, 'bin', 'node'),
};

export interface ToolLookup {
  readonly path?: string;
  /** Why the tool is not available (set when `path` is not). */
  readonly reason?: string;
}

/** Where a tool is, or why it is not there. */
export function findTool(tool: Tool): ToolLookup {
  const fromEnv = process.env[ENV[tool]];
  if (fromEnv) {
    return existsSync(fromEnv) ? { path: fromEnv } : { reason: `${ENV[tool]}=${fromEnv} does not exist` };
  }
  if (existsSync(DEFAULT_PATH[tool])) return { path: DEFAULT_PATH[tool] };
  const statusFile = join(ROOT, '.tools', 'status.json');
  const recorded = existsSync(statusFile) ? (JSON.parse(readFileSync(statusFile, 'utf8')) as Record<string, { reason?: string }>)[tool]?.reason : undefined;
  return { reason: recorded ?? `not installed: run \`node scripts/setup-tools.mjs\` or set ${ENV[tool]}` };
}

/** The tool's path, or undefined after printing why tests that need it are skipped. */
export function toolOrSkip(tool: Tool, what: string): string | undefined {
  const found = findTool(tool);
  if (!found.path) console.warn(`[skipped] ${what}: ${found.reason}`);
  return found.path;
}
