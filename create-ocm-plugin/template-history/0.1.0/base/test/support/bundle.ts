/**
 * vitest global setup: bundles every plugin listed in package.json (`bin` + `ocmPlugin.entries`) into dist/, exactly
 * as `npm run bundle` does, and lays out `dist/plugins/` as an OCM plugin directory (one extension-less symlink per
 * plugin), so the conformance test runs the same files the ocm CLI would.
 */
import { mkdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { bundlePlugin } from '@ocm-plugin-kit/sdk/build';

const root = resolve(import.meta.dirname, '../..');

/** The OCM plugin directory the conformance test uses. */
export const PLUGIN_DIR = resolve(root, 'dist/plugins');

interface Manifest {
  bin: Record<string, string>;
  ocmPlugin: { entries: Record<string, string> };
}

/** The plugins of this project: id (executable name) → entry source and bundled executable. */
export function plugins(): { id: string; entry: string; executable: string }[] {
  const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8')) as Manifest;
  return Object.entries(pkg.bin).map(([id, out]) => {
    const entry = pkg.ocmPlugin.entries[id];
    if (!entry) throw new Error(`package.json: bin "${id}" has no entry in ocmPlugin.entries`);
    return { id, entry: resolve(root, entry), executable: resolve(root, out) };
  });
}

export default async function setup(): Promise<void> {
  const all = plugins();
  await Promise.all(all.map((p) => bundlePlugin({ entry: p.entry, outfile: p.executable })));
  rmSync(PLUGIN_DIR, { recursive: true, force: true });
  mkdirSync(PLUGIN_DIR, { recursive: true });
  for (const p of all) symlinkSync(relative(PLUGIN_DIR, p.executable), resolve(PLUGIN_DIR, p.id));
}
