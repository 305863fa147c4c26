/**
 * One running plugin process, started the way the manager starts it (sdk/docs/protocol.md §1.5–§1.8): argv
 * `[<path>, "--config", "<json>"]`, stdin /dev/null, stdout and stderr piped; the location line is scanned from
 * `io.MultiReader(stdout, stderr)` (stderr only after stdout hit EOF) within 30 s; then `GET /healthz` is polled every
 * 100 ms until any HTTP response arrives; stderr is parsed with the log streamer's rules.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { Agent, request as undiciRequest } from 'undici';
import { HostError, sleepUndefined } from './errors.js';
import { LineSplitter, parseLogLine, type LogIssue, type LogRecord } from './logs.js';
import { LOCATION_TIMEOUT_MS, MAX_LINE_BYTES, managerConfigJson, parseLocationLine } from '@ocm-plugin-kit/sdk/host-facts';

export { managerConfigJson, parseLocationLine };

export interface LaunchOptions {
  readonly id: string;
  readonly path: string;
  readonly type?: 'unix' | 'tcp';
  /** Integer nanoseconds, as the manager sends it. Default 1 h. */
  readonly idleTimeoutNs?: number;
  /** Replaces the generated `--config` argument. */
  readonly configJson?: string;
  /** `separate` (the manager: `--config <json>`) or `equals` (`--config=<json>`, which Go's flag package also accepts). */
  readonly argvStyle?: 'separate' | 'equals';
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  /** The manager waits 30 s for the location line. */
  readonly locationTimeoutMs?: number;
  /** The manager polls `/healthz` without a limit; the reference host gives up after this long. */
  readonly healthTimeoutMs?: number;
  /** Called for every log record the manager would re-emit. */
  readonly onLog?: (record: LogRecord) => void;
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  /** Milliseconds since spawn. */
  readonly atMs: number;
}

export interface HttpResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

export interface RequestOptions {
  readonly query?: string;
  readonly body?: string | Buffer;
  readonly headers?: Readonly<Record<string, string>>;
  readonly signal?: AbortSignal;
}

/** The headers the Go client sends on every capability call (sdk/docs/protocol.md §2.1). */
export const MANAGER_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json',
  accept: 'application/json',
  'user-agent': 'Go-http-client/1.1',
  'accept-encoding': 'gzip',
};

export class PluginInstance {
  readonly id: string;
  readonly path: string;
  readonly child: ChildProcess;
  readonly startedAt = performance.now();
  /** The location line, without newline. */
  location = '';
  socketPath: string | undefined;
  /** Milliseconds from spawn to the location line, and to the first `/healthz` answer. */
  locationMs = 0;
  readyMs = 0;
  /** stdout lines the location scan skipped (the manager logs them at debug and moves on). */
  readonly skippedLines: string[] = [];
  /** Where the location line came from (`stderr` only when stdout closed first). */
  locationFrom: 'stdout' | 'stderr' = 'stdout';
  /** Everything written to stdout after the location line (nobody reads it in the manager). */
  stdoutAfterLocation = '';
  stdout = '';
  stderr = '';
  readonly logs: LogRecord[] = [];
  readonly logIssues: LogIssue[] = [];
  readonly exit: Promise<ExitInfo>;
  exitInfo: ExitInfo | undefined;
  /** Why the process could not be started at all (ENOENT, EACCES, a missing #! interpreter …). */
  spawnError: NodeJS.ErrnoException | undefined;
  /** The status of the first `/healthz` answer. */
  healthStatus: number | undefined;
  private dispatcher: Agent | undefined;
  private origin = 'http://unix';

