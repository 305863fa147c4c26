/**
 * HTTP/1.1 over one raw connection, written by hand: several requests on the same connection (as the Go client's
 * pool reuses it), heads far beyond what an HTTP library sends, and every byte of the answer as it came, including
 * whether and how the plugin closed the connection.
 */
import { connect, type Socket } from 'node:net';
import { parseLocationLine } from '@ocm-plugin-kit/sdk/host-facts';

/** One answer read off the connection. */
export interface RawResponse {
  readonly status: number;
  /** Header names in lower case; repeated headers joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** How a raw exchange ended. */
export type ConnectionEnd = 'open' | 'closed' | 'reset';

/** Where the plugin listens: a Unix socket path or a TCP port on 127.0.0.1. */
export type RawTarget = { readonly socketPath: string } | { readonly port: number; readonly host?: string };

/** The target of a location line (`http+unix://…` or `http://127.0.0.1:<port>`). */
export function rawTarget(location: string): RawTarget {
  const address = parseLocationLine(location);
  if (address && 'socketPath' in address) return { socketPath: address.socketPath };
  const url = new URL(address?.origin ?? location);
  return { host: url.hostname, port: Number(url.port) };
}

/** Builds the bytes of one request. `body` as given; `Content-Length` added when there is a body. */
export function requestBytes(method: string, path: string, headers: Record<string, string>, body?: string | Buffer): Buffer {
  const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const chunks = requestChunks(method, path, headers, payload && [payload]);
  return chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
}

/** {@link requestBytes} as its head and the body's pieces, uncopied (for {@link RawConnection.writeAll}). */
export function requestChunks(method: string, path: string, headers: Record<string, string>, body?: readonly Buffer[]): Buffer[] {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: unix', 'User-Agent: Go-http-client/1.1'];
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  if (body) lines.push(`Content-Length: ${body.reduce((n, b) => n + b.length, 0)}`);
  return [Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1'), ...(body ?? [])];
}

/** A raw connection that reads answers one after another. */
export class RawConnection {
  readonly socket: Socket;
  #buffer: Buffer = Buffer.alloc(0);
  #end: ConnectionEnd = 'open';
  #error: Error | undefined;
  #wake: (() => void) | undefined;
  readonly connected: Promise<void>;
  /** Resolves when the connection is gone, with how it went. */
  readonly ended: Promise<ConnectionEnd>;

  constructor(target: RawTarget) {
    this.socket = 'socketPath' in target ? connect(target.socketPath) : connect(target.port, target.host ?? '127.0.0.1');
    this.connected = new Promise((resolve, reject) => {
      this.socket.once('connect', resolve);
      this.socket.once('error', reject);
    });
    this.ended = new Promise((resolve) => {
      this.socket.on('data', (d: Buffer) => {
        this.#buffer = Buffer.concat([this.#buffer, d]);
        this.#wake?.();
      });
      this.socket.on('error', (err: NodeJS.ErrnoException) => {
        this.#error = err;
        if (err.code === 'ECONNRESET' || err.code === 'EPIPE') this.#end = 'reset';
      });
      this.socket.on('close', () => {
        if (this.#end === 'open') this.#end = this.#error ? 'reset' : 'closed';
        this.#wake?.();
        resolve(this.#end);
      });
    });
    this.connected.catch(() => undefined);
  }

  /** How the connection stands now. */
  get state(): ConnectionEnd {
    return this.#end;
  }

  /** Writes bytes; resolves once they are handed to the kernel (or rejects when the peer is gone). */
  write(bytes: Buffer): Promise<void> {
    return new Promise((resolve, reject) => {
      this.socket.write(bytes, (err) => (err ? reject(err) : resolve()));
    });
  }

  /** Writes several requests at once (one system call where the kernel takes them); settles like {@link write}. */
  writeAll(chunks: readonly Buffer[]): Promise<void> {
    this.socket.cork();
    const last = chunks.map((c) => this.write(c));
    this.socket.uncork();
    return Promise.all(last).then(() => undefined);
  }

  /** Sends one request and reads its answer. */
  async exchange(bytes: Buffer, timeoutMs = 30_000): Promise<RawResponse> {
    await this.connected;
    // The write may fail half-way once the plugin has answered and closed (an oversized head); the answer counts.
    this.write(bytes).catch(() => undefined);
    return this.read(timeoutMs);
  }

  /** Reads the next answer (a `Content-Length` body, a chunked body, or a body up to the close). */
  async read(timeoutMs = 30_000): Promise<RawResponse> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const parsed = this.#parse();
      if (parsed) return parsed;
      if (this.#end !== 'open') {
        const closed = this.#parseAtClose();
        if (closed) return closed;
        throw new Error(
          this.#buffer.length === 0
            ? `the connection was ${this.#end === 'reset' ? 'reset' : 'closed'} without an answer (a bare EOF)`
            : `the connection ended inside an answer: ${JSON.stringify(this.#buffer.subarray(0, 200).toString('latin1'))}`,
        );
      }
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no complete answer within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
    }
  }

  /** Closes our side and forgets the connection. */
  destroy(): void {
    this.socket.destroy();
  }

  #head(): { status: number; headers: Record<string, string>; rest: Buffer } | undefined {
    const end = this.#buffer.indexOf('\r\n\r\n');
    if (end < 0) return undefined;
    const lines = this.#buffer.subarray(0, end).toString('latin1').split('\r\n');
    const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '');
    if (!m) throw new Error(`not an HTTP answer: ${JSON.stringify(lines[0])}`);
    const headers: Record<string, string> = {};
    for (const line of lines.slice(1)) {
      const i = line.indexOf(':');
      if (i <= 0) continue;
      const k = line.slice(0, i).trim().toLowerCase();
      const v = line.slice(i + 1).trim();
      headers[k] = headers[k] === undefined ? v : `${headers[k]}, ${v}`;
    }
    return { status: Number(m[1]), headers, rest: this.#buffer.subarray(end + 4) };
  }

  #parse(): RawResponse | undefined {
    const head = this.#head();
    if (!head) return undefined;
    const { status, headers, rest } = head;
    const take = (bodyBytes: Buffer, consumed: number): RawResponse => {
      this.#buffer = rest.subarray(consumed);
      return { status, headers, body: bodyBytes.toString('utf8') };
    };
    if (headers['transfer-encoding']?.toLowerCase().includes('chunked')) {
      const parts: Buffer[] = [];
      let at = 0;
      for (;;) {
        const nl = rest.indexOf('\r\n', at);
        if (nl < 0) return undefined;
        const size = Number.parseInt(rest.subarray(at, nl).toString('latin1'), 16);
        if (size === 0) {
          const trailerEnd = rest.indexOf('\r\n', nl + 2);
          return trailerEnd < 0 ? undefined : take(Buffer.concat(parts), trailerEnd + 2);
        }
        if (rest.length < nl + 2 + size + 2) return undefined;
        parts.push(rest.subarray(nl + 2, nl + 2 + size));
        at = nl + 2 + size + 2;
      }
    }
    const length = headers['content-length'] !== undefined ? Number(headers['content-length']) : status === 204 || status === 304 ? 0 : undefined;
    if (length === undefined) return undefined; // body up to the close
    return rest.length >= length ? take(rest.subarray(0, length), length) : undefined;
  }

  #parseAtClose(): RawResponse | undefined {
    const head = this.#head();
    if (!head || head.headers['content-length'] !== undefined || head.headers['transfer-encoding']) return undefined;
    this.#buffer = Buffer.alloc(0);
    return { status: head.status, headers: head.headers, body: head.rest.toString('utf8') };
  }
}
