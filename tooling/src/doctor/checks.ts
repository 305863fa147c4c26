/**
 * `ocm-plugin doctor`: runs a plugin executable the way the ocm CLI will (clean environment, another working
 * directory, no TTY, stdin /dev/null, a long TMPDIR) and reports everything that would make the CLI fail or hang,
 * each with how to fix it. Static checks (name, executable bit, format and #! interpreter, Mach-O signature, size)
 * need no run. The runs go through the reference host (`@ocm-plugin-kit/conformance/host`): its `capabilities` run and
 * handshake parser, its plugin process with the manager's location scan, undici client and log-line rules. What is
 * doctor's own: the environment it varies, the budgets, and the dev launcher's leniency.
 */
import { accessSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import {
  parseCapabilities,
  PluginInstance,
  runCapabilities,
  type CapabilitiesRun,
  type HandshakeIssue,
  type LogIssue,
  type ParsedCapabilities,
} from '@ocm-plugin-kit/conformance/host';
import { embeddedRuntimeFindings } from './embedded-runtime.js';
import { executableFormat, nodeArch, type ExecutableFormat } from '../build/executable-format.js';
import { goExt, LOCATION_TIMEOUT_MS, managerConfigJson, pluginIdProblem, SOCKET_PATH_MAX } from '@ocm-plugin-kit/sdk/host-facts';
import { resolveInterpreter, spawnProblem } from './interpreter.js';
import { readLauncher } from '../dev/install.js';

export type Status = 'pass' | 'warn' | 'fail' | 'skip';

export interface Finding {
  readonly check: string;
  readonly status: Status;
  readonly summary: string;
  /** What to do about a warning or failure. */
  readonly fix?: string;
  /** Extra lines (stderr excerpts). */
  readonly detail?: string;
}

export interface DoctorOptions {
  /** `capabilities` wall time budget (default 1000 ms): the CLI runs it on every command. */
  readonly capabilitiesBudgetMs?: number;
  /** Start → location line budget (default 2000 ms). */
  readonly startBudgetMs?: number;
  /** Executable size budget (default 150 MiB). */
  readonly sizeBudgetBytes?: number;
  /** The plugin's PATH (default this process's PATH; `#!/usr/bin/env node` needs node on it). */
  readonly path?: string;
  /**
   * For a build artifact that is not installed under its own file name (a bundle `dist/x.cjs`): the plugin id it
   * gets once installed and the commands that install it. The plugin then runs under that id, and an extension in
   * the file name is a warning naming those commands instead of a failure.
   */
  readonly install?: Install;
}

export interface Install {
  readonly id: string;
  /** E.g. `npm run dev`, or `cp dist/x.cjs plugins/x`. */
  readonly commands: string;
}

export interface DoctorReport {
  /** The path as given. */
  readonly executable: string;
  readonly id: string;
  readonly findings: readonly Finding[];
  readonly failed: boolean;
  readonly warnings: number;
  readonly measurements: { capabilitiesMs?: number; locationMs?: number; sizeBytes?: number };
  /** How the plugin was run. */
  readonly environment: string;
}

const MiB = 1024 * 1024;

/** The lines of stderr worth showing: from the first error line on, else the last ones. */
function excerpt(text: string, lines = 3): string {
  const all = text.trimEnd().split('\n');
  const i = all.findIndex((l) => /\b(Error|error|ERROR)\b/.test(l));
  return i >= 0
    ? all
        .slice(i, i + lines)
        .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l))
        .join('\n')
    : tail(text, lines);
}

const tail = (text: string, lines = 6): string =>
  text
    .trimEnd()
    .split('\n')
    .slice(-lines)
    .map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l))
    .join('\n');

function runnableHere(format: ExecutableFormat): string | undefined {
  const here = `${process.platform}-${process.arch}`;
  switch (format.kind) {
    case 'elf':
      if (process.platform !== 'linux' && process.platform !== 'freebsd') return `it is a Linux (ELF) executable and this is ${here}`;
      return nodeArch(format.arch) === process.arch ? undefined : `it is a linux-${nodeArch(format.arch)} executable and this is ${here}`;
    case 'macho':
      if (process.platform !== 'darwin') return `it is a macOS (Mach-O) executable and this is ${here}`;
      return format.slices.some((s) => nodeArch(s.arch) === process.arch || (s.arch === 'x86_64' && process.arch === 'arm64'))
        ? undefined
        : `it holds no ${process.arch} code`;
    case 'pe':
      return process.platform === 'win32' ? undefined : `it is a Windows (PE) executable and this is ${here}`;
    default:
      return undefined;
  }
}

