/** `ocm-plugin bundle <entry> --out <file>`: one executable JavaScript file (needs Node.js where it runs). */
import { parseArgs } from 'node:util';
import { bundlePlugin } from '../build/bundle.js';

export const BUNDLE_USAGE = 'ocm-plugin bundle <entry> --out <file> [--minify]';

export async function bundleCommand(rest: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...rest], allowPositionals: true, options: { out: { type: 'string' }, minify: { type: 'boolean' } } });
  const entry = positionals[0];
  if (!entry || !values.out) {
    process.stderr.write(`ocm-plugin bundle: give the entry file and --out <file>\nusage: ${BUNDLE_USAGE}\n`);
    return 2;
  }
  const { outfile, bytes } = await bundlePlugin({ entry, outfile: values.out, minify: values.minify ?? false });
  process.stdout.write(`${outfile} (${(bytes / 1024).toFixed(0)} KiB)\n`);
  return 0;
}
