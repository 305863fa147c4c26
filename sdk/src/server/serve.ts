/**
 * Serve mode: validate `--config`, listen, print the one location line, serve until idle, signalled or asked to
 * shut down, then remove the socket and the blob files and exit 0.
 */
import { dirname } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { describeIssues, idleTimeoutMs, parsePluginConfig } from '../config.js';
import type { PluginConfig } from '../host-facts/index.js';
import { PluginError } from '../errors.js';
import type { Plugin } from '../plugin.js';
import { createApp } from './app.js';
import { BlobStore } from './blobs.js';
import { RequestTracker } from './connections.js';
import { serveHooks } from './hooks.js';
import { IdleTimer } from './idle.js';
import { chooseAddress, locationLine, removeAddress, sweepStaleSocketDirs, type ListenAddress } from './listen.js';
import { createLogger, flushLogSync, logLevel } from './logging.js';
import { lazyCapability, registerRoutes } from './routes.js';

/**
 * How long in-flight requests may take to finish once shutdown begins, by default. The manager's input and lister
 * registries SIGKILL a plugin 10 s after SIGINT; what is still running at the end of the grace period is answered 503.
 */
export const SHUTDOWN_GRACE_MS = 5_000;

/** The grace period: `OCM_PLUGIN_SHUTDOWN_GRACE_MS` if a valid number, else the definition's, else {@link SHUTDOWN_GRACE_MS}. */
export function shutdownGraceMs(fromDefinition: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.OCM_PLUGIN_SHUTDOWN_GRACE_MS;
  if (fromEnv !== undefined && /^\d+$/.test(fromEnv.trim())) return Number(fromEnv);
  return fromDefinition ?? SHUTDOWN_GRACE_MS;
}

/** After the grace period's 503s: how long their connections may take to flush before they are cut. */
const FLUSH_MS = 1_000;

/** A running plugin server. */
export interface RunningPlugin {
  readonly app: FastifyInstance;
  readonly address: ListenAddress;
  readonly config: PluginConfig;
  readonly log: Logger;
  /** Requests being served right now. */
  inFlight(): number;
  /** Stops serving, removes the socket and blob files. Resolves when done; does not exit the process. */
  close(reason: string): Promise<void>;
}

function pluginLogger(plugin: Plugin, config: PluginConfig): Logger {
  return createLogger({ pluginId: config.id, level: logLevel(plugin.logLevel) });
}

/** Starts serving without touching stdout or the process lifecycle (used by `serve` and by in-process tests). */
export async function startServer(
  plugin: Plugin,
  config: PluginConfig,
  onStop: (reason: string) => void = () => {},
  log: Logger = pluginLogger(plugin, config),
): Promise<RunningPlugin> {
  const configTypes: Record<string, unknown> = {};
  for (const entry of config.configTypes ?? []) {
    if (!entry.type) continue;
    const schema = plugin.configTypes?.[entry.type];
    const checked = schema?.safeParse(entry);
    if (checked && !checked.success) {
      throw PluginError.of('OCMP_ERR_CONFIG_INVALID', { detail: `configTypes entry ${entry.type}: ${describeIssues(checked.error)}` });
    }
    configTypes[entry.type] = checked ? checked.data : entry;
  }
  const loaded = plugin.capabilities.map(lazyCapability);

  const blobs = new BlobStore(config.id);
  const shutdown = new AbortController();
  let closing: Promise<void> | undefined;
  const idle = new IdleTimer(idleTimeoutMs(config), () => {
    log.info('idle check timer expired for plugin');
    onStop('idle timeout');
  });
  const requests = new RequestTracker();
  const app = createApp({ pluginId: config.id, log, bodyLimit: plugin.bodyLimit, idle, requests, onShutdownRequest: () => onStop('shutdown requested') });
  registerRoutes(app, loaded, { pluginId: config.id, config, configTypes, log, blobs, shutdownSignal: shutdown.signal });

  const address = chooseAddress(config.type, config.id);
  try {
    if (address.kind === 'tcp') {
      await app.listen({ host: address.host, port: 0 });
    } else {
      await app.listen({ path: address.path });
    }
  } catch (err) {
    removeAddress(address);
    const where = address.kind === 'tcp' ? '127.0.0.1' : address.path;
    throw PluginError.of('OCMP_ERR_LISTEN', { address: where, detail: (err as Error).message });
  }
  const bound: ListenAddress = address.kind === 'tcp' ? { ...address, port: (app.server.address() as { port: number }).port } : address;
  idle.start();

  const close = (reason: string): Promise<void> => {
    closing ??= (async () => {
      idle.stop();
      const graceMs = shutdownGraceMs(plugin.shutdownGraceMs);
      let flush: NodeJS.Timeout | undefined;
      const grace = setTimeout(() => {
        if (requests.size > 0) log.warn({ requests: requests.size, graceMs }, 'shutdown grace period over: answering the requests still running with 503');
        requests.expire(config.id);
        shutdown.abort(new Error('shutdown grace period over'));
        flush = setTimeout(() => app.server.closeAllConnections(), FLUSH_MS).unref();
      }, graceMs).unref();
      // Each connection closes as soon as its last answer is written; idle ones now.
      requests.beginClose(app.server);
      await app.close().catch(() => {});
      clearTimeout(grace);
      clearTimeout(flush);
      // Socket first, before any logging: the host may be gone and stderr closed.
      removeAddress(bound);
      await blobs.cleanup().catch(() => {});
      log.debug({ reason }, 'plugin stopped');
    })();
    return closing;
  };
  return { app, address: bound, config, log, inFlight: () => idle.inFlight, close };
}

