/** `ocm-plugin dev install|uninstall`: run a plugin from its TypeScript source inside an OCM plugin directory. */
import { parseArgs } from 'node:util';
import type { InspectSettings } from '../dev/config.js';
import { devInstall, devUninstall } from '../dev/install.js';
import { writeAttachConfiguration } from '../dev/vscode.js';

export const DEV_HELP = `ocm-plugin dev install <entry.ts> --plugin-dir <dir> [--id <id>] [options]
  Puts an extension-less launcher named <id> into the OCM plugin directory. It runs the plugin from source,
  rebuilding (esbuild, cached) when a file changed; a serving plugin exits after a source change once no request
  is in flight, so the host's next start runs the new code.
    --id <id>                 plugin id = file name (default: the package.json bin name)
    --inspect[=[host:]port]   open the inspector when serving (default 127.0.0.1:9229)
    --inspect-brk[=[host:]port]  same, and wait for a debugger before serving the first request
    --vscode                  add an "attach" configuration to <project>/.vscode/launch.json
    --cache-dir <dir>         bundle cache (default <nearest node_modules>/.cache/ocm-plugin-dev/<id>-<hash>)
    --quiet-ms <ms>           after a change, stop once no request was in flight this long (default 200)
    --force                   replace an existing plugin file of the same name

ocm-plugin dev uninstall --id <id> --plugin-dir <dir> [--keep-cache]
  Removes the launcher (only one written by dev install) and its cache.
`;

/** Parses `--inspect`, `--inspect=9230`, `--inspect=0.0.0.0:9230`. */
export function parseInspect(value: string | undefined, wait: boolean): InspectSettings {
  const fallback = { host: '127.0.0.1', port: 9229 };
  if (value === undefined || value === '') return { ...fallback, wait };
  const m = /^(?:(.+):)?(\d+)$/.exec(value);
  if (!m) throw new Error(`--inspect${wait ? '-brk' : ''}=${value}: expected [host:]port, e.g. 9230 or 127.0.0.1:9230`);
  const port = Number(m[2]);
  if (port > 65535) throw new Error(`--inspect port ${port} is out of range`);
  return { host: m[1] ?? fallback.host, port, wait };
}

/** Splits `--inspect[=v]` and `--inspect-brk[=v]` out of argv (util.parseArgs has no optional values). */
function takeInspect(args: string[]): { rest: string[]; inspect?: InspectSettings } {
  let inspect: InspectSettings | undefined;
  const rest: string[] = [];
  for (const a of args) {
    const m = /^--inspect(-brk)?(?:=(.*))?$/.exec(a);
    if (m) inspect = parseInspect(m[2], Boolean(m[1]));
    else rest.push(a);
  }
  return { rest, inspect };
}

export async function devCommand(
  argv: readonly string[],
  out: NodeJS.WritableStream = process.stdout,
  err: NodeJS.WritableStream = process.stderr,
): Promise<number> {
  const [sub, ...args] = argv;
  switch (sub) {
    case 'install': {
      const { rest, inspect } = takeInspect(args);
      const { values, positionals } = parseArgs({
        args: rest,
        allowPositionals: true,
        options: {
          id: { type: 'string' },
          'plugin-dir': { type: 'string' },
          'cache-dir': { type: 'string' },
          'quiet-ms': { type: 'string' },
          force: { type: 'boolean' },
          vscode: { type: 'boolean' },
        },
      });
      const entry = positionals[0];
      if (!entry || !values['plugin-dir'] || positionals.length > 1) {
        err.write(`ocm-plugin dev install: give the entry file and --plugin-dir <dir>\n\n${DEV_HELP}`);
        return 2;
      }
      const quietMs = values['quiet-ms'] === undefined ? undefined : Number(values['quiet-ms']);
      if (quietMs !== undefined && !(Number.isInteger(quietMs) && quietMs >= 0)) {
        err.write(`ocm-plugin dev install: --quiet-ms must be a whole number of milliseconds\n`);
        return 2;
      }
      const r = await devInstall({
        entry,
        id: values.id,
        pluginDir: values['plugin-dir'],
        cacheDir: values['cache-dir'],
        inspect,
        force: values.force,
        quietMs,
      });
      out.write(`installed dev launcher ${r.launcher}\n`);
      out.write(`  runs ${r.config.entry} from source; cache ${r.cacheDir}\n`);
      out.write(`  first build ${r.buildMs} ms; \`${r.id} capabilities\` from cache ${r.capabilitiesMs} ms\n`);
      out.write(
        `  use it: ocm --plugin-directory ${values['plugin-dir']} …; remove it: ocm-plugin dev uninstall --id ${r.id} --plugin-dir ${values['plugin-dir']}\n`,
      );
      if (r.attach && inspect) {
        out.write(
          `\ndebugger: each plugin process the host starts listens on ${inspect.host}:${inspect.port}` +
            (inspect.wait ? ' and waits for a debugger before serving its first request' : '') +
            '.\nVS Code .vscode/launch.json configuration ("restart" re-attaches to every new plugin process):\n' +
            `${JSON.stringify(r.attach, null, 2)}\n`,
        );
        if (values.vscode) {
          const w = writeAttachConfiguration(r.config.projectRoot, r.attach);
          out.write(w.written ? `written to ${w.path}\n` : `${w.path} has comments or is not JSON: paste the configuration above by hand\n`);
        }
      }
      return 0;
    }
    case 'uninstall': {
      const { values } = parseArgs({ args, options: { id: { type: 'string' }, 'plugin-dir': { type: 'string' }, 'keep-cache': { type: 'boolean' } } });
      if (!values.id || !values['plugin-dir']) {
        err.write(`ocm-plugin dev uninstall: give --id <id> and --plugin-dir <dir>\n\n${DEV_HELP}`);
        return 2;
      }
      const r = devUninstall({ id: values.id, pluginDir: values['plugin-dir'], keepCache: values['keep-cache'] });
      out.write(`removed ${r.launcher}${r.cacheDir ? ` and ${r.cacheDir}` : ''}\n`);
      return 0;
    }
    case '--help':
    case '-h':
    case 'help':
      out.write(DEV_HELP);
      return 0;
    default:
      err.write(`ocm-plugin dev: ${sub === undefined ? 'give a subcommand' : `unknown subcommand "${sub}"`}\n\n${DEV_HELP}`);
      return 2;
  }
}
