#!/usr/bin/env node
/** `ocm-plugin`: the plugin author's command line (bundle, build, …). */
import { parseArgs } from 'node:util';
import { bundlePlugin } from '../build/bundle.js';

const HELP = `ocm-plugin <command>

Commands:
  bundle <entry> --out <file> [--minify]   bundle a plugin into one executable JavaScript file
  dev install|uninstall …                  run a plugin from source in an OCM plugin directory (ocm-plugin dev --help)
`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case 'bundle': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { out: { type: 'string' }, minify: { type: 'boolean' } } });
      const entry = positionals[0];
      if (!entry || !values.out) {
        process.stderr.write(`ocm-plugin bundle: give the entry file and --out <file>\n\n${HELP}`);
        return 2;
      }
      const { outfile, bytes } = await bundlePlugin({ entry, outfile: values.out, minify: values.minify ?? false });
      process.stdout.write(`${outfile} (${(bytes / 1024).toFixed(0)} KiB)\n`);
      return 0;
    }
    case 'dev':
      return (await import('./dev.js')).devCommand(rest);
    case undefined:
    case '--help':
    case '-h':
      process.stdout.write(HELP);
      return command === undefined ? 2 : 0;
    default:
      process.stderr.write(`ocm-plugin: unknown command "${command}"\n\n${HELP}`);
      return 2;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`ocm-plugin: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
