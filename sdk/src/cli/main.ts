#!/usr/bin/env node
/** `ocm-plugin`: the plugin author's command line (bundle, build, publish). */
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { bundlePlugin } from '../build/bundle.js';
import { buildLauncher } from '../build/launcher.js';
import { checkSignature } from '../build/macho.js';
import { buildPlugin } from '../build/package.js';
import { publishPlugin } from '../build/publish.js';
import { supportedLines } from '../build/runtime-lines.js';
import { TARGETS, parseTargets } from '../build/targets.js';

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
      --node: the embedded Node.js, an LTS major (${supportedLines(new Date()).map((l) => l.major).join(', ')}) or an exact version; default the
      newest release of the newest LTS line that npm (with --offline: the cache) has for every target.

  publish --component <name> [--id <id>] [--dir dist/bin] [--version <v>] [--provider <p>] [--description <text>]
          [--registry <component>:<version> [--registry-description <text>]] [--repository ctf::./ctf|<oci>]
          [--config <ocmconfig>] [--replace]
          [--no-ocm]
      write the plugin component constructor (one ocmPlugin resource per built platform) and optionally a plugin
      registry component, then run \`ocm add cv\` (ocm from $OCM_CLI or PATH) or print the commands.

  launchers --out <dir> [--targets …]
      build the native launchers with the Go toolchain (done when the SDK is released; plugin authors need not)

  check-signature <file>
      recompute the page hashes of a macOS executable's code signature

  dev install|uninstall …
      run a plugin from source in an OCM plugin directory (ocm-plugin dev --help)

  doctor [<plugin executable> | --plugin-dir <dir>] [--strict] [--json]
      run a plugin the way the ocm CLI will and report what would break, with fixes; without a file, every
      plugin of the project in the current directory (ocm-plugin doctor --help)

  bench [<plugin executable>…] [--runs <n>]
      start-up figures (capabilities, cold start, idle RSS, size) of the built plugins next to a fastify hello
      world packaged the same way, measured in the same run
`;

interface PackageJson {
  name?: string;
  version?: string;
  description?: string;
  bin?: string | Record<string, string>;
  ocmPlugin?: { entries?: Record<string, string> };
}

function readPackage(): PackageJson | undefined {
  const p = resolve('package.json');
  return existsSync(p) ? (JSON.parse(readFileSync(p, 'utf8')) as PackageJson) : undefined;
}

/** The plugin id and entry from the arguments or package.json. */
function pluginFromPackage(id: string | undefined, entry: string | undefined): { id: string; entry: string } {
  const pkg = readPackage();
  const bins = typeof pkg?.bin === 'object' ? Object.keys(pkg.bin) : [];
  const chosen = id ?? (bins.length === 1 ? bins[0] : undefined);
  if (!chosen) {
    throw new Error(bins.length > 1 ? `package.json declares several plugins (${bins.join(', ')}); choose one with --id` : 'give --id <plugin id> (or run in a package whose package.json has one "bin" entry)');
  }
  const e = entry ?? pkg?.ocmPlugin?.entries?.[chosen] ?? 'src/main.ts';
  if (!existsSync(e)) throw new Error(`plugin entry ${e} does not exist; give it as the first argument`);
  return { id: chosen, entry: e };
}

