/**
 * `ocm-plugin doctor`: runs a plugin executable the way the ocm CLI will (clean environment, another working
 * directory, no TTY, stdin /dev/null, a long TMPDIR) and reports everything that would make the CLI fail or hang,
 * each with how to fix it. Static checks (name, executable bit, format and #! interpreter, Mach-O signature, size)
 * need no run.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants, existsSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { embeddedRuntimeFindings } from './embedded-runtime.js';
import { executableFormat, nodeArch, type ExecutableFormat } from '../build/executable-format.js';
import { builtinFor, goExt, LOCATION_TIMEOUT_MS, managerConfigJson, managerKind, MANAGER_KINDS, parseLocationLine, pluginIdProblem, SOCKET_PATH_MAX } from '@ocm-plugin-kit/sdk/host-facts';
import { resolveInterpreter, spawnProblem } from './interpreter.js';
import { readLauncher } from '../dev/install.js';
import { checkTypeSchema } from '../schema/check.js';

/** The kinds ocm CLI v0.13.0 accepts, for messages. */
const RELEASED = MANAGER_KINDS.filter((k) => !k.headOnly).map((k) => k.kind);

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

interface RunResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly error?: NodeJS.ErrnoException;
  readonly timedOut: boolean;
}

const MiB = 1024 * 1024;

function run(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const started = performance.now();
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let error: NodeJS.ErrnoException | undefined;
    const child = spawn(file, args, { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (err) => (error = err));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: Math.round(performance.now() - started), error, timedOut });
    });
  });
}

/** The lines of stderr worth showing: from the first error line on, else the last ones. */
function excerpt(text: string, lines = 3): string {
  const all = text.trimEnd().split('\n');
  const i = all.findIndex((l) => /\b(Error|error|ERROR)\b/.test(l));
  return i >= 0 ? all.slice(i, i + lines).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l)).join('\n') : tail(text, lines);
}

const tail = (text: string, lines = 6): string => text.trimEnd().split('\n').slice(-lines).map((l) => (l.length > 300 ? `${l.slice(0, 300)}…` : l)).join('\n');

function runnableHere(format: ExecutableFormat): string | undefined {
  const here = `${process.platform}-${process.arch}`;
  switch (format.kind) {
    case 'elf':
      if (process.platform !== 'linux' && process.platform !== 'freebsd') return `it is a Linux (ELF) executable and this is ${here}`;
      return nodeArch(format.arch) === process.arch ? undefined : `it is a linux-${nodeArch(format.arch)} executable and this is ${here}`;
    case 'macho':
      if (process.platform !== 'darwin') return `it is a macOS (Mach-O) executable and this is ${here}`;
      return format.slices.some((s) => nodeArch(s.arch) === process.arch || (s.arch === 'x86_64' && process.arch === 'arm64')) ? undefined : `it holds no ${process.arch} code`;
    case 'pe':
      return process.platform === 'win32' ? undefined : `it is a Windows (PE) executable and this is ${here}`;
    default:
      return undefined;
  }
}

