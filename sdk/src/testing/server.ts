/**
 * A plugin served in the test's own process: the real server (routes, zod validation, error mapping, blob store)
 * listening on a real socket, with requests injected through fastify so a test needs no HTTP client. The process
 * lifecycle (stdout guard, signals, exit) is left out; the log is silent unless `DEBUG_PLUGIN=1`.
 */
import type { OutgoingHttpHeaders } from 'node:http';
import { managerConfigJson, PluginConfigSchema } from '../host-facts/config.js';
import type { Plugin } from '../plugin.js';
import { locationLine } from '../server/listen.js';
import { testLogger } from './log.js';
import { startServer, type RunningPlugin } from '../server/serve.js';

/** Options of {@link startTestServer}. */
export interface TestServerOptions {
  /** Default `test-plugin`. */
  readonly pluginId?: string;
  /** Default `unix`. */
  readonly type?: 'unix' | 'tcp';
  /** `configTypes` entries as the host would pass them in `--config`. */
  readonly configTypes?: readonly unknown[];
}

/** One answer of the plugin. */
export interface TestResponse {
  readonly status: number;
  readonly headers: Readonly<OutgoingHttpHeaders>;
  /** The body as text. */
  readonly text: string;
  /** The body parsed as JSON, `undefined` when it is not JSON. */
  readonly body: unknown;
}

/** A plugin served in process. */
export interface TestServer {
  /** The location line the plugin would print, without its newline. */
  readonly location: string;
  /** The plugin's server, for what {@link TestServer.request} does not cover. */
  readonly running: RunningPlugin;
  /** Sends one request as the host would; `body` is sent as JSON. */
  request(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse>;
  /** Stops serving and removes the socket and blob files. */
  close(): Promise<void>;
}

/**
 * Serves a plugin in this process with the `--config` the v0.13.0 manager would send.
 *
 * @example
 * ```ts
 * const server = await startTestServer(plugin);
 * const res = await server.request('POST', '/input/resource', { resource });
 * expect(res.status).toBe(200);
 * await server.close();
 * ```
 */
export async function startTestServer(plugin: Plugin, options: TestServerOptions = {}): Promise<TestServer> {
  const id = options.pluginId ?? 'test-plugin';
  const config = PluginConfigSchema.parse(JSON.parse(managerConfigJson(id, { type: options.type, configTypes: options.configTypes })));
  const running = await startServer(plugin, config, () => {}, testLogger(id));
  return {
    location: locationLine(running.address).trim(),
    running,
    async request(method, path, body, headers = {}) {
      const res = await running.app.inject({
        method,
        url: path,
        headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
        payload: body === undefined ? undefined : JSON.stringify(body),
      });
      let parsed: unknown;
      try {
        parsed = res.body === '' ? undefined : JSON.parse(res.body);
      } catch {
        parsed = undefined;
      }
      return { status: res.statusCode, headers: res.headers, text: res.body, body: parsed };
    },
    close: () => running.close('test finished'),
  };
}
