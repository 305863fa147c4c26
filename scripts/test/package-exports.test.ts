/**
 * The public surface of every published package: its `exports` map, `bin` and the names each entry point exports.
 * A change here is a change of the packages' API: review the snapshot diff as such (`npx vitest run -u` to accept).
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

interface Manifest {
  name: string;
  private?: boolean;
  bin?: Record<string, string>;
  exports?: Record<string, unknown>;
  dependencies?: Record<string, string>;
}

const workspaces = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { workspaces: string[] }).workspaces.filter((w) => !w.includes('*'));
const published = workspaces
  .map((dir) => ({ dir, manifest: JSON.parse(readFileSync(join(ROOT, dir, 'package.json'), 'utf8')) as Manifest }))
  .filter((p) => !p.manifest.private);

describe.each(published)('$manifest.name', ({ manifest }) => {
  it('exports map and bin', () => {
    expect({ exports: manifest.exports ?? null, bin: manifest.bin ?? null }).toMatchSnapshot();
  });

  const entries = Object.keys(manifest.exports ?? {}).filter((k) => !k.endsWith('.json'));
  it.each(entries)('%s: exported names', async (subpath) => {
    const specifier = subpath === '.' ? manifest.name : `${manifest.name}/${subpath.slice(2)}`;
    const mod = (await import(specifier)) as Record<string, unknown>;
    const names = Object.keys(mod)
      .sort()
      .map((k) => `${k}: ${typeof mod[k]}`);
    expect(names).toMatchSnapshot();
  });
});

describe('the runtime package', () => {
  it('depends on what a plugin runs, nothing more', () => {
    const sdk = published.find((p) => p.manifest.name === '@ocm-plugin-kit/sdk')!;
    // light-my-request is fastify's own (inject, used by /testing), pinned so Node.js 20 installs get no cookie@2.
    expect(Object.keys(sdk.manifest.dependencies ?? {}).sort()).toEqual(['canonicalize', 'fastify', 'light-my-request', 'pino', 'zod']);
  });
});