/** Checks the `capabilities` document; returns findings and the types per kind. */
function checkHandshake(doc: unknown): Finding[] {
  const findings: Finding[] = [];
  const fail = (summary: string, fix: string) => findings.push({ check: 'handshake', status: 'fail', summary, fix });
  const warn = (summary: string, fix: string) => findings.push({ check: 'handshake', status: 'warn', summary, fix });
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    fail('the capabilities output is not a JSON object', 'print {"capabilities":[…]}');
    return findings;
  }
  const envelope = doc as Record<string, unknown>;
  for (const key of Object.keys(envelope)) {
    if (key !== 'capabilities' && key !== 'supportedConfigTypes') warn(`unknown top-level field "${key}" (the manager ignores it)`, 'remove it, or keep it as a deliberate extension');
  }
  if (envelope.supportedConfigTypes !== undefined && (!Array.isArray(envelope.supportedConfigTypes) || envelope.supportedConfigTypes.some((t) => typeof t !== 'string'))) {
    fail('supportedConfigTypes is not an array of type strings; the manager fails to decode it', 'emit ["my.config/v1"] or omit the field');
  }
  const caps = envelope.capabilities;
  if (!Array.isArray(caps)) {
    fail(`"capabilities" is ${caps === undefined ? 'missing' : typeof caps}, not an array`, 'print {"capabilities":[{"type":"<kind>",…}]}');
    return findings;
  }
  if (caps.length === 0) warn('the plugin declares no capability: the CLI never uses it', 'register at least one capability');
  const kinds = new Set<string>();
  const summary: string[] = [];
  const reserved: string[] = [];
  const schemaProblems: Finding[] = [];
  let schemas = 0;
  for (const cap of caps) {
    if (!cap || typeof cap !== 'object' || Array.isArray(cap)) {
      fail('a capabilities entry is not an object', 'each entry is {"type":"<kind>", "<list field>":[…]}');
      continue;
    }
    const c = cap as Record<string, unknown>;
    const kind = c.type;
    if (typeof kind !== 'string' || kind === '') {
      fail(`a capability has ${kind === undefined ? 'no' : 'an empty or non-string'} "type"; the manager fails with "unsupported type"`, `set "type" to one of ${RELEASED.join(', ')}`);
      continue;
    }
    if (managerKind(kind, 'head')?.headOnly) {
      fail(`capability ${kind} is only known to the upstream HEAD manager: ocm CLI v0.13.0 fails on every command`, 'do not advertise it to v0.13.0 (SDK: target v0.13.0 refuses it)');
      continue;
    }
    const fields = managerKind(kind)?.listFields;
    if (!fields) {
      fail(`unknown capability kind "${kind}"${kind.includes('/') ? ' (kind strings are unversioned)' : ''}: registration fails, so every ocm command fails`, `use one of ${RELEASED.join(', ')}`);
      continue;
    }
    if (kinds.has(kind)) {
      if (managerKind(kind)?.replacedWhenRepeated) warn(`${kind} is declared twice; the manager keeps only the last one's schemas`, 'put all types into one capability object');
      else fail(`${kind} is declared twice: "plugin with ID … already registered" fails every ocm command`, 'put all types into one capability object');
    }
    kinds.add(kind);
    const seen = new Set<string>();
    let count = 0;
    for (const field of fields) {
      const list = c[field];
      if (list === undefined || list === null) continue;
      if (!Array.isArray(list)) {
        fail(`${kind}.${field} is ${typeof list}, not an array: the manager's decoder fails`, `emit ${field} as an array of {"type","aliases","jsonSchema"}`);
        continue;
      }
      for (const entry of list) {
        const e = (entry && typeof entry === 'object' ? entry : {}) as Record<string, unknown>;
        const type = e.type;
        if (typeof type !== 'string' || type === '') {
          fail(`${kind}.${field} has an entry without a type string`, 'each entry needs "type":"Name/version"');
          continue;
        }
        count++;
        const slash = type.split('/');
        if (slash.length > 2 || slash[0] === '') fail(`${kind}: type "${type}" is not "Name" or "Name/version" (at most one "/")`, 'use a dotted name and a version, e.g. Greeting.acme.org/v1');
        else if (slash.length === 1) warn(`${kind}: type "${type}" has no version; lookups are exact, so users must write it exactly so`, `declare "${type}/v1"`);
        if (seen.has(`${field}:${type}`)) fail(`${kind}: type "${type}" is declared twice in ${field}`, 'declare each type once');
        seen.add(`${field}:${type}`);
        if (e.aliases !== undefined && e.aliases !== null && (!Array.isArray(e.aliases) || e.aliases.some((a) => typeof a !== 'string'))) {
          fail(`${kind}: aliases of ${type} are not an array of strings or null`, 'emit "aliases":null');
        }
        if (builtinFor(kind, field, type) === 'v0.13.0') reserved.push(`${kind} ${type}`);
        if (field !== 'customCredentialTypes' || e.jsonSchema !== undefined) {
          schemas++;
          for (const p of checkTypeSchema(type, e.jsonSchema)) schemaProblems.push({ check: 'schemas', status: p.severity, summary: p.message, fix: p.fix });
        }
      }
    }
    if (count === 0) warn(`${kind} declares no types: the CLI never routes anything to it`, `list the spec types in ${fields.join('/')}`);
    summary.push(`${kind} (${count} type${count === 1 ? '' : 's'})`);
  }
  if (!findings.some((f) => f.status === 'fail')) findings.push({ check: 'handshake', status: 'pass', summary: `${summary.join(', ') || 'no capabilities'}; all kinds known to ocm v0.13.0` });
  findings.push(...schemaProblems);
  if (schemaProblems.length === 0 && schemas > 0) findings.push({ check: 'schemas', status: 'pass', summary: `${schemas} jsonSchema${schemas === 1 ? '' : 's'}: padded base64, one JSON document, compiles (draft 2020-12 default), RE2 patterns, accepts its type` });
  if (reserved.length > 0) {
    findings.push({ check: 'reserved names', status: 'fail', summary: `claims built-in type names, so the CLI never calls the plugin for them: ${reserved.join(', ')}`, fix: 'rename to a dotted, versioned name of your own, e.g. MyInput.acme.org/v1 (sdk/docs/ocm-cli.md §6 lists the reserved names)' });
  } else if (caps.length > 0) {
    findings.push({ check: 'reserved names', status: 'pass', summary: 'no built-in type name claimed' });
  }
  return findings;
}

