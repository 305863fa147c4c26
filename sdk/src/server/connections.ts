/**
 * What happens below the routes: requests the HTTP parser refuses (too-large headers, unknown methods, malformed
 * request lines) and the requests in flight when the plugin shuts down. The OCM plugin manager shows non-200 bodies
 * verbatim and reuses pooled connections, so every answer here is `text/plain` and every connection the plugin
 * will not serve again is announced with `Connection: close` before it goes.
 */
import type { Server, ServerResponse } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';
import { PluginError } from '../errors.js';

/**
 * Largest request head (request line and headers) accepted, in bytes. Twice the Go server's 1 MiB default, so a
 * 1 MiB credential (certificate chains, kubeconfigs) in the `Authorization` header always fits.
 */
export const MAX_HEADER_BYTES = 2 * 1024 * 1024;

/** How long a refused connection may keep sending (the rest of an oversized head) before it is cut. */
const LINGER_MS = 2_000;

/** Writes a complete `text/plain` answer on a raw socket and closes it once the answer is flushed. */
function answerAndClose(socket: Socket, status: number, message: string): void {
  const body = Buffer.from(`${message}\n`, 'utf8');
  const head = [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Content-Type: text/plain; charset=utf-8',
    'X-Content-Type-Options: nosniff',
    `Content-Length: ${body.length}`,
    'Connection: close',
  ].join('\r\n');
  socket.end(Buffer.concat([Buffer.from(`${head}\r\n\r\n`, 'latin1'), body]));
  // Read and drop what the client still sends: closing with unread bytes makes the kernel send a reset, and the
  // client could lose the answer. A client that never stops is cut after a while.
  socket.resume();
  socket.once('end', () => socket.destroy());
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

/** What a parser error means, for the person running `ocm`. */
function describeClientError(pluginId: string, err: NodeJS.ErrnoException): { code: string; status: number; message: string } {
  const plugin = `plugin ${pluginId}`;
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return PluginError.of('OCMP_ERR_HEADERS_TOO_LARGE', { plugin, limit: MAX_HEADER_BYTES });
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'ERR_HTTP_HEADERS_TIMEOUT':
      return PluginError.of('OCMP_ERR_REQUEST_TIMEOUT', { plugin });
    case 'HPE_INVALID_METHOD':
      return PluginError.of('OCMP_ERR_BAD_REQUEST', { plugin, detail: 'unknown HTTP method (the plugin protocol uses GET and POST)' });
    default:
      return PluginError.of('OCMP_ERR_BAD_REQUEST', {
        plugin,
        detail: `malformed HTTP request (${String((err as { reason?: string }).reason ?? err.message)})`,
      });
  }
}

/**
 * The `clientError` handler: answers what the HTTP parser refused in `text/plain` with `Connection: close`, then
 * closes the connection once the answer is out, so a pooled connection is never reused after it.
 */
export function clientErrorHandler(pluginId: string, log: Logger): (err: NodeJS.ErrnoException, socket: Socket) => void {
  const answered = new WeakSet<Socket>();
  return (err, socket) => {
    // The parser reports again for every further chunk of a refused connection; answer once.
    if (answered.has(socket)) return;
    answered.add(socket);
    if (err.code === 'ECONNRESET' || socket.destroyed) return;
    // An answer still being written on this connection (pipelined requests) must not be cut by another status line.
    // A kept-alive connection whose earlier answers are complete is answered like a fresh one.
    if (!socket.writable || (socket as Socket & { _httpMessage?: unknown })._httpMessage) {
      socket.destroy();
      return;
    }
    const { code, status, message } = describeClientError(pluginId, err);
    log.warn({ code, status }, message);
    answerAndClose(socket, status, message);
  };
}

/**
 * The requests being answered. On shutdown each one's connection closes as soon as its answer is written; when the
 * grace period ends, the ones still running are answered 503.
 */
export class RequestTracker {
  readonly #open = new Map<ServerResponse, string>();
  #server: Server | undefined;

  /** True once shutdown has begun. */
  get closing(): boolean {
    return this.#server !== undefined;
  }

  /** Requests in flight. */
  get size(): number {
    return this.#open.size;
  }

  /** Follows one request until its answer has gone out or its connection dropped. */
  track(res: ServerResponse, route: string): void {
    this.#open.set(res, route);
    if (this.closing) res.shouldKeepAlive = false;
    res.once('close', () => {
      this.#open.delete(res);
      // A connection whose answer went out before it could be told to close: it is idle now.
      if (this.#server) setImmediate(() => this.#server?.closeIdleConnections());
    });
  }

  /** Shutdown begins: answers still to come say `Connection: close`; idle connections close now. */
  beginClose(server: Server): void {
    this.#server = server;
    for (const res of this.#open.keys()) if (!res.headersSent) res.shouldKeepAlive = false;
    server.closeIdleConnections();
  }

  /**
   * The grace period is over: every request still running is answered 503 (never a bare end of stream); one whose
   * answer had already begun can only be cut.
   */
  expire(pluginId: string): void {
    for (const [res, route] of this.#open) {
      if (res.headersSent) {
        res.destroy();
        continue;
      }
      const message = PluginError.of('OCMP_ERR_SHUTTING_DOWN', { route: `plugin ${pluginId}: ${route}` }).message;
      const body = `${message}; the request did not finish within the shutdown grace period\n`;
      res.shouldKeepAlive = false;
      res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }
  }
}