/**
 * Reserves stdout for the protocol: from now on anything written to it goes to the log instead. Returns the original
 * writer, for the location line.
 */
function guardStdout(log: Logger): (line: string) => void {
  const original = process.stdout.write.bind(process.stdout);
  const write = (chunk: unknown, encoding?: unknown, cb?: unknown): boolean => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    log.warn({ output: text.slice(0, 4096) }, 'stdout belongs to the OCM protocol; this output was moved to the log (use ctx.log)');
    const done = typeof encoding === 'function' ? encoding : cb;
    if (typeof done === 'function') (done as () => void)();
    return true;
  };
  process.stdout.write = write as typeof process.stdout.write;
  return (line) => void original(line);
}

/** Serve mode for `<plugin> --config '<json>'`. Exits the process when the plugin stops. */
export async function serve(plugin: Plugin, configText: string): Promise<void> {
  // The host may close its ends of our pipes before we exit; Node would crash on the EPIPE error events.
  process.stdout.on('error', () => {});
  process.stderr.on('error', () => {});
  const config = parsePluginConfig(configText);
  const log = pluginLogger(plugin, config);
  // Before any handler module loads: a library that prints while loading must not corrupt the location line.
  const writeLocation = guardStdout(log);
  let running: RunningPlugin | undefined;
  const stop = (reason: string) => {
    void (async () => {
      await running?.close(reason);
      // The host waits for the exit (a SIGINT-ed plugin is SIGKILLed after a while): write what is logged, then leave.
      if (running && flushLogSync(running.log)) process.exit(0);
      running?.log.flush?.();
      setTimeout(() => process.exit(0), 20).unref();
    })();
  };
  running = await startServer(plugin, config, stop, log);
  // Before the location line: a host may signal as soon as it has read it, and without a handler Node.js would die
  // on the spot, leaving the socket directory behind.
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  const line = locationLine(running.address);
  writeLocation(line);
  log.debug({ location: line.trim(), idleTimeoutMs: idleTimeoutMs(config) }, 'starting up plugin');
  const { address } = running;
  if (address.kind === 'unix') {
    void sweepStaleSocketDirs(dirname(address.dir), config.id).then(
      (removed) => removed.length > 0 && log.debug({ removed }, 'removed socket directories of plugin processes that are gone'),
      (err: unknown) => log.debug({ err }, 'sweeping stale socket directories failed'),
    );
  }
  const served = running;
  for (const hook of serveHooks()) {
    hook({ id: config.id, location: line.trim(), log: served.log, inFlight: () => served.inFlight(), stop });
  }
}
