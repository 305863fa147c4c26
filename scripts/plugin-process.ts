/**
 * Test support: starts a plugin executable the way the OCM plugin manager does (`--config '<json>'`, stdin
 * /dev/null, piped stdout/stderr), reads the location line and talks HTTP to it. Not the reference host (that is
 * `conformance/`); this is the minimal client the SDK's own lifecycle tests use.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { Agent, request as undiciRequest } from 'undici';
import { managerConfigJson, parseLocationLine } from '../sdk/src/host-facts/index.js';

export interface StartOptions {
  readonly id?: string;
  readonly type?: 'unix' | 'tcp';
  readonly idleTimeoutNs?: number;
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** Extra fields merged into the config JSON. */
  readonly config?: Record<string, unknown>;
  /** Raw config argument, replacing the generated one. */
  readonly rawConfig?: string;
  readonly locationTimeoutMs?: number;
}

export interface HttpResult {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface PluginProcess {
  readonly child: ChildProcess;
  /** The location line without its newline. */
  readonly location: string;
  /** Everything the plugin wrote to stdout (must be just the location line). */
  stdout(): string;
  stderr(): string;
  /** JSON log lines parsed from stderr. */
  logs(): Array<Record<string, unknown>>;
  request(method: string, path: string, options?: { body?: string | object; headers?: Record<string, string> }): Promise<HttpResult>;
  /** Sends exact bytes (a whole HTTP/1.1 request) and returns the raw response text. */
  requestRaw(bytes: Buffer): Promise<string>;
  /** Resolves with the exit code (or signal) once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal?: NodeJS.Signals): void;
}

/** The exact `--config` JSON the v0.13.0 manager sends, for a plugin id, with extra fields appended. */
export function managerConfig(id: string, type: 'unix' | 'tcp' = 'unix', idleTimeoutNs?: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ ...JSON.parse(managerConfigJson(id, { type, idleTimeoutNs })), ...extra });
}

export async function startPlugin(executable: string, options: StartOptions = {}): Promise<PluginProcess> {
  const id = options.id ?? 'test-plugin';
  const config = options.rawConfig ?? managerConfig(id, options.type, options.idleTimeoutNs, options.config);
  const child = spawn(executable, ['--config', config], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
  });
  let out = '';
  let err = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const location = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no location line within ${options.locationTimeoutMs ?? 15000} ms; stderr: ${err}`)),
      options.locationTimeoutMs ?? 15000,
    );
    const check = () => {
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(timer);
        child.stdout!.off('data', check);
        resolve(out.slice(0, nl));
      }
    };
    child.stdout!.on('data', check);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`plugin exited (code ${code}, signal ${signal}) before printing a location; stderr: ${err}`));
    });
  });

  const address = parseLocationLine(location);
  if (!address) throw new Error(`not a location line: ${location}`);
  const target: { socketPath: string; host: string } | { host: string; port: number } =
    'socketPath' in address
      ? { socketPath: address.socketPath, host: 'unix' }
      : { host: new URL(address.origin).hostname, port: Number(new URL(address.origin).port) };
  // The reference host's HTTP client (undici); `reset` closes each connection after its request, as the manager's
  // first call on a fresh plugin would find it.
  const dispatcher = new Agent('socketPath' in address ? { connect: { socketPath: address.socketPath } } : {});
  const origin = 'socketPath' in address ? 'http://unix' : address.origin;
  void exited.then(() => dispatcher.close().catch(() => undefined));

  const request: PluginProcess['request'] = async (method, path, opts = {}) => {
    const body = opts.body === undefined ? undefined : typeof opts.body === 'string' ? opts.body : JSON.stringify(opts.body);
    const res = await undiciRequest(`${origin}${path}`, {
      method: method as 'GET',
      dispatcher,
      reset: true,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'User-Agent': 'Go-http-client/1.1', ...opts.headers },
      body,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    return { status: res.statusCode, headers: res.headers, body: await res.body.text() };
  };

  const requestRaw = (bytes: Buffer) =>
    new Promise<string>((resolve, reject) => {
      const sock = 'socketPath' in target ? connect(target.socketPath) : connect(target.port, target.host);
      const chunks: Buffer[] = [];
      sock.on('data', (c: Buffer) => chunks.push(c));
      sock.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      sock.on('error', reject);
      sock.write(bytes);
    });

  return {
    child,
    location,
    requestRaw,
    stdout: () => out,
    stderr: () => err,
    logs: () =>
      err
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Record<string, unknown>),
    request,
    exited,
    kill: (signal = 'SIGINT') => {
      child.kill(signal);
    },
  };
}
