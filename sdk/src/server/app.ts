/** The fastify instance: JSON parsing, text/plain errors, `/healthz`, `/shutdown`, idle accounting. */
import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { PluginError } from '../errors.js';
import { clientErrorHandler, MAX_HEADER_BYTES, RequestTracker } from './connections.js';
import type { IdleTimer } from './idle.js';

/** Default largest request body: descriptors with many resources can be large. */
export const DEFAULT_BODY_LIMIT = 16 * 1024 * 1024;

export interface AppOptions {
  readonly pluginId: string;
  readonly log: Logger;
  readonly bodyLimit?: number;
  readonly idle?: IdleTimer;
  /** Follows requests in flight for shutdown; one is made when not given. */
  readonly requests?: RequestTracker;
  /** Called after `/shutdown` has been answered. */
  readonly onShutdownRequest?: () => void;
}

function noRouteSchemas(): never {
  throw new Error('fastify route schemas are not supported in a plugin server: the SDK validates requests with the zod contracts');
}

/** Creates the HTTP app with everything but the capability routes. */
export function createApp(options: AppOptions): FastifyInstance {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const requests = options.requests ?? new RequestTracker();
  // The ocm CLI shows plugin INFO lines on every command; fastify's own chatter ("Server listening…") stays below.
  const frameworkLog = options.log.isLevelEnabled('debug') ? options.log : options.log.child({}, { level: 'warn' });
  const app: FastifyInstance = Fastify({
    loggerInstance: frameworkLog as unknown as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    bodyLimit,
    // The Go client reuses pooled connections and does not retry a POST that raced a server-side close.
    keepAliveTimeout: 10 * 60 * 1000,
    // The host sets no request timeout; long blob processing must not be cut. Slow headers still are.
    requestTimeout: 0,
    connectionTimeout: 0,
    forceCloseConnections: 'idle',
    // Requests that arrive while shutting down get a text/plain 503 from the onRequest hook below, not fastify's JSON.
    return503OnClosing: false,
    http: { maxHeaderSize: MAX_HEADER_BYTES },
    clientErrorHandler: clientErrorHandler(options.pluginId, frameworkLog),
    // Requests are checked by the zod contracts. Without these, fastify loads ajv and fast-json-stringify on every
    // start (a fifth of its load time) for route schemas no route has.
    schemaController: { compilersFactory: { buildValidator: noRouteSchemas, buildSerializer: noRouteSchemas } },
  });
  app.server.headersTimeout = 60_000;

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string', bodyLimit }, (req, body, done) => {
    const route = `plugin ${options.pluginId}: ${req.method} ${req.url.split('?')[0]}`;
    const text = typeof body === 'string' ? body : body.toString('utf8');
    // Endpoints that need a body say so (routes.ts); /shutdown and /healthz take none.
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(PluginError.of('OCMP_ERR_BODY_NOT_JSON', { route, detail: (err as Error).message }), undefined);
    }
  });

  app.addHook('onRequest', (req, reply, done) => {
    const path = req.url.split('?')[0] ?? '';
    requests.track(reply.raw, `${req.method} ${path}`);
    if (requests.closing && path !== '/shutdown') {
      done(PluginError.of('OCMP_ERR_SHUTTING_DOWN', { route: `plugin ${options.pluginId}: ${req.method} ${path}` }));
      return;
    }
    done();
  });

  const idle = options.idle;
  if (idle) {
    app.addHook('onRequest', (req, reply, done) => {
      if (req.url !== '/shutdown') {
        idle.begin();
        reply.raw.once('close', () => idle.end());
      }
      done();
    });
  }

  if (frameworkLog.isLevelEnabled('debug')) {
    app.addHook('onResponse', (req, reply, done) => {
      req.log.debug({ method: req.method, path: req.url.split('?')[0], status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request served');
      done();
    });
  }

  app.all('/healthz', async (req, reply) => {
    if (req.method !== 'GET' && req.method !== 'HEAD')
      throw PluginError.of('OCMP_ERR_METHOD', { plugin: options.pluginId, path: '/healthz', allowed: 'GET or HEAD' });
    return reply.code(200).send();
  });

  app.all('/shutdown', async (_req, reply) => {
    // Answer first, then shut down outside the request (the Go SDK's shutdown waits on its own connection).
    reply.raw.once('finish', () => setImmediate(() => options.onShutdownRequest?.()));
    return reply.code(200).send();
  });

  const known: string[] = [];
  app.addHook('onRoute', (r) => {
    for (const m of [r.method].flat()) if (m !== 'HEAD' && !known.includes(`${m} ${r.url}`)) known.push(`${m} ${r.url}`);
  });
  app.setNotFoundHandler((req) => {
    const endpoints = known.filter((k) => !k.endsWith(' /healthz') || k.startsWith('GET')).join(', ');
    throw PluginError.of('OCMP_ERR_NOT_FOUND', { plugin: options.pluginId, method: req.method, path: req.url.split('?')[0], endpoints });
  });

  app.setErrorHandler((error: FastifyError | PluginError, req, reply) => {
    const route = `plugin ${options.pluginId}: ${req.method} ${req.url.split('?')[0]}`;
    let status: number;
    let message: string;
    let code: string;
    if (error instanceof PluginError) {
      ({ status, message, code } = error);
    } else if ((error as FastifyError).code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      const e = PluginError.of('OCMP_ERR_BODY_TOO_LARGE', { route, limit: bodyLimit });
      ({ status, message, code } = e);
    } else {
      status = (error as FastifyError).statusCode ?? 500;
      code = (error as FastifyError).code ?? 'OCMP_ERR_HANDLER';
      message = `${route}: ${error.message}`;
    }
    if (status < 400 || status > 599) status = 500;
    // A request whose body was not read to the end leaves the connection unusable: say so and close it after the answer.
    if (!req.raw.complete) reply.header('connection', 'close');
    // "No identity" is how a plugin says "no credentials needed"; the CLI shows WARN lines on every command.
    const level = status >= 500 ? 'error' : code === 'OCMP_ERR_NO_IDENTITY' ? 'debug' : 'warn';
    req.log[level]({ code, status, err: status >= 500 && !(error instanceof PluginError && error.code !== 'OCMP_ERR_HANDLER') ? error : undefined }, message);
    void reply.code(status).header('content-type', 'text/plain; charset=utf-8').header('x-content-type-options', 'nosniff').send(`${message}\n`);
  });

  return app;
}
