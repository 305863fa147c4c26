/** The example plugins in `examples/`: where they are and how to bundle them. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { bundlePlugin } from '../tooling/src/build/bundle.js';

export const ROOT = resolve(import.meta.dirname, '..');

export interface ExamplePlugin {
  /** Plugin id = executable name (the `bin` key in its package.json). */
  readonly id: string;
  readonly dir: string;
  readonly entry: string;
  /** The bundled executable (`dist/<id>.cjs`). */
  readonly executable: string;
}

/** Every example with a `bin` entry; an example directory may hold several plugins (one per bin). */
export function examplePlugins(): ExamplePlugin[] {
  const base = join(ROOT, 'examples');
  const out: ExamplePlugin[] = [];
  for (const name of readdirSync(base).sort()) {
    const pkgPath = join(base, name, 'package.json');
    if (!existsSync(pkgPath)) continue;
    const pkg = JSON.parse(readFileSync(pkgPath, 'utf8')) as { bin?: Record<string, string>; ocmPlugin?: { entries?: Record<string, string> } };
    for (const [id, bin] of Object.entries(pkg.bin ?? {})) {
      const entry = pkg.ocmPlugin?.entries?.[id] ?? 'src/main.ts';
      out.push({ id, dir: join(base, name), entry: join(base, name, entry), executable: join(base, name, bin) });
    }
  }
  return out;
}

/** Finds one example plugin by id; throws when it does not exist. */
export function examplePlugin(id: string): ExamplePlugin {
  const found = examplePlugins().find((p) => p.id === id);
  if (!found) throw new Error(`no example plugin with id ${id}`);
  return found;
}

export async function bundleExamples(): Promise<void> {
  await Promise.all(examplePlugins().map((p) => bundlePlugin({ entry: p.entry, outfile: p.executable })));
}