  private constructor(options: LaunchOptions) {
    this.id = options.id;
    this.path = options.path;
    const config = options.configJson ?? managerConfigJson(options.id, { type: options.type, idleTimeoutNs: options.idleTimeoutNs });
    const args = options.argvStyle === 'equals' ? [`--config=${config}`] : ['--config', config];
    this.child = spawn(options.path, args, { stdio: ['ignore', 'pipe', 'pipe'], env: options.env ?? process.env, cwd: options.cwd });
    this.exit = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        this.exitInfo = { code, signal, atMs: Math.round(performance.now() - this.startedAt) };
        resolve(this.exitInfo);
      });
      this.child.once('error', (err) => {
        this.spawnError = err;
        if (!this.exitInfo) {
          this.exitInfo = { code: null, signal: null, atMs: Math.round(performance.now() - this.startedAt) };
          resolve(this.exitInfo);
        }
      });
    });
    const logs = new LineSplitter((line) => {
      const parsed = parseLogLine(line);
      if (parsed.record) {
        this.logs.push(parsed.record);
        options.onLog?.(parsed.record);
      }
      if (parsed.issue) this.logIssues.push(parsed.issue);
    });
    this.child.stderr!.setEncoding('utf8').on('data', (d: string) => {
      this.stderr += d;
      logs.push(d);
    });
    this.child.stderr!.on('end', () => logs.end());
  }

  /** True until the process has exited. */
  get running(): boolean {
    return this.exitInfo === undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Starts the plugin and waits until it is ready, as the manager does on first use. */
  static async launch(options: LaunchOptions): Promise<PluginInstance> {
    const { instance, error } = await PluginInstance.start(options);
    if (error) throw error;
    return instance;
  }

  /**
   * {@link launch} without throwing, for diagnostics: the instance is returned either way, with what it got to
   * (`location`, `locationMs`, `stdout`, `stderr`, `exitInfo`, `spawnError`). On failure the process has been killed,
   * `location` is empty when the location line never came (else `/healthz` failed), and `exitedFirst` tells whether
   * the plugin ended by itself rather than being killed by the host.
   */
  static async start(options: LaunchOptions): Promise<{ instance: PluginInstance; error?: HostError; exitedFirst?: boolean }> {
    const instance = new PluginInstance(options);
    try {
      await instance.readLocation(options.locationTimeoutMs ?? LOCATION_TIMEOUT_MS);
      await instance.waitHealthy(options.healthTimeoutMs ?? LOCATION_TIMEOUT_MS);
    } catch (err) {
      // Whether the plugin ended by itself (crash, spawn failure) or the host gave up and killed it.
      const exitedFirst = !instance.running;
      if (!exitedFirst) instance.child.kill('SIGKILL');
      const exit = await Promise.race([instance.exit, sleepUndefined(2000)]);
      if (!(err instanceof HostError)) throw err;
      return {
        instance,
        exitedFirst,
        error: new HostError(err.reason, { pluginId: instance.id, exitCode: exit?.code, signal: exit?.signal, stderr: instance.stderr, fix: err.fix }),
      };
    }
    return { instance };
  }

  private readLocation(timeoutMs: number): Promise<void> {
    const child = this.child;
    return new Promise((resolve, reject) => {
      let phase: 'stdout' | 'stderr' | 'done' = 'stdout';
      let stderrBuffered = '';
      const timer = setTimeout(
        () =>
          finish(
            new HostError(`timed out waiting for server to start (no location line within ${Math.round(timeoutMs / 1000)} s)`, {
              fix: 'after binding, print exactly one line `http+unix://<absolute socket path>` or `http://127.0.0.1:<port>` followed by \\n on stdout',
            }),
          ),
        timeoutMs,
      );
      const finish = (err?: Error) => {
        if (phase === 'done') return;
        phase = 'done';
        clearTimeout(timer);
        if (err) reject(err);
        else resolve();
      };
      const consider = (line: string, from: 'stdout' | 'stderr'): boolean => {
        if (Buffer.byteLength(line) > MAX_LINE_BYTES) {
          finish(
            new HostError(`${from} line longer than 64 KiB before the location line: the manager's scanner stops (bufio.Scanner: token too long)`, {
              fix: 'print nothing but the location line on stdout',
            }),
          );
          return true;
        }
        const loc = parseLocationLine(line);
        if (!loc) {
          if (from === 'stdout') this.skippedLines.push(line);
          return false;
        }
        this.location = line.endsWith('\r') ? line.slice(0, -1) : line;
        this.locationFrom = from;
        this.locationMs = Math.round(performance.now() - this.startedAt);
        if ('socketPath' in loc) {
          this.socketPath = loc.socketPath;
          this.dispatcher = new Agent({ connect: { socketPath: loc.socketPath }, keepAliveTimeout: 60_000 });
          this.origin = 'http://unix';
        } else {
          this.origin = loc.origin;
          this.dispatcher = new Agent({ keepAliveTimeout: 60_000 });
        }
        finish();
        return true;
      };
      const out = new LineSplitter((line) => {
        if (phase === 'stdout') {
          consider(line, 'stdout');
        } else if (phase === 'done' && this.location !== '') {
          this.stdoutAfterLocation += `${line}\n`;
        }
      });
      child.stdout!.setEncoding('utf8').on('data', (d: string) => {
        this.stdout += d;
        if (phase === 'done') {
          this.stdoutAfterLocation += d;
          return;
        }
        out.push(d);
      });
      child.stderr!.on('data', (d: string) => {
        if (phase === 'stderr') stderrLines.push(d);
        else if (phase === 'stdout') stderrBuffered += d;
      });
      const stderrLines = new LineSplitter((line) => {
        if (phase === 'stderr') consider(line, 'stderr');
      });
      child.stdout!.once('end', () => {
        out.end();
        if (phase !== 'stdout') return;
        // io.MultiReader: stderr is read only once stdout reached EOF.
        phase = 'stderr';
        stderrLines.push(stderrBuffered);
      });
      // 'close' comes after the exit and after stdout and stderr ended, so no late location line is missed.
      this.child.once('close', () => {
        void this.exit.then((info) => {
          if (phase !== 'done') {
            const seen = this.stdout.trim() ? ` (stdout had: ${JSON.stringify(this.stdout.slice(0, 200))})` : '';
            finish(
              new HostError(`exited before printing a location line${seen}; the manager would wait 30 s and report "timed out waiting for server to start"`, {
                exitCode: info.code,
                signal: info.signal,
                fix: 'check the stderr tail below; the plugin must keep running and print its location line after binding',
              }),
            );
          }
        });
      });
    });
  }

  private async waitHealthy(timeoutMs: number): Promise<void> {
    const deadline = performance.now() + timeoutMs;
    let lastError: unknown;
    for (;;) {
      if (!this.running) throw new HostError('exited while the host polled /healthz', { fix: 'keep serving after printing the location line' });
      try {
        this.healthStatus = (
          await this.request('GET', '/healthz', { headers: { 'user-agent': 'Go-http-client/1.1', 'accept-encoding': 'gzip' }, bare: true })
        ).status;
        this.readyMs = Math.round(performance.now() - this.startedAt);
        return;
      } catch (err) {
        lastError = err;
      }
      if (performance.now() > deadline) {
        throw new HostError(
          `no HTTP answer on ${this.location} within ${Math.round(timeoutMs / 1000)} s (the manager would poll /healthz forever): ${(lastError as Error)?.message}`,
          {
            fix: 'listen on the printed address before printing it, and answer GET /healthz',
          },
        );
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Sends one HTTP request the way the Go client does; `bare` leaves out the JSON headers (readiness probe). */
  async request(method: 'GET' | 'POST' | 'HEAD' | 'PUT' | 'DELETE', path: string, options: RequestOptions & { bare?: boolean } = {}): Promise<HttpResponse> {
    if (!this.dispatcher) throw new HostError('the plugin has not printed a location yet', { pluginId: this.id });
    const headers: Record<string, string> = { ...(options.bare ? {} : MANAGER_HEADERS), ...options.headers };
    const url = `${this.origin}${path}${options.query ? `?${options.query}` : ''}`;
    const res = await undiciRequest(url, {
      method,
      headers,
      body: options.body,
      dispatcher: this.dispatcher,
      signal: options.signal,
      headersTimeout: 0,
      bodyTimeout: 0,
    });
    let bytes = Buffer.from(await res.body.arrayBuffer());
    if (String(res.headers['content-encoding'] ?? '').toLowerCase() === 'gzip') bytes = gunzipSync(bytes);
    return { status: res.statusCode, headers: res.headers, body: bytes.toString('utf8') };
  }

  /** A raw TCP/unix connection to the plugin, for fault tests that write bytes by hand. */
  connectRaw(): Socket {
    if (this.socketPath) return connect(this.socketPath);
    const url = new URL(this.origin);
    return connect(Number(url.port), url.hostname);
  }

  /**
   * Sends SIGINT, as `PluginManager.Shutdown` does. With `waitMs` (componentLister and inputRepository registries:
   * 10 s) waits for the exit and SIGKILLs after that; returns the exit, or undefined when not waited for.
   */
  async shutdown(waitMs = 0): Promise<ExitInfo | undefined> {
    if (!this.running) return this.exitInfo;
    this.child.kill('SIGINT');
    if (waitMs <= 0) return undefined;
    const exited = await Promise.race([this.exit, sleepUndefined(waitMs)]);
    if (exited) return exited;
    this.child.kill('SIGKILL');
    return this.exit;
  }

  /** SIGKILLs the process (the manager does this when the CLI's context is cancelled). */
  kill(): Promise<ExitInfo> {
    if (this.running) this.child.kill('SIGKILL');
    return this.exit;
  }

  /** Releases the HTTP connection pool. */
  async close(): Promise<void> {
    await this.dispatcher?.close().catch(() => undefined);
  }
}