/** The doctor check that reports a handshake issue of the reference host's parser. */
const checkOf = (issue: HandshakeIssue): string =>
  issue.code.startsWith('schema-') ? 'schemas' : issue.code.startsWith('type-builtin') ? 'reserved names' : 'handshake';

/** The parser's issues (fatal and error fail, warnings warn) as findings, each check with a pass line when clean. */
function handshakeFindings(parsed: ParsedCapabilities): Finding[] {
  const by = new Map<string, Finding[]>([
    ['handshake', []],
    ['schemas', []],
    ['reserved names', []],
  ]);
  for (const issue of parsed.issues) {
    if (issue.code === 'stdout-not-json') continue;
    by.get(checkOf(issue))!.push({ check: checkOf(issue), status: issue.severity === 'warning' ? 'warn' : 'fail', summary: issue.message, fix: issue.fix });
  }
  const spec = parsed.spec;
  const handshake = by.get('handshake')!;
  if (spec && !handshake.some((f) => f.status === 'fail')) {
    const kinds = spec.capabilities.map((c) => {
      const n = Object.values(c.lists).reduce((sum, list) => sum + list.length, 0);
      return `${c.kind} (${n} type${n === 1 ? '' : 's'})`;
    });
    handshake.push({ check: 'handshake', status: 'pass', summary: `${kinds.join(', ') || 'no capabilities'}; all kinds known to ocm v0.13.0` });
  }
  const schemas =
    spec?.capabilities.reduce(
      (n, c) =>
        n +
        Object.values(c.lists)
          .flat()
          .filter((e) => e.jsonSchema !== null).length,
      0,
    ) ?? 0;
  if (by.get('schemas')!.length === 0 && schemas > 0) {
    by.get('schemas')!.push({
      check: 'schemas',
      status: 'pass',
      summary: `${schemas} jsonSchema${schemas === 1 ? '' : 's'}: padded base64, one JSON document, compiles (draft 2020-12 default), RE2 patterns, accepts its type`,
    });
  }
  if (by.get('reserved names')!.length === 0 && spec && spec.capabilities.length > 0) {
    by.get('reserved names')!.push({ check: 'reserved names', status: 'pass', summary: 'no built-in type name claimed' });
  }
  return [...by.values()].flat();
}

/** `<file> capabilities` through the reference host; a file that cannot be started gives its spawn error. */
async function capabilities(file: string, env: NodeJS.ProcessEnv, cwd: string): Promise<CapabilitiesRun | { error: NodeJS.ErrnoException }> {
  try {
    return await runCapabilities(file, { env, cwd, timeoutMs: LOCATION_TIMEOUT_MS });
  } catch (err) {
    return { error: err as NodeJS.ErrnoException };
  }
}

interface ServeRun {
  readonly findings: readonly Finding[];
  readonly locationMs?: number;
  readonly started: boolean;
}

/** How long doctor polls `/healthz` (the manager polls without a limit, so the CLI would hang). */
const HEALTH_TIMEOUT_MS = 5_000;

/** SIGINT, as the CLI sends it at exit: the plugin should exit 0 within 10 s and remove its socket. */
async function checkShutdown(instance: PluginInstance): Promise<Finding> {
  const stopStarted = performance.now();
  const exit = await instance.shutdown(10_000);
  // shutdown() SIGKILLs a plugin still running after the wait.
  if (!exit || exit.signal === 'SIGKILL') {
    return {
      check: 'shutdown',
      status: 'fail',
      summary: 'still running 10 s after SIGINT; the CLI kills input and lister plugins at that point and leaves others running',
      fix: 'on SIGINT/SIGTERM: stop accepting, finish in-flight work, remove the socket, exit 0',
    };
  }
  const leftover = instance.socketPath !== undefined && existsSync(instance.socketPath);
  return {
    check: 'shutdown',
    status: exit.code === 0 && !leftover ? 'pass' : 'warn',
    summary: `SIGINT → exit ${exit.code ?? exit.signal} after ${Math.round(performance.now() - stopStarted)} ms${leftover ? `; socket ${instance.socketPath} left behind` : ', socket removed'}`,
    fix: exit.code === 0 && !leftover ? undefined : 'handle SIGINT: remove the socket, exit 0 (the CLI never removes it)',
  };
}

