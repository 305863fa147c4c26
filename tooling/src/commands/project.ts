/** What the commands read from the project in the current directory. */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';

export interface PackageJson {
  name?: string;
  version?: string;
  description?: string;
  bin?: string | Record<string, string>;
  ocmPlugin?: { entries?: Record<string, string> };
}

export function readPackage(): PackageJson | undefined {
  const p = resolve('package.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as PackageJson) : undefined;
}

/** The plugin id and entry from the arguments or package.json. */
export function pluginFromPackage(id: string | undefined, entry: string | undefined): { id: string; entry: string } {
  const pkg = readPackage();
  const bins = typeof pkg?.bin === 'object' ? Object.keys(pkg.bin) : [];
  const chosen = id ?? (bins.length === 1 ? bins[0] : undefined);
  if (!chosen) {
    throw new Error(
      bins.length > 1
        ? `package.json declares several plugins (${bins.join(', ')}); choose one with --id`
        : 'give --id <plugin id> (or run in a package whose package.json has one "bin" entry)',
    );
  }
  const e = entry ?? pkg?.ocmPlugin?.entries?.[chosen] ?? 'src/main.ts';
  if (!existsSync(e)) throw new Error(`plugin entry ${e} does not exist; give it as the first argument`);
  return { id: chosen, entry: e };
}

/** Progress and warnings: stderr, so stdout carries only results. */
export const log = (m: string) => process.stderr.write(`${m}\n`);