const log = (m: string) => process.stderr.write(`${m}\n`);

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
    case 'build': {
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          id: { type: 'string' },
          out: { type: 'string', default: join('dist', 'bin') },
          targets: { type: 'string', default: 'all' },
          launcher: { type: 'string', default: 'auto' },
          'no-compress': { type: 'boolean' },
          minify: { type: 'boolean' },
          cache: { type: 'string' },
          offline: { type: 'boolean' },
          node: { type: 'string' },
        },
      });
      const { id, entry } = pluginFromPackage(values.id, positionals[0]);
      const launcher = values.launcher;
      if (launcher !== 'auto' && launcher !== 'required' && launcher !== 'none') throw new Error(`--launcher must be auto, required or none, not ${launcher}`);
      const result = await buildPlugin({
        entry,
        id,
        outDir: values.out,
        targets: parseTargets(values.targets),
        launcher,
        compress: !values['no-compress'],
        minify: values.minify ?? false,
        cacheDir: values.cache,
        node: values.node,
        fetch: !values.offline,
        log,
      });
      for (const a of result.artifacts) process.stdout.write(`${a.path}\n`);
      if (result.failed.length > 0) {
        for (const f of result.failed) log(`ocm-plugin build: ${f.target.name} not built: ${f.reason}`);
        return 1;
      }
      return 0;
    }
    case 'publish': {
      const { values } = parseArgs({
        args: rest,
        options: {
          id: { type: 'string' },
          dir: { type: 'string', default: join('dist', 'bin') },
          component: { type: 'string' },
          version: { type: 'string' },
          provider: { type: 'string' },
          description: { type: 'string' },
          registry: { type: 'string' },
          'registry-description': { type: 'string' },
          repository: { type: 'string' },
          config: { type: 'string', multiple: true },
          replace: { type: 'boolean' },
          'no-ocm': { type: 'boolean' },
        },
      });
      const pkg = readPackage();
      const bins = typeof pkg?.bin === 'object' ? Object.keys(pkg.bin) : [];
      const id = values.id ?? (bins.length === 1 ? bins[0] : undefined);
      if (!id) throw new Error('give --id <plugin id>');
      if (!values.component) throw new Error(`give --component <name>, e.g. --component acme.org/plugins/${id} (its last segment must be the plugin id)`);
      const version = values.version ?? pkg?.version;
      if (!version) throw new Error('give --version <component version>');
      let registry: { component: string; version: string; description?: string } | undefined;
      if (values.registry) {
        const i = values.registry.lastIndexOf(':');
        if (i <= 0) throw new Error(`--registry must be <component>:<version>, e.g. acme.org/plugin-registry:1.0.0`);
        registry = { component: values.registry.slice(0, i), version: values.registry.slice(i + 1), description: values['registry-description'] };
      }
      const res = await publishPlugin({
        id,
        dir: values.dir,
        component: values.component,
        version,
        provider: values.provider,
        description: values.description ?? pkg?.description,
        registry,
        repository: values.repository,
        ocm: values['no-ocm'] ? false : undefined,
        ocmArgs: (values.config ?? []).flatMap((c) => ['--config', c]),
        replace: values.replace ?? false,
        log,
      });
      process.stdout.write(`${res.pluginConstructor}\n${res.registryConstructor ? `${res.registryConstructor}\n` : ''}`);
      return 0;
    }
    case 'launchers': {
      const { values } = parseArgs({ args: rest, options: { out: { type: 'string' }, targets: { type: 'string', default: 'all' } } });
      if (!values.out) throw new Error('give --out <dir>');
      for (const t of parseTargets(values.targets)) {
        const out = join(values.out, `${t.os}-${t.arch}${t.suffix}`);
        const problem = await buildLauncher(t, out);
        if (problem) throw new Error(`${t.name}: ${problem}`);
        log(out);
      }
      return 0;
    }
    case 'check-signature': {
      const file = rest[0];
      if (!file) throw new Error('give the file to check');
      const check = checkSignature(await readFile(file));
      process.stdout.write(`${JSON.stringify(check, null, 2)}\n`);
      return check.signed && check.problems.length === 0 && check.codeDirectories.every((c) => c.mismatches === 0) ? 0 : 1;
    }
    case 'dev':
      return (await import('./dev.js')).devCommand(rest);
    case 'doctor':
      return (await import('./doctor.js')).doctorCommand(rest);
    case 'bench': {
      const { BENCH_HELP, benchCommand } = await import('./bench.js');
      if (rest[0] === '--help' || rest[0] === '-h') {
        process.stdout.write(BENCH_HELP);
        return 0;
      }
      return benchCommand(rest, process.stdout, process.stderr);
    }
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