function httpGet(socketPath: string | undefined, port: number | undefined, path: string, timeoutMs: number): Promise<{ status: number } | { error: string }> {
  return new Promise((resolve) => {
    const req = request({ socketPath, host: socketPath ? 'unix' : '127.0.0.1', port, path, method: 'GET', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0 }));
    });
    req.on('timeout', () => {
      req.destroy();
      resolve({ error: `no answer within ${timeoutMs} ms` });
    });
    req.on('error', (err) => resolve({ error: err.message }));
    req.end();
  });
}

interface ServeRun {
  readonly findings: readonly Finding[];
  readonly locationMs?: number;
  readonly started: boolean;
}

/** Starts `--config`, checks the location line, /healthz, stdout after the line, stderr log lines, SIGINT. */
async function checkServe(file: string, id: string, env: NodeJS.ProcessEnv, cwd: string, budgetMs: number, label: string): Promise<ServeRun> {
  const findings: Finding[] = [];
  const config = managerConfigJson(id);
  const started = performance.now();
  const child = spawn(file, ['--config', config], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let spawnError: NodeJS.ErrnoException | undefined;
  child.on('error', (err) => (spawnError = err));
  let exitInfo: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  void exited.then((e) => (exitInfo = e));

  // Like the manager: take the first stdout line that starts with http:// or http+unix://, skip others.
  let lineEnd = -1;
  let location: string | undefined;
  let skipped: string[] = [];
  const deadline = started + LOCATION_TIMEOUT_MS;
  while (performance.now() < deadline && !exitInfo) {
    const lines = stdout.split('\n');
    lines.pop();
    const idx = lines.findIndex((l) => parseLocationLine(l) !== undefined);
    if (idx >= 0) {
      location = lines[idx]!.replace(/\r$/, '');
      skipped = lines.slice(0, idx);
      lineEnd = lines.slice(0, idx + 1).join('\n').length + 1;
      break;
    }
    await new Promise((r) => setTimeout(r, 5));
  }
  const locationMs = Math.round(performance.now() - started);
  if (!location) {
    if (!exitInfo) child.kill('SIGKILL');
    const e = exitInfo ?? (await exited);
    const said = stderr.trim() !== '';
    findings.push({
      check: 'start',
      status: 'fail',
      summary: spawnError
        ? `${label}: cannot be started: ${spawnProblem(spawnError, file)}`
        : exitInfo
          ? `${label}: ${e.signal ? `killed by ${e.signal}` : `exited with code ${e.code}`} after ${locationMs} ms without printing a location line${said ? '; its stderr ends as shown' : ' and without a word on stderr'}; the ocm CLI would wait 30 s, then report "timed out waiting for server to start"`
          : `${label}: no location line within ${LOCATION_TIMEOUT_MS / 1000} s; the ocm CLI gives up at that point`,
      fix: exitInfo && said
        ? `fix what its stderr says; to see it all, run it by hand: ${file} --config '${config}'`
        : 'bind the listener, then print exactly one line "http+unix://<socket path>" (or "http://127.0.0.1:<port>") with a newline on stdout',
      detail: said ? tail(stderr) : undefined,
    });
    return { findings, started: false };
  }
  findings.push({
    check: 'start',
    status: locationMs > budgetMs ? 'fail' : 'pass',
    summary: `${label}: location line after ${locationMs} ms (budget ${budgetMs} ms)`,
    fix: locationMs > budgetMs ? 'start faster: bundle to one file (ocm-plugin bundle), load handler code lazily, avoid work before listening' : undefined,
  });
  if (skipped.length > 0) {
    findings.push({ check: 'stdout', status: 'warn', summary: `${skipped.length} stdout line(s) before the location line (the manager skips them): ${JSON.stringify(skipped[0]!.slice(0, 80))}`, fix: 'write logs to stderr; stdout carries only the location line' });
  }

  let socketPath: string | undefined;
  let port: number | undefined;
  const address = parseLocationLine(location);
  if (address && 'socketPath' in address) {
    socketPath = address.socketPath;
    const bytes = Buffer.byteLength(socketPath);
    const max = SOCKET_PATH_MAX[process.platform === 'darwin' ? 'darwin' : 'linux'];
    if (!socketPath.startsWith('/')) {
      findings.push({ check: 'socket', status: 'fail', summary: `socket path ${socketPath} is not absolute`, fix: 'print http+unix:// followed by the absolute socket path (three slashes in all)' });
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
    findings.push({ check: 'socket', status: 'fail', summary: `printed ${location} although --config asked for "type":"unix"; the manager dials the unix socket it expects and hangs`, fix: 'follow the "type" of --config: a Unix socket for "unix", 127.0.0.1 for "tcp"' });
    try {
      port = Number(new URL(location).port);
    } catch {
      port = undefined;
    }
  }

  if (socketPath || port) {
    const h = await httpGet(socketPath, port, '/healthz', 5_000);
    if ('error' in h) findings.push({ check: 'healthz', status: 'fail', summary: `GET /healthz: ${h.error}; the manager polls it without a deadline, so the CLI would hang`, fix: 'serve /healthz (any response ends the wait; 200 is expected)' });
    else findings.push({ check: 'healthz', status: h.status === 200 ? 'pass' : 'warn', summary: `GET /healthz → ${h.status}`, fix: h.status === 200 ? undefined : 'answer GET /healthz with 200' });
  }

  await new Promise((r) => setTimeout(r, 300));
  const after = stdout.slice(lineEnd);
  findings.push(
    after.length > 0
      ? { check: 'stdout', status: 'fail', summary: `wrote ${after.length} bytes to stdout after the location line (${JSON.stringify(after.slice(0, 60))}); nobody reads it, so the pipe fills and the plugin blocks`, fix: 'log to stderr only (ctx.log)' }
      : { check: 'stdout', status: 'pass', summary: 'nothing on stdout after the location line' },
  );

  child.kill('SIGINT');
  const stopStarted = performance.now();
  const exit = await Promise.race([exited, new Promise<undefined>((r) => setTimeout(() => r(undefined), 10_000))]);
  if (!exit) {
    child.kill('SIGKILL');
    await exited;
    findings.push({ check: 'shutdown', status: 'fail', summary: 'still running 10 s after SIGINT; the CLI kills input and lister plugins at that point and leaves others running', fix: 'on SIGINT/SIGTERM: stop accepting, finish in-flight work, remove the socket, exit 0' });
  } else {
    const leftover = socketPath && existsSync(socketPath);
    findings.push({
      check: 'shutdown',
      status: exit.code === 0 && !leftover ? 'pass' : 'warn',
      summary: `SIGINT → exit ${exit.code ?? exit.signal} after ${Math.round(performance.now() - stopStarted)} ms${leftover ? `; socket ${socketPath} left behind` : ', socket removed'}`,
      fix: exit.code === 0 && !leftover ? undefined : 'handle SIGINT: remove the socket, exit 0 (the CLI never removes it)',
    });
  }

  const lines = stderr.split('\n').filter((l) => l.trim() !== '');
  const bad: string[] = [];
  const crash: string[] = [];
  for (const line of lines) {
    if (line.length > 64 * 1024) {
      crash.push(`a ${line.length}-byte line stops the manager's log reader for good`);
      continue;
    }
    let rec: unknown;
    try {
      rec = JSON.parse(line);
    } catch {
      bad.push(line);
      continue;
    }
    const r = rec as Record<string, unknown>;
    if (!r || typeof r !== 'object' || !('msg' in r) || !('level' in r)) bad.push(line);
    else if (typeof r.msg !== 'string' || typeof r.level !== 'string') crash.push(`non-string msg/level: ${line.slice(0, 120)}`);
    else if (!['DEBUG', 'INFO', 'WARN', 'ERROR'].includes(r.level)) bad.push(line);
  }
  if (crash.length > 0) findings.push({ check: 'logs', status: 'fail', summary: `stderr lines that break the CLI: ${crash[0]}`, fix: 'log JSON objects with string "msg" and string "level" (DEBUG/INFO/WARN/ERROR), under 64 KiB per line' });
  else if (bad.length > 0) findings.push({ check: 'logs', status: 'warn', summary: `${bad.length} of ${lines.length} stderr lines are dropped by the CLI (not JSON with string msg and level DEBUG/INFO/WARN/ERROR): ${JSON.stringify(bad[0]!.slice(0, 100))}`, fix: 'log one JSON object per line: {"level":"INFO","msg":"…"}' });
  else findings.push({ check: 'logs', status: 'pass', summary: lines.length ? `${lines.length} stderr line(s), all in the format the CLI re-logs` : 'no stderr output at the default log level' });
  return { findings, locationMs, started: true };
}

/** The manager asks for TCP where it cannot listen on a Unix socket (scratch containers): `"type":"tcp"`. */
async function checkTcp(file: string, id: string, env: NodeJS.ProcessEnv, cwd: string): Promise<Finding> {
  const config = managerConfigJson(id, { type: 'tcp' });
  const child = spawn(file, ['--config', config], { env, cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child.on('error', () => {});
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
  let done = false;
  void exited.then(() => (done = true));
  const deadline = performance.now() + LOCATION_TIMEOUT_MS;
  let location: string | undefined;
  while (!location && !done && performance.now() < deadline) {
    location = stdout.split('\n').slice(0, -1).find((l) => parseLocationLine(l) !== undefined)?.replace(/\r$/, '');
    if (!location) await new Promise((r) => setTimeout(r, 5));
  }
  const finish = async (f: Finding): Promise<Finding> => {
    if (!done) {
      child.kill('SIGINT');
      const gone = await Promise.race([exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), 10_000))]);
      if (!gone) {
        child.kill('SIGKILL');
        await exited;
      }
    }
    return f;
  };
  const fix = 'for "type":"tcp" listen on 127.0.0.1 port 0 and print http://127.0.0.1:<port> (the SDK does)';
  if (!location) return finish({ check: 'tcp', status: 'fail', summary: `with "type":"tcp": no location line${done ? ' (the plugin exited)' : ''}`, fix, detail: stderr ? excerpt(stderr) : undefined });
  const m = /^http:\/\/([^/]+):(\d+)$/.exec(location);
  if (!m) return finish({ check: 'tcp', status: 'fail', summary: `with "type":"tcp" it printed ${JSON.stringify(location)}; the manager dials the line minus "http://"`, fix });
  const host = m[1]!;
  const h = await httpGet(undefined, Number(m[2]), '/healthz', 5_000);
  if ('error' in h) return finish({ check: 'tcp', status: 'fail', summary: `with "type":"tcp": GET /healthz on ${location}: ${h.error}`, fix });
  const loopback = host === '127.0.0.1' || host === 'localhost' || host === '[::1]';
  return finish({
    check: 'tcp',
    status: loopback ? 'pass' : 'warn',
    summary: `with "type":"tcp": ${location}, GET /healthz → ${h.status}${loopback ? '' : '; listening beyond loopback exposes the plugin to the network'}`,
    fix: loopback ? undefined : 'bind 127.0.0.1 only',
  });
}

const DEV_LAUNCHER_SPEED = 'the dev launcher checks the sources on every run, so it is slower than the plugin; run npm run doctor (or doctor on the bundle or single executable) to time the plugin itself';

/** The name check: the manager's discovery looks only at the base name, and the base name is the plugin id. */
function checkName(base: string, file: string, options: DoctorOptions): Finding {
  const install = options.install;
  const id = install?.id ?? base;
  const ext = goExt(base);
  if (!install && ext) {
    const stem = base.slice(0, base.length - ext.length) || 'my-plugin';
    return { check: 'name', status: 'fail', summary: `"${base}" has the extension "${ext}": the ocm CLI skips it, so the plugin is never found`, fix: `install it without the extension: cp ${file} <plugin dir>/${stem} (or a symlink of that name)` };
  }
  const problem = pluginIdProblem(id);
  if (problem) return { check: 'name', status: 'fail', summary: `plugin id ${problem}`, fix: install ? 'choose an id without "." or "/" (the "bin" name in package.json)' : 'rename the file' };
  if (install && base !== id) {
    return { check: 'name', status: 'warn', summary: `"${base}" has the extension "${ext}", so the ocm CLI skips this file itself; installed as "${id}" it is found`, fix: `install it as ${id}: ${install.commands}` };
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
    findings.push({ check: 'file', status: 'fail', summary: `${file} does not exist${file !== executable ? ` (${executable} resolved against ${process.cwd()})` : ''}`, fix: options.install ? 'build it first (see the project\'s README)' : 'give the path of the plugin executable' });
    return report('not run');
  }
  let st;
  try {
    st = statSync(file);
  } catch {
    findings.push({ check: 'file', status: 'fail', summary: `${file} is a dangling symlink; running it fails, which fails every ocm command`, fix: 'point the link at the built plugin' });
    return report('not run');
  }
  if (st.isDirectory()) {
    findings.push({ check: 'file', status: 'fail', summary: lst.isSymbolicLink() ? 'a symlink to a directory: the manager executes it and every ocm command fails' : 'a directory, not an executable', fix: 'put the plugin executable (or a symlink to it) into the plugin directory' });
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
      : { check: 'file', status: 'fail', summary: `not executable (mode ${(st.mode & 0o777).toString(8)}): running it fails, which fails every ocm command`, fix: `chmod +x ${real}` },
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
          ? { check: 'interpreter', status: 'fail', summary: `#!${interpreter.line}: ${interpreter.problem}; running it fails, which fails every ocm command`, fix: interpreterFix(format.interpreter) }
          : { check: 'interpreter', status: 'pass', summary: `#!${interpreter.line} runs ${interpreter.resolved} (on the plugin's PATH)` },
      );
      break;
    }
    case 'pe':
      findings.push({ check: 'format', status: 'warn', summary: 'Windows (PE) executable: ocm v0.13.0 skips names with an extension, so a Windows plugin cannot be discovered', fix: 'ship Linux and macOS builds; Windows is not usable with v0.13.0' });
      break;
    case 'elf':
      findings.push({ check: 'format', status: 'pass', summary: `ELF ${format.arch}` });
      break;
    default:
      // Node's spawn would retry such a file with /bin/sh (execvp does); the Go manager does not, so it is not run here.
      findings.push({ check: 'format', status: 'fail', summary: 'neither a native executable nor a #! script: the ocm CLI gets "exec format error", which fails every ocm command', fix: 'start a script with a #! line such as #!/usr/bin/env node' });
  }

  // (Checks of what a single executable embeds, such as the version of its Node.js runtime read from the
  // executable's metadata, go here: after the format is known, before anything runs.)

  // 4. Size.
  measurements.sizeBytes = statSync(real).size;
  findings.push({
    check: 'size',
    status: measurements.sizeBytes > sizeBudget ? 'fail' : 'pass',
    summary: `${(measurements.sizeBytes / MiB).toFixed(1)} MiB (budget ${(sizeBudget / MiB).toFixed(0)} MiB)${format.kind === 'script' ? '; a script also needs its interpreter on the user\'s machine' : ''}`,
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

    const caps = await run(file, ['capabilities'], baseEnv, cwd, LOCATION_TIMEOUT_MS);
    measurements.capabilitiesMs = caps.ms;
    if (caps.error) {
      // Every later run would fail the same way; say why once instead of blaming what those runs vary.
      findings.push({ check: 'run', status: 'fail', summary: `cannot be started: ${spawnProblem(caps.error, file)}; every ocm command fails with "failed to start plugin ${id}"`, fix: format.kind === 'script' ? interpreterFix(format.interpreter) : 'build it for this platform, or run doctor where it runs' });
      return report(environment);
    }
    let doc: unknown;
    if (caps.timedOut || caps.code !== 0) {
      findings.push({
        check: 'capabilities',
        status: 'fail',
        summary: caps.timedOut
          ? `\`${id} capabilities\` did not finish within ${LOCATION_TIMEOUT_MS / 1000} s; the CLI has no timeout and would hang on every command`
          : `\`${id} capabilities\` ${caps.signal ? `is killed by ${caps.signal}` : `exits ${caps.code}`}${caps.stderr.trim() ? ' (its stderr ends as shown)' : ' without a word on stderr'}: every ocm command fails with "failed to start plugin ${id}"`,
        fix: `run it by hand in a clean environment and fix what stderr says: env -i PATH="$PATH" ${file} capabilities`,
        detail: caps.stderr ? excerpt(caps.stderr, 6) : undefined,
      });
    } else {
      try {
        doc = JSON.parse(caps.stdout);
      } catch (err) {
        const lines = caps.stdout.split('\n').filter((l) => l.trim());
        const jsonLine = lines.findIndex((l) => l.trim().startsWith('{"capabilities"'));
        findings.push({
          check: 'capabilities',
          status: 'fail',
          summary:
            jsonLine >= 0
              ? `stdout holds more than the JSON document (${lines.length - 1} other line(s), e.g. ${JSON.stringify((lines[jsonLine === 0 ? 1 : 0] ?? '').slice(0, 60))}); the manager parses all of stdout and fails every command`
              : `stdout is not one JSON document (${(err as Error).message}): ${JSON.stringify(caps.stdout.slice(0, 80))}`,
          fix: 'print only the capabilities JSON on stdout; logs and banners go to stderr',
        });
      }
      if (doc !== undefined) {
        findings.push({
          check: 'capabilities',
          status: caps.ms <= capBudget ? 'pass' : devLauncher ? 'warn' : 'fail',
          summary: `exit 0 in ${caps.ms} ms (budget ${capBudget} ms; it runs on every ocm command); stdout is one JSON document`,
          fix: caps.ms <= capBudget ? undefined : devLauncher ? DEV_LAUNCHER_SPEED : 'answer capabilities before loading server or handler code; bundle to one file; consider a packaged binary with a code cache',
        });
        if (caps.stderr.trim()) {
          findings.push({ check: 'capabilities', status: 'warn', summary: `writes to stderr, which the CLI shows raw on every command: ${JSON.stringify(tail(caps.stderr, 1).slice(0, 100))}`, fix: 'stay silent during capabilities' });
        }
        findings.push(...checkHandshake(doc));
      }
    }

    // 6. NODE_OPTIONS inherited from the user's shell; only telling when capabilities works without it.
    const nodeOptions = '--require /nonexistent/ocm-doctor-probe.cjs';
    const withOptions = caps.code === 0 ? await run(file, ['capabilities'], { ...baseEnv, NODE_OPTIONS: nodeOptions }, cwd, LOCATION_TIMEOUT_MS) : undefined;
    findings.push(
      !withOptions
        ? { check: 'NODE_OPTIONS', status: 'skip', summary: 'not checked: capabilities fails without NODE_OPTIONS too' }
        : withOptions.code === 0 && withOptions.stdout === caps.stdout
        ? { check: 'NODE_OPTIONS', status: 'pass', summary: `with NODE_OPTIONS="${nodeOptions}" capabilities still answers the same` }
        : {
            check: 'NODE_OPTIONS',
            status: 'warn',
            summary: `with NODE_OPTIONS="${nodeOptions}" capabilities ${withOptions.code === 0 ? 'answers differently' : `exits ${withOptions.code ?? withOptions.signal}`}: a user's broken NODE_OPTIONS reaches the plugin through the CLI and breaks every ocm command`,
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
          findings: again.findings.map((f) => (f.check === 'start' ? { ...f, summary: `${f.summary}; the first start took ${first} ms (once after installing: unpacking, cache fill)` } : f)),
        };
      }
    }
    if (devLauncher) {
      served = { ...served, findings: served.findings.map((f) => (f.check === 'start' && f.status === 'fail' && served.started ? { ...f, status: 'warn', fix: DEV_LAUNCHER_SPEED } : f)) };
    }
    if (!served.started) {
      const retry = await checkServe(file, id, baseEnv, cwd, startBudget, 'with the default TMPDIR');
      if (retry.started) {
        // Node.js 26 refuses to bind such a path (EINVAL) where 20 and 22 bind a truncated one: the same fault as a
        // too-long printed path, so it is reported as a socket failure either way.
        const max = SOCKET_PATH_MAX[process.platform === 'darwin' ? 'darwin' : 'linux'];
        findings.push({ check: 'socket', status: 'fail', summary: `starts with a short TMPDIR but not with a ${Buffer.byteLength(longTmp)}-byte one: the socket path under it is over the ${max}-byte limit of this platform (sun_path), which Node.js refuses to bind`, fix: 'when TMPDIR/<socket> is longer than 103 bytes, put the socket under /tmp (the SDK does)' });
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
