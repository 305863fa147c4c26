/**
 * The plugin's HTTP layer under hostile input and shutdown, over raw connections to a real plugin process: huge
 * headers followed by a request on the same connection (the Go client reuses pooled connections), what the parser
 * refuses, and SIGTERM with a request in flight.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { RawConnection, rawTarget, requestBytes } from '../../../conformance/src/host/raw-http.js';
import { startPlugin, type PluginProcess } from '../../../scripts/plugin-process.js';
import { bundleFixture } from '../support.js';

const TYPE = 'Lifecycle.test.ocmkit.dev/v1';
const body = (input: Record<string, unknown> = {}) =>
  JSON.stringify({ resource: { name: 'r', version: '1.0.0', type: 'blob', input: { type: TYPE, ...input } } });
const JSON_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json' };
const credentials = (bytes: number) => JSON.stringify({ type: 'Credentials/v1', properties: { token: 'x'.repeat(bytes) } });
const process_ = (headers: Record<string, string> = {}, input: Record<string, unknown> = {}) =>
  requestBytes('POST', '/resource/process', { ...JSON_HEADERS, ...headers }, body(input));

let exe: string;
beforeAll(async () => {
  exe = await bundleFixture('lifecycle-plugin');
});

async function withPlugin(env: NodeJS.ProcessEnv, fn: (p: PluginProcess) => Promise<void>): Promise<void> {
  const p = await startPlugin(exe, { id: 'conn', env });
  try {
    await fn(p);
  } finally {
    p.kill('SIGKILL');
    await p.exited;
  }
}

function expectTextError(res: { status: number; headers: Record<string, string>; body: string }, status: number, message: RegExp): void {
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
  expect(res.body).toMatch(message);
  expect(res.body).toMatch(/^plugin conn/);
  expect(res.body.endsWith('\n')).toBe(true);
}

describe('request heads', () => {
  it('serves 64 KiB and 1 MiB Authorization headers, then a plain request, all on one connection', async () => {
    await withPlugin({}, async (p) => {
      const conn = new RawConnection(rawTarget(p.location));
      for (const size of [64 * 1024, 1024 * 1024]) {
        const res = await conn.exchange(process_({ Authorization: credentials(size) }));
        expect(res.status, `${size} bytes`).toBe(200);
        expect(res.headers.connection).not.toBe('close');
      }
      const plain = await conn.exchange(process_());
      expect(plain.status).toBe(200);
      expect(conn.state).toBe('open');
      conn.destroy();
    });
  });

  it('answers a head over the limit with a text/plain 431 and Connection: close, and closes cleanly after it', async () => {
    await withPlugin({}, async (p) => {
      const conn = new RawConnection(rawTarget(p.location));
      const res = await conn.exchange(process_({ Authorization: credentials(3 * 1024 * 1024) }));
      expectTextError(res, 431, /request headers are larger than the 2097152 bytes this plugin accepts/);
      expect(res.headers.connection).toBe('close');
      expect(await conn.ended).toBe('closed');
      const next = new RawConnection(rawTarget(p.location));
      expect((await next.exchange(process_())).status).toBe(200);
      next.destroy();
    });
  });

  it('answers an oversized head on a kept-alive connection that already served a request', async () => {
    await withPlugin({}, async (p) => {
      const conn = new RawConnection(rawTarget(p.location));
      expect((await conn.exchange(process_())).status).toBe(200);
      const res = await conn.exchange(process_({ Authorization: credentials(3 * 1024 * 1024) }));
      expectTextError(res, 431, /request headers are larger/);
      expect(res.headers.connection).toBe('close');
      expect(await conn.ended).toBe('closed');
    });
  });

  it.each([
    ['an unknown method', Buffer.from('FOO /resource/process HTTP/1.1\r\nHost: unix\r\nContent-Length: 0\r\n\r\n'), /bad HTTP request: unknown HTTP method/],
    ['a malformed request line', Buffer.from('POST /resource/process HTTP/9\r\nHost: unix\r\n\r\n'), /bad HTTP request: malformed HTTP request/],
    ['a header without a colon', Buffer.from('GET /healthz HTTP/1.1\r\nHost unix\r\n\r\n'), /bad HTTP request: malformed HTTP request/],
  ])('answers %s with a text/plain 400 and Connection: close', async (_name, bytes, message) => {
    await withPlugin({}, async (p) => {
      const conn = new RawConnection(rawTarget(p.location));
      const res = await conn.exchange(bytes);
      expectTextError(res, 400, message);
      expect(res.headers.connection).toBe('close');
      expect(await conn.ended).toBe('closed');
      expect((await p.request('GET', '/healthz')).status).toBe(200);
    });
  });

  it('closes the connection after a 413, whose body it did not read', async () => {
    await withPlugin({}, async (p) => {
      const conn = new RawConnection(rawTarget(p.location));
      const res = await conn.exchange(process_({}, { pad: 'x'.repeat(200 * 1024) }));
      expect(res.status).toBe(413);
      expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(res.headers.connection).toBe('close');
      expect(await conn.ended).not.toBe('open');
    });
  });

  it('keeps a connection open after a 400 for a schema-invalid body it read to the end', async () => {
    await withPlugin({}, async (p) => {
      const conn = new RawConnection(rawTarget(p.location));
      const invalid = await conn.exchange(requestBytes('POST', '/resource/process', JSON_HEADERS, '{"resource":7}'));
      expect(invalid.status).toBe(400);
      expect(invalid.headers.connection).not.toBe('close');
      expect((await conn.exchange(process_())).status).toBe(200);
      conn.destroy();
    });
  });
});

describe('shutdown', () => {
  it('on SIGTERM answers the request in flight with Connection: close, closes idle connections and exits right after', async () => {
    // A long grace period: waiting it out instead of exiting after the last answer would show.
    await withPlugin({ OCM_PLUGIN_SHUTDOWN_GRACE_MS: '20000' }, async (p) => {
      const busy = new RawConnection(rawTarget(p.location));
      const idle = new RawConnection(rawTarget(p.location));
      expect((await idle.exchange(requestBytes('GET', '/healthz', {}))).status).toBe(200);
      const pending = busy.exchange(process_({}, { sleepMs: 800 }));
      await new Promise((r) => setTimeout(r, 300));
      p.kill('SIGTERM');
      expect(await idle.ended).toBe('closed');
      const res = await pending;
      const answeredAt = performance.now();
      expect(res.status).toBe(200);
      expect(res.headers.connection).toBe('close');
      expect(await busy.ended).toBe('closed');
      expect(await p.exited).toEqual({ code: 0, signal: null });
      const exitMs = performance.now() - answeredAt;
      // The defect this guards against waited out the whole grace period (here 20 s).
      expect(exitMs).toBeLessThan(5_000);
    });
  });

  it('answers 503 text/plain to a request still running when the grace period ends, never a bare EOF', async () => {
    await withPlugin({ OCM_PLUGIN_SHUTDOWN_GRACE_MS: '300' }, async (p) => {
      const conn = new RawConnection(rawTarget(p.location));
      const pending = conn.exchange(process_({}, { sleepMs: 10_000 }));
      await new Promise((r) => setTimeout(r, 200));
      p.kill('SIGINT');
      const res = await pending;
      expectTextError(res, 503, /POST \/resource\/process: the plugin is shutting down; the request did not finish within the shutdown grace period/);
      expect(res.headers.connection).toBe('close');
      expect(await p.exited).toEqual({ code: 0, signal: null });
      expect(p.logs().some((l) => l.level === 'WARN' && /grace period over/.test(String(l.msg)))).toBe(true);
    });
  });

  it('answers 503 text/plain to a request that arrives on an open connection after the signal', async () => {
    await withPlugin({ OCM_PLUGIN_SHUTDOWN_GRACE_MS: '20000' }, async (p) => {
      const busy = new RawConnection(rawTarget(p.location));
      const pending = busy.exchange(process_({}, { sleepMs: 1000 }));
      const late = new RawConnection(rawTarget(p.location));
      await late.connected;
      // Half a request before the signal: the connection is not idle, so it is not closed under it.
      const bytes = process_();
      await late.write(bytes.subarray(0, 20));
      await new Promise((r) => setTimeout(r, 200));
      p.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 200));
      await late.write(bytes.subarray(20)).catch(() => undefined);
      const res = await late.read();
      expectTextError(res, 503, /POST \/resource\/process: the plugin is shutting down/);
      expect(res.headers.connection).toBe('close');
      expect(await late.ended).toBe('closed');
      expect((await pending).status).toBe(200);
      expect(await p.exited).toEqual({ code: 0, signal: null });
    });
  });

  const abortReasons = (p: PluginProcess) =>
    p
      .logs()
      .filter((l) => l.msg === 'abort signal')
      .map((l) => l.reason);
  const until = async (check: () => boolean) => {
    for (let i = 0; i < 200 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  };

  it("aborts the handler's signal when the host disconnects, also when the handler looks at it only afterwards", async () => {
    await withPlugin({}, async (p) => {
      for (const sleepMs of [0, 400]) {
        const conn = new RawConnection(rawTarget(p.location));
        await conn.write(process_({}, { sleepMs, awaitAbort: true }));
        await new Promise((r) => setTimeout(r, 200));
        conn.destroy();
      }
      await until(() => abortReasons(p).length === 2);
      expect(abortReasons(p)).toEqual(['host disconnected', 'host disconnected']);
    });
  });

  it("aborts the handler's signal when the shutdown grace period ends", async () => {
    await withPlugin({ OCM_PLUGIN_SHUTDOWN_GRACE_MS: '300' }, async (p) => {
      const conn = new RawConnection(rawTarget(p.location));
      const pending = conn.exchange(process_({}, { awaitAbort: true }));
      await new Promise((r) => setTimeout(r, 200));
      p.kill('SIGTERM');
      expect((await pending).status).toBe(503);
      expect(await p.exited).toEqual({ code: 0, signal: null });
      expect(abortReasons(p)).toEqual(['plugin shutting down']);
    });
  });
});
