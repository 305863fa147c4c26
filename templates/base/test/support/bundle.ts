/**
 * vitest global setup: bundles every plugin listed in package.json (`bin` + `ocmPlugin.entries`) into dist/, exactly
 * as `npm run bundle` does, so the conformance test runs the same single file you install or package.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { bundlePlugin } from '@ocm-plugin-kit/sdk/build';

const root = resolve(import.meta.dirname, '../..');

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
  await Promise.all(plugins().map((p) => bundlePlugin({ entry: p.entry, outfile: p.executable })));
}
