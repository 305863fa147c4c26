import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundlePlugin } from '../../tooling/src/build/bundle.js';

/** Bundles a test fixture plugin into a temp dir and returns the executable's path. */
export async function bundleFixture(name: string): Promise<string> {
  const out = join(mkdtempSync(join(tmpdir(), `ocmkit-${name}-`)), name);
  await bundlePlugin({ entry: join(import.meta.dirname, 'fixtures', `${name}.ts`), outfile: out });
  return out;
}
