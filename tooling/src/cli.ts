#!/usr/bin/env node
/** `ocm-plugin`: the plugin author's command line. Each command lives in `commands/` and is loaded when run. */
import { supportedLines } from '@ocm-plugin-kit/sdk/runtime-lines';
import { TARGETS } from './build/targets.js';

const HELP = `ocm-plugin <command>

Commands:
  bundle <entry> --out <file> [--minify]
      bundle a plugin into one executable JavaScript file (needs Node.js on the user's machine)

  build [entry] [--id <id>] [--out dist/bin] [--targets all|host|linux-x64,darwin-arm64,…] [--node <major|version>]
        [--launcher auto|required|none] [--no-compress] [--minify] [--cache <dir>] [--offline]
      package the plugin into one executable per platform: <id>-<os>-<arch> (Go names; .exe on windows).
      Targets: ${TARGETS.map((t) => t.name).join(', ')} (default all).
      Without entry/--id, reads package.json in the current directory ("bin" name and "ocmPlugin.entries").
      Node.js binaries come from npm (node-<os>-<arch> packages) into the cache (default ~/.cache/ocm-plugin-kit).
      --node: the embedded Node.js, an LTS major (${supportedLines(new Date())
        .map((l) => l.major)
        .join(', ')}) or an exact version; default the
      newest release of the newest LTS line that npm (with --offline: the cache) has for every target.

  publish --component <name> [--id <id>] [--dir dist/bin] [--version <v>] [--provider <p>] [--description <text>]
          [--registry <component>:<version> [--registry-description <text>]] [--repository ctf::./ctf|<oci>]
          [--config <ocmconfig>] [--replace]
          [--no-ocm]
      write the plugin component constructor (one ocmPlugin resource per built platform) and optionally a plugin
      registry component, then run \`ocm add cv\` (ocm from $OCM_CLI or PATH) or print the commands.

  launchers --out <dir> [--targets …]
      build the native launchers with the Go toolchain (done when the kit is released; plugin authors need not)

  check-signature <file>
      recompute the page hashes of a macOS executable's code signature

  dev install|uninstall …
      run a plugin from source in an OCM plugin directory (ocm-plugin dev --help)

  doctor [<plugin executable> | --plugin-dir <dir>] [--strict] [--json]
      run a plugin the way the ocm CLI will and report what would break, with fixes; without a file, every
      plugin of the project in the current directory (ocm-plugin doctor --help)

  bench [<plugin executable>…] [--runs <n>]
      start-up figures (capabilities, cold start, idle RSS, size) of the built plugins next to a fastify hello
      world packaged the same way, measured in the same run (ocm-plugin bench --help)
`;

const COMMANDS: Readonly<Record<string, () => Promise<(argv: readonly string[]) => Promise<number>>>> = {
  bundle: async () => (await import('./commands/bundle.js')).bundleCommand,
  build: async () => (await import('./commands/build.js')).buildCommand,
  publish: async () => (await import('./commands/publish.js')).publishCommand,
  launchers: async () => (await import('./commands/launchers.js')).launchersCommand,
  'check-signature': async () => (await import('./commands/check-signature.js')).checkSignatureCommand,
  dev: async () => (await import('./commands/dev.js')).devCommand,
  doctor: async () => (await import('./commands/doctor.js')).doctorCommand,
  bench: async () => (await import('./commands/bench.js')).benchCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h') {
    process.stdout.write(HELP);
    return command === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!load) {
    process.stderr.write(`ocm-plugin: unknown command "${command}"\n\n${HELP}`);
    return 2;
  }
  return (await load())(rest);
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