/** stderr judged by the manager's log streamer (the reference host parses every line as it arrives). */
function checkLogs(instance: PluginInstance): Finding {
  const breaks = (i: LogIssue) => i.kind === 'crash' || i.kind === 'too-long';
  const crash = instance.logIssues.filter(breaks);
  const dropped = instance.logIssues.filter((i) => !breaks(i));
  const lines = instance.logs.length + instance.logIssues.length;
  if (crash.length > 0)
    return {
      check: 'logs',
      status: 'fail',
      summary: `stderr lines that break the CLI: ${crash[0]!.message}`,
      fix: 'log JSON objects with string "msg" and string "level" (DEBUG/INFO/WARN/ERROR), under 64 KiB per line',
    };
  if (dropped.length > 0)
    return {
      check: 'logs',
      status: 'warn',
      summary: `${dropped.length} of ${lines} stderr lines are dropped by the CLI: ${dropped[0]!.message}`,
      fix: 'log one JSON object per line: {"level":"INFO","msg":"…"}',
    };
  return {
    check: 'logs',
    status: 'pass',
    summary: lines ? `${lines} stderr line(s), all in the format the CLI re-logs` : 'no stderr output at the default log level',
  };
}

/** Resolves once the plugin's stderr has ended, so that every log line has been parsed (at most `ms`). */
function stderrEnded(instance: PluginInstance, ms = 2000): Promise<void> {
  const stderr = instance.child.stderr;
  if (!stderr || stderr.readableEnded || stderr.destroyed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    stderr.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Starts `--config` on the reference host: location line, /healthz, stdout after the line, stderr log lines, SIGINT. */
async function checkServe(file: string, id: string, env: NodeJS.ProcessEnv, cwd: string, budgetMs: number, label: string): Promise<ServeRun> {
  const findings: Finding[] = [];
  const { instance, error, exitedFirst } = await PluginInstance.start({ id, path: file, env, cwd, healthTimeoutMs: HEALTH_TIMEOUT_MS });
  try {
    if (!instance.location) {
      const e = instance.exitInfo;
      const said = instance.stderr.trim() !== '';
      findings.push({
        check: 'start',
        status: 'fail',
        summary: instance.spawnError
          ? `${label}: cannot be started: ${spawnProblem(instance.spawnError, file)}`
          : exitedFirst && e
            ? `${label}: ${e.signal ? `killed by ${e.signal}` : `exited with code ${e.code}`} after ${e.atMs} ms without printing a location line${said ? '; its stderr ends as shown' : ' and without a word on stderr'}; the ocm CLI would wait 30 s, then report "timed out waiting for server to start"`
            : `${label}: ${error?.reason ?? 'no location line'}; the ocm CLI gives up at that point`,
        fix:
          exitedFirst && said
            ? `fix what its stderr says; to see it all, run it by hand: ${file} --config '${managerConfigJson(id)}'`
            : 'bind the listener, then print exactly one line "http+unix://<socket path>" (or "http://127.0.0.1:<port>") with a newline on stdout',
        detail: said ? tail(instance.stderr) : undefined,
      });
      return { findings, started: false };
    }
    const locationMs = instance.locationMs;
    findings.push({
      check: 'start',
      status: locationMs > budgetMs ? 'fail' : 'pass',
      summary: `${label}: location line after ${locationMs} ms (budget ${budgetMs} ms)`,
      fix: locationMs > budgetMs ? 'start faster: bundle to one file (ocm-plugin bundle), load handler code lazily, avoid work before listening' : undefined,
    });
    const skipped = instance.skippedLines;
    if (skipped.length > 0) {
      findings.push({
        check: 'stdout',
        status: 'warn',
        summary: `${skipped.length} stdout line(s) before the location line (the manager skips them): ${JSON.stringify(skipped[0]!.slice(0, 80))}`,
        fix: 'write logs to stderr; stdout carries only the location line',
      });
    }
    if (instance.locationFrom === 'stderr') {
      findings.push({
        check: 'stdout',
        status: 'warn',
        summary: 'the location line came on stderr after stdout closed; the manager reads stderr only then, so it works, but no other host does',
        fix: 'print the location line on stdout and keep stdout open',
      });
    }

    const socketPath = instance.socketPath;
    if (socketPath !== undefined) {
      const bytes = Buffer.byteLength(socketPath);
      const max = SOCKET_PATH_MAX[process.platform === 'darwin' ? 'darwin' : 'linux'];
      if (!socketPath.startsWith('/')) {
        findings.push({
          check: 'socket',
          status: 'fail',
          summary: `socket path ${socketPath} is not absolute`,
          fix: 'print http+unix:// followed by the absolute socket path (three slashes in all)',
        });
      } else if (bytes > max) {
        findings.push({
          check: 'socket',
          status: 'fail',
          summary: `socket path is ${bytes} bytes, over the ${max}-byte limit of this platform: Node.js binds a silently truncated path, the Go manager cannot dial the printed one`,
          fix: 'fall back to a short directory such as /tmp when TMPDIR is long (the SDK does)',
        });
      } else {
        const macNote = bytes > SOCKET_PATH_MAX.darwin ? ` — over macOS's ${SOCKET_PATH_MAX.darwin}, it would fail there` : '';
        findings.push({
          check: 'socket',
          status: macNote ? 'warn' : 'pass',
          summary: `${socketPath} (${bytes} bytes; limit ${SOCKET_PATH_MAX.linux} on Linux, ${SOCKET_PATH_MAX.darwin} on macOS${macNote})${env.TMPDIR && !socketPath.startsWith(env.TMPDIR) ? '; not under the long TMPDIR' : ''}`,
          fix: macNote ? 'use a shorter socket directory' : undefined,
        });
      }
    } else {
      findings.push({
        check: 'socket',
        status: 'fail',
        summary: `printed ${instance.location} although --config asked for "type":"unix"; the manager dials the unix socket it expects and hangs`,
        fix: 'follow the "type" of --config: a Unix socket for "unix", 127.0.0.1 for "tcp"',
      });
    }

    if (error) {
      findings.push({
        check: 'healthz',
        status: 'fail',
        summary: `GET /healthz: ${error.reason}`,
        fix: 'serve /healthz (any response ends the wait; 200 is expected)',
      });
    } else {
      findings.push({
        check: 'healthz',
        status: instance.healthStatus === 200 ? 'pass' : 'warn',
        summary: `GET /healthz → ${instance.healthStatus}`,
        fix: instance.healthStatus === 200 ? undefined : 'answer GET /healthz with 200',
      });
    }

    if (!error) await new Promise((r) => setTimeout(r, 300));
    const after = instance.stdoutAfterLocation;
    findings.push(
      after.length > 0
        ? {
            check: 'stdout',
            status: 'fail',
            summary: `wrote ${after.length} bytes to stdout after the location line (${JSON.stringify(after.slice(0, 60))}); nobody reads it, so the pipe fills and the plugin blocks`,
            fix: 'log to stderr only (ctx.log)',
          }
        : { check: 'stdout', status: 'pass', summary: 'nothing on stdout after the location line' },
    );

    findings.push(
      error ? { check: 'shutdown', status: 'skip', summary: 'not checked: the plugin was killed when /healthz failed' } : await checkShutdown(instance),
    );
    await stderrEnded(instance);
    findings.push(checkLogs(instance));
    return { findings, locationMs, started: true };
  } finally {
    await instance.kill();
    await instance.close();
  }
}

/** The manager asks for TCP where it cannot listen on a Unix socket (scratch containers): `"type":"tcp"`. */
async function checkTcp(file: string, id: string, env: NodeJS.ProcessEnv, cwd: string): Promise<Finding> {
  const { instance, error, exitedFirst } = await PluginInstance.start({ id, path: file, env, cwd, type: 'tcp', healthTimeoutMs: HEALTH_TIMEOUT_MS });
  try {
    const fix = 'for "type":"tcp" listen on 127.0.0.1 port 0 and print http://127.0.0.1:<port> (the SDK does)';
    const location = instance.location;
    if (!location)
      return {
        check: 'tcp',
        status: 'fail',
        summary: `with "type":"tcp": no location line${exitedFirst ? ' (the plugin exited)' : ''}`,
        fix,
        detail: instance.stderr ? excerpt(instance.stderr) : undefined,
      };
    const m = /^http:\/\/([^/]+):(\d+)$/.exec(location);
    if (!m)
      return {
        check: 'tcp',
        status: 'fail',
        summary: `with "type":"tcp" it printed ${JSON.stringify(location)}; the manager dials the line minus "http://"`,
        fix,
      };
    if (error) return { check: 'tcp', status: 'fail', summary: `with "type":"tcp": GET /healthz on ${location}: ${error.reason}`, fix };
    const host = m[1]!;
    const loopback = host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
    return {
      check: 'tcp',
      status: loopback ? 'pass' : 'warn',
      summary: `with "type":"tcp": ${location}, GET /healthz → ${instance.healthStatus}${loopback ? '' : '; listening beyond loopback exposes the plugin to the network'}`,
      fix: loopback ? undefined : 'bind 127.0.0.1 only',
    };
  } finally {
    if (instance.running) await instance.shutdown(10_000);
    await instance.close();
  }
}

const DEV_LAUNCHER_SPEED =
  'the dev launcher checks the sources on every run, so it is slower than the plugin; run npm run doctor (or doctor on the bundle or single executable) to time the plugin itself';

/** The name check: the manager's discovery looks only at the base name, and the base name is the plugin id. */
function checkName(base: string, file: string, options: DoctorOptions): Finding {
  const install = options.install;
  const id = install?.id ?? base;
  const ext = goExt(base);
  if (!install && ext) {
    const stem = base.slice(0, base.length - ext.length) || 'my-plugin';
    return {
      check: 'name',
      status: 'fail',
      summary: `"${base}" has the extension "${ext}": the ocm CLI skips it, so the plugin is never found`,
      fix: `install it without the extension: cp ${file} <plugin dir>/${stem} (or a symlink of that name)`,
    };
  }
  const problem = pluginIdProblem(id);
  if (problem)
    return {
      check: 'name',
      status: 'fail',
      summary: `plugin id ${problem}`,
      fix: install ? 'choose an id without "." or "/" (the "bin" name in package.json)' : 'rename the file',
    };
  if (install && base !== id) {
    return {
      check: 'name',
      status: 'warn',
      summary: `"${base}" has the extension "${ext}", so the ocm CLI skips this file itself; installed as "${id}" it is found`,
      fix: `install it as ${id}: ${install.commands}`,
    };
  }
  return { check: 'name', status: 'pass', summary: `extension-less; plugin id "${id}"` };
}

/** How to get a script's interpreter in place. */
function interpreterFix(line: string): string {
  return /\bnode\b/.test(line)
    ? 'install Node.js 20.19+ so that node is on the PATH the ocm CLI runs with, or install a single executable, which needs no Node.js (ocm-plugin build --targets host; in a generated project npm run build -- --targets host)'
    : 'install the interpreter, or name it by its absolute path in the #! line';
}

/** Runs every check against a plugin executable. */
export async function runDoctor(executable: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const findings: Finding[] = [];
  // Resolved before anything changes the working directory or environment: the runs below start elsewhere.
  const file = resolve(executable);
  const base = basename(file);
  const id = options.install?.id ?? base;
  const pluginPath = options.path ?? process.env.PATH ?? '/usr/bin:/bin';
  const measurements: DoctorReport['measurements'] = {};
  const capBudget = options.capabilitiesBudgetMs ?? 1000;
  const startBudget = options.startBudgetMs ?? 2000;
  const sizeBudget = options.sizeBudgetBytes ?? 150 * MiB;
  const report = (environment: string): DoctorReport => ({
    executable,
    id,
    findings,
    failed: findings.some((f) => f.status === 'fail'),
    warnings: findings.filter((f) => f.status === 'warn').length,
    measurements,
    environment,
  });

  // 1. Name: the manager's discovery looks only at the base name.
  findings.push(checkName(base, file, options));

  // 2. The file itself.
  let lst;
  try {
    lst = lstatSync(file);
  } catch {
    findings.push({
      check: 'file',
      status: 'fail',
      summary: `${file} does not exist${file !== executable ? ` (${executable} resolved against ${process.cwd()})` : ''}`,
      fix: options.install ? "build it first (see the project's README)" : 'give the path of the plugin executable',
    });
    return report('not run');
  }
  let st;
  try {
    st = statSync(file);
  } catch {
    findings.push({
      check: 'file',
      status: 'fail',
      summary: `${file} is a dangling symlink; running it fails, which fails every ocm command`,
      fix: 'point the link at the built plugin',
    });
    return report('not run');
  }
  if (st.isDirectory()) {
    findings.push({
      check: 'file',
      status: 'fail',
      summary: lst.isSymbolicLink() ? 'a symlink to a directory: the manager executes it and every ocm command fails' : 'a directory, not an executable',
      fix: 'put the plugin executable (or a symlink to it) into the plugin directory',
    });
    return report('not run');
  }
  let executableBit = true;
  try {
    accessSync(file, constants.X_OK);
  } catch {
    executableBit = false;
  }
  const real = lst.isSymbolicLink() ? realpathSync(file) : file;
  findings.push(
    executableBit
      ? { check: 'file', status: 'pass', summary: `mode ${(st.mode & 0o777).toString(8)}${lst.isSymbolicLink() ? `, symlink to ${real}` : ''}` }
      : {
          check: 'file',
          status: 'fail',
          summary: `not executable (mode ${(st.mode & 0o777).toString(8)}): running it fails, which fails every ocm command`,
          fix: `chmod +x ${real}`,
        },
  );

  // 3. Format and, for macOS, the code signature.
  const format = executableFormat(file);
  switch (format.kind) {
    case 'macho': {
      const unsigned = format.slices.filter((s) => !s.signed);
      const arches = format.slices.map((s) => `${s.arch}${s.signed ? ' signed' : ' unsigned'}`).join(', ');
      const arm = unsigned.some((s) => s.arch === 'arm64');
      findings.push({
        check: 'signature',
        status: arm ? 'fail' : unsigned.length > 0 ? 'warn' : 'pass',
        summary: `Mach-O (${arches})${arm ? ': Apple Silicon refuses to run unsigned code' : unsigned.length ? ': Gatekeeper is less picky with a signature' : ': LC_CODE_SIGNATURE present'}`,
        fix: unsigned.length ? 'sign it: `codesign --sign - <file>` on macOS (ad hoc), or let `ocm-plugin build` sign it' : undefined,
      });
      break;
    }
    case 'script': {
      findings.push({ check: 'format', status: 'pass', summary: `script, interpreter: ${format.interpreter}` });
      const interpreter = resolveInterpreter(format.interpreter, pluginPath);
      findings.push(
        interpreter.problem
          ? {
              check: 'interpreter',
              status: 'fail',
              summary: `#!${interpreter.line}: ${interpreter.problem}; running it fails, which fails every ocm command`,
              fix: interpreterFix(format.interpreter),
            }
          : { check: 'interpreter', status: 'pass', summary: `#!${interpreter.line} runs ${interpreter.resolved} (on the plugin's PATH)` },
      );
      break;
    }
    case 'pe':
      findings.push({
        check: 'format',
        status: 'warn',
        summary: 'Windows (PE) executable: ocm v0.13.0 skips names with an extension, so a Windows plugin cannot be discovered',
        fix: 'ship Linux and macOS builds; Windows is not usable with v0.13.0',
      });
      break;
    case 'elf':
      findings.push({ check: 'format', status: 'pass', summary: `ELF ${format.arch}` });
      break;
    default:
      // Node's spawn would retry such a file with /bin/sh (execvp does); the Go manager does not, so it is not run here.
      findings.push({
        check: 'format',
        status: 'fail',
        summary: 'neither a native executable nor a #! script: the ocm CLI gets "exec format error", which fails every ocm command',
        fix: 'start a script with a #! line such as #!/usr/bin/env node',
      });
  }

  // (Checks of what a single executable embeds, such as the version of its Node.js runtime read from the
  // executable's metadata, go here: after the format is known, before anything runs.)

  // 4. Size.
  measurements.sizeBytes = statSync(real).size;
  findings.push({
    check: 'size',
    status: measurements.sizeBytes > sizeBudget ? 'fail' : 'pass',
    summary: `${(measurements.sizeBytes / MiB).toFixed(1)} MiB (budget ${(sizeBudget / MiB).toFixed(0)} MiB)${format.kind === 'script' ? "; a script also needs its interpreter on the user's machine" : ''}`,
    fix: measurements.sizeBytes > sizeBudget ? 'bundle first (one file), minify, and leave out unused dependencies' : undefined,
  });

  // The embedded Node.js line and its end of life (packaged plugins only).
  findings.push(...embeddedRuntimeFindings(real));

  // The dev launcher checks the sources on every run: slower than the plugin it runs, by design.
  const devLauncher = format.kind === 'script' && readLauncher(real) !== undefined;
  const notHere = runnableHere(format);
  const noInterpreter = findings.some((f) => f.check === 'interpreter' && f.status === 'fail');
  if (notHere || !executableBit || noInterpreter || format.kind === 'unknown') {
    const why = notHere ?? (!executableBit ? 'not executable' : noInterpreter ? 'its interpreter is missing' : 'not an executable format');
    findings.push({ check: 'run', status: 'skip', summary: `not run: ${why}`, fix: notHere ? 'run doctor on that platform (or in CI there)' : undefined });
    return report('not run');
  }

  // 5. Run it the way the CLI does: clean environment, another directory, no TTY, stdin /dev/null.
  const scratch = mkdtempSync(join(tmpdir(), 'ocm-doctor-'));
  try {
    const home = join(scratch, 'home');
    const cwd = join(scratch, 'work');
    mkdirSync(home);
    mkdirSync(cwd);
    const baseEnv: NodeJS.ProcessEnv = { PATH: pluginPath, HOME: home, TMPDIR: tmpdir() };
    const environment = `env only PATH, HOME=<empty dir>, TMPDIR; cwd ${cwd}; stdin /dev/null; stdout/stderr pipes (no TTY)`;

    const caps = await capabilities(file, baseEnv, cwd);
    if ('error' in caps) {
      // Every later run would fail the same way; say why once instead of blaming what those runs vary.
      findings.push({
        check: 'run',
        status: 'fail',
        summary: `cannot be started: ${spawnProblem(caps.error, file)}; every ocm command fails with "failed to start plugin ${id}"`,
        fix: format.kind === 'script' ? interpreterFix(format.interpreter) : 'build it for this platform, or run doctor where it runs',
      });
      return report(environment);
    }
    measurements.capabilitiesMs = caps.durationMs;
    if (caps.timedOut || caps.exitCode !== 0) {
      findings.push({
        check: 'capabilities',
        status: 'fail',
        summary: caps.timedOut
          ? `\`${id} capabilities\` did not finish within ${LOCATION_TIMEOUT_MS / 1000} s; the CLI has no timeout and would hang on every command`
          : `\`${id} capabilities\` ${caps.signal ? `is killed by ${caps.signal}` : `exits ${caps.exitCode}`}${caps.stderr.trim() ? ' (its stderr ends as shown)' : ' without a word on stderr'}: every ocm command fails with "failed to start plugin ${id}"`,
        fix: `run it by hand in a clean environment and fix what stderr says: env -i PATH="$PATH" ${file} capabilities`,
        detail: caps.stderr ? excerpt(caps.stderr, 6) : undefined,
      });
    } else {
      // The reference host's handshake parser decides; doctor adds the budget and the stderr noise.
      const parsed = parseCapabilities(caps.stdout);
      const notJson = parsed.issues.find((i) => i.code === 'stdout-not-json');
      if (notJson) {
        findings.push({ check: 'capabilities', status: 'fail', summary: notJson.message, fix: notJson.fix });
      } else {
        const ms = caps.durationMs;
        findings.push({
          check: 'capabilities',
          status: ms <= capBudget ? 'pass' : devLauncher ? 'warn' : 'fail',
          summary: `exit 0 in ${ms} ms (budget ${capBudget} ms; it runs on every ocm command); stdout is one JSON document`,
          fix:
            ms <= capBudget
              ? undefined
              : devLauncher
                ? DEV_LAUNCHER_SPEED
                : 'answer capabilities before loading server or handler code; bundle to one file; consider a packaged binary with a code cache',
        });
        if (caps.stderr.trim()) {
          findings.push({
            check: 'capabilities',
            status: 'warn',
            summary: `writes to stderr, which the CLI shows raw on every command: ${JSON.stringify(tail(caps.stderr, 1).slice(0, 100))}`,
            fix: 'stay silent during capabilities',
          });
        }
        findings.push(...handshakeFindings(parsed));
      }
    }

    // 6. NODE_OPTIONS inherited from the user's shell; only telling when capabilities works without it.
    const nodeOptions = '--require /nonexistent/ocm-doctor-probe.cjs';
    const probe = caps.exitCode === 0 ? await capabilities(file, { ...baseEnv, NODE_OPTIONS: nodeOptions }, cwd) : undefined;
    const withOptions = probe && 'error' in probe ? { exitCode: null, signal: null, stdout: '', stderr: probe.error.message } : probe;
    findings.push(
      !withOptions
        ? { check: 'NODE_OPTIONS', status: 'skip', summary: 'not checked: capabilities fails without NODE_OPTIONS too' }
        : withOptions.exitCode === 0 && withOptions.stdout === caps.stdout
          ? { check: 'NODE_OPTIONS', status: 'pass', summary: `with NODE_OPTIONS="${nodeOptions}" capabilities still answers the same` }
          : {
              check: 'NODE_OPTIONS',
              status: 'warn',
              summary: `with NODE_OPTIONS="${nodeOptions}" capabilities ${withOptions.exitCode === 0 ? 'answers differently' : `exits ${withOptions.exitCode ?? withOptions.signal}`}: a user's broken NODE_OPTIONS reaches the plugin through the CLI and breaks every ocm command`,
              fix:
                format.kind === 'script'
                  ? 'expected for a Node.js script (the dev launcher too); the single executables of ocm-plugin build (in a generated project npm run build) ignore NODE_OPTIONS'
                  : 'a Node.js SEA ignores NODE_OPTIONS when built with "execArgvExtension": "none" in its sea-config (Node.js releases that have the field); otherwise document it',
              detail: withOptions.stderr ? excerpt(withOptions.stderr, 1) : undefined,
            },
    );

    // 7. Serve, with a TMPDIR too long for a socket path.
    const longTmp = join(scratch, 't'.repeat(Math.max(10, 120 - scratch.length)));
    mkdirSync(longTmp);
    const longEnv = { ...baseEnv, TMPDIR: longTmp };
    const longLabel = `with TMPDIR of ${Buffer.byteLength(longTmp)} bytes`;
    let served = await checkServe(file, id, longEnv, cwd, startBudget, longLabel);
    if (served.started && served.locationMs! > startBudget) {
      // The empty HOME makes this the first start after installing: a single executable unpacks its runtime into
      // the user's cache then, once. Every later ocm command gets the second start, so the budget judges that one.
      const first = served.locationMs!;
      const again = await checkServe(file, id, longEnv, cwd, startBudget, longLabel);
      if (again.started) {
        served = {
          ...again,
          findings: again.findings.map((f) =>
            f.check === 'start' ? { ...f, summary: `${f.summary}; the first start took ${first} ms (once after installing: unpacking, cache fill)` } : f,
          ),
        };
      }
    }
    if (devLauncher) {
      served = {
        ...served,
        findings: served.findings.map((f) =>
          f.check === 'start' && f.status === 'fail' && served.started ? { ...f, status: 'warn', fix: DEV_LAUNCHER_SPEED } : f,
        ),
      };
    }
    if (!served.started) {
      const retry = await checkServe(file, id, baseEnv, cwd, startBudget, 'with the default TMPDIR');
      if (retry.started) {
        // Node.js 26 refuses to bind such a path (EINVAL) where 20 and 22 bind a truncated one: the same fault as a
        // too-long printed path, so it is reported as a socket failure either way.
        const max = SOCKET_PATH_MAX[process.platform === 'darwin' ? 'darwin' : 'linux'];
        findings.push({
          check: 'socket',
          status: 'fail',
          summary: `starts with a short TMPDIR but not with a ${Buffer.byteLength(longTmp)}-byte one: the socket path under it is over the ${max}-byte limit of this platform (sun_path), which Node.js refuses to bind`,
          fix: 'when TMPDIR/<socket> is longer than 103 bytes, put the socket under /tmp (the SDK does)',
        });
        findings.push(...served.findings.filter((f) => f.check === 'start').map((f) => ({ ...f, check: 'socket' })), ...retry.findings);
        measurements.locationMs = retry.locationMs;
      } else {
        // It fails with the default TMPDIR as well, so the long one is not the cause: report the plain start.
        findings.push(...retry.findings);
      }
    } else {
      findings.push(...served.findings);
      measurements.locationMs = served.locationMs;
    }
    if (served.started) findings.push(await checkTcp(file, id, baseEnv, cwd));
    return report(environment);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
