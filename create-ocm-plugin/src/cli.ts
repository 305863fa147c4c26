/**
 * The command line: yargs owns argv, `--help` and `--version`. The kind list in `--help` comes from the SDK's
 * `KINDS` registry (through the template catalogue), so a new kind shows up with its template folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import yargs from 'yargs';
import { create, DEFAULTS } from './commands/create.js';
import { update } from './commands/update.js';
import { UsageError } from './errors.js';
import { availableKinds } from './kinds.js';
import { recoverNpmArgs } from './npm-args.js';
import { detectPackageManager } from './package-manager.js';
import { currentRelease, HISTORY_DIR } from './release.js';
import { PACKAGE_ROOT, templatesDir } from './templates.js';

export interface MainIO {
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  readonly stdinIsTTY: boolean;
  readonly stdoutIsTTY: boolean;
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

const STRING_OPTIONS = ['name', 'package-name', 'kind', 'type', 'domain', 'description', 'kit-dir'] as const;
const BOOLEAN_OPTIONS = ['yes', 'force', 'overwrite', 'interactive', 'dry-run'] as const;

function splitList(values: unknown): string[] | undefined {
  if (values === undefined) return undefined;
  const list = (Array.isArray(values) ? values : [values]).map(String);
  return list
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

export async function main(argv: readonly string[], io: MainIO): Promise<number> {
  const version = (JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  let root: string;
  try {
    root = templatesDir();
  } catch (err) {
    io.err(`create-ocm-plugin: ${(err as Error).message}\n`);
    return 1;
  }
  const kinds = availableKinds(root);
  const fixed = recoverNpmArgs(argv, io.env, { strings: STRING_OPTIONS, booleans: BOOLEAN_OPTIONS, kinds: kinds.map((k) => k.kind) });
  if (fixed.ambiguous.length > 0) {
    io.err(
      `create-ocm-plugin: npm took ${fixed.ambiguous.map((o) => `--${o}`).join(', ')} for itself and their values cannot be told apart.\n` +
        `Put "--" before the options (npm create ocm-plugin my-plugin -- --kind inputRepository --yes), or write them as --option=value.\n`,
    );
    return 2;
  }

  const width = Math.min(120, process.stdout.columns || 100);
  const kindLines = kinds.map((k) => `  ${k.kind.padEnd(27)} ${k.contract.reachedBy}`).join('\n');
  let helpOrVersion = false;
  let stdout = '';
  const parser = yargs()
    .scriptName('create-ocm-plugin')
    .usage(
      'Scaffold an Open Component Model (OCM) CLI plugin in TypeScript.\n\n' +
        'Usage: npm create ocm-plugin@latest [directory] -- [options]\n' +
        '       create-ocm-plugin [directory] [options]\n' +
        '       create-ocm-plugin update [directory] [--dry-run] [--force]   (in a generated project)',
    )
    .command('update [directory]', 'Bring a generated project to these templates, keeping your edits (three-way merge)', (y) =>
      y
        .positional('directory', { type: 'string', describe: 'The project (default: the working directory)' })
        .option('dry-run', { type: 'boolean', describe: 'Print the plan and the diffs; write nothing' }),
    )
    .command('$0 [directory]', false, (y) =>
      y.positional('directory', { type: 'string', describe: `Where to create the project (default: ${DEFAULTS.directory})` }),
    )
    .option('kind', {
      alias: 'k',
      type: 'string',
      array: true,
      describe: `Capability kind(s); repeat or comma-separate for several (one binary each). Default: ${DEFAULTS.kind}`,
    })
    .option('name', { alias: 'n', type: 'string', describe: 'Plugin name: the executable the ocm CLI runs (default: from the directory)' })
    .option('type', {
      alias: 't',
      type: 'string',
      array: true,
      describe: 'Spec type name, e.g. Greeting.acme.org/v1; per kind as <kind>=<Type> (default: <Example>.<domain>/v1)',
    })
    .option('domain', { alias: 'd', type: 'string', describe: `Your DNS domain, qualifies the default type names (default: ${DEFAULTS.domain})` })
    .option('description', { type: 'string', describe: 'package.json description' })
    .option('kit-dir', { type: 'string', describe: 'Link the kit packages of this checkout (file: dependencies) instead of registry versions' })
    .option('package-name', { type: 'string', describe: 'npm package name, e.g. @acme/ocm-greeting (default: the plugin name)' })
    .option('yes', { alias: 'y', type: 'boolean', describe: 'Take the defaults for everything not given; ask nothing' })
    .option('force', {
      alias: 'overwrite',
      type: 'boolean',
      describe: 'Replace the contents of a non-empty directory (keeps .git); with update: run on a git working tree with uncommitted changes',
    })
    .option('interactive', {
      type: 'boolean',
      describe: 'Ask for missing values (default: when stdin and stdout are terminals; --no-interactive to never ask)',
    })
    .epilogue(
      `Kinds (and the ocm CLI v0.13.0 commands that reach them):\n${kindLines}\n\n` +
        'Examples:\n' +
        '  npm create ocm-plugin@latest greeting -- --kind inputRepository --domain acme.org --yes\n' +
        '  npm create ocm-plugin@latest signer -- --kind signingHandler --type Ed25519.acme.org/v1\n' +
        '  npx create-ocm-plugin store --kind resourceRepository,digestProcessorRepository --yes\n\n' +
        'With npm, put "--" before the options (or write them as --option=value); pnpm, yarn and bun need no "--".',
    )
    .version(version)
    .help()
    .alias('h', 'help')
    .alias('v', 'version')
    .strict()
    .wrap(width)
    .exitProcess(false)
    .showHelpOnFail(false)
    .fail((msg, err) => {
      throw new UsageError(`${err?.message ?? msg}\nRun create-ocm-plugin --help for the options.`);
    });

  let args: Record<string, unknown>;
  try {
    const capture = (_err: unknown, argvOut: unknown, output: string) => {
      if (output) {
        helpOrVersion = true;
        stdout = output;
      }
      return argvOut;
    };
    args = (await parser.parseAsync([...fixed.argv], {}, capture as never)) as Record<string, unknown>;
  } catch (err) {
    io.err(`create-ocm-plugin: ${(err as Error).message}\n`);
    return err instanceof UsageError ? err.exitCode : 1;
  }
  if (helpOrVersion) {
    io.out(`${stdout}\n`);
    return 0;
  }
  if (fixed.recovered.length > 0)
    io.err(`(read ${fixed.recovered.join(', ')} from npm's environment: npm took them for itself; put "--" before the options to avoid this)\n`);

  if ((args._ as unknown[] | undefined)?.[0] === 'update') {
    const createOnly = [...STRING_OPTIONS, 'yes', 'interactive'].filter((o) => args[o] !== undefined);
    if (createOnly.length > 0) {
      io.err(
        `create-ocm-plugin update: ${createOnly.map((o) => `--${o}`).join(', ')} only apply when creating a project; update reads the answers from .ocm-plugin/template.json\n`,
      );
      return 2;
    }
    return update(
      { ...(args.directory !== undefined ? { directory: String(args.directory) } : {}), dryRun: args.dryRun === true, force: args.force === true },
      { cwd: io.cwd, out: io.out, err: io.err, current: currentRelease(root, kinds), historyDir: HISTORY_DIR },
    ).catch((err: unknown) => {
      io.err(`create-ocm-plugin update: ${(err as Error).stack ?? String(err)}\n`);
      return 1;
    });
  }

  const yes = args.yes === true;
  const wantsInteractive = args.interactive as boolean | undefined;
  const tty = io.stdinIsTTY && io.stdoutIsTTY;
  if (wantsInteractive === true && !tty) {
    io.err('create-ocm-plugin: --interactive needs a terminal on stdin and stdout; pass the values as options instead (see --help)\n');
    return 2;
  }
  const interactive = !yes && (wantsInteractive ?? tty);
  try {
    return await create(
      {
        ...(args.directory !== undefined ? { directory: String(args.directory) } : {}),
        ...(args.name !== undefined ? { name: String(args.name) } : {}),
        ...(args.packageName !== undefined ? { packageName: String(args.packageName) } : {}),
        ...(args.kind !== undefined ? { kind: splitList(args.kind) ?? [] } : {}),
        ...(args.type !== undefined ? { type: splitList(args.type) ?? [] } : {}),
        ...(args.domain !== undefined ? { domain: String(args.domain) } : {}),
        ...(args.description !== undefined ? { description: String(args.description) } : {}),
        ...(args.kitDir !== undefined ? { kitDir: String(args.kitDir) } : {}),
        force: args.force === true,
        interactive,
      },
      { cwd: io.cwd, out: io.out, err: io.err, packageManager: detectPackageManager(io.env.npm_config_user_agent), templatesDir: root, kinds },
    );
  } catch (err) {
    if (err instanceof UsageError) {
      io.err(`create-ocm-plugin: ${err.message}\n`);
      return err.exitCode;
    }
    if ((err as Error).name === 'ExitPromptError') {
      io.err('create-ocm-plugin: cancelled; nothing was written\n');
      return 130;
    }
    io.err(`create-ocm-plugin: ${(err as Error).stack ?? String(err)}\n`);
    return 1;
  }
}
