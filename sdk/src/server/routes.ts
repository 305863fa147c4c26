/**
 * Registers the endpoints of any capability contract. Names no kind: the contract's endpoint table says the path,
 * the request and response schemas, where the spec sits, which handler method serves it, and where the handler API
 * differs from the wire (`identity`, `hint`, `nullMeans`, `emptyResult`, `whenAbsent`).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { Capability, Endpoint } from '../contracts/kind.js';
import type { HandlerContext } from '../context.js';
import type { PluginConfig } from '../host-facts/index.js';
import { describeIssues } from '../config.js';
import { PluginError } from '../errors.js';
import { isJsonObject } from '../json.js';
import { parseAuthorization } from './credentials.js';
import type { BlobStore } from './blobs.js';

/** A capability and its handler, loaded on first use (a handler module often pulls in heavy libraries). */
export interface LoadedCapability {
  readonly capability: Capability;
  /** The handler, loaded and checked once, on the first request that needs it. */
  readonly handler: () => Promise<Record<string, unknown>>;
  /** The spec this capability last received on an endpoint with `specAt`: what `hint` endpoints hand on. */
  lastSpec?: unknown;
}

/** What the routes need from the running plugin. */
export interface RouteDeps {
  readonly pluginId: string;
  readonly config: PluginConfig;
  /** Validated `configTypes` entries by type. */
  readonly configTypes: Readonly<Record<string, unknown>>;
  readonly log: Logger;
  readonly blobs: BlobStore;
  /** Aborted when the plugin shuts down. */
  readonly shutdownSignal: AbortSignal;
}

function getAt(obj: unknown, path: readonly string[]): unknown {
  let cur = obj;
  for (const key of path) cur = isJsonObject(cur) ? cur[key] : undefined;
  return cur;
}

function setAt(obj: unknown, path: readonly string[], value: unknown): void {
  let cur = obj;
  for (const key of path.slice(0, -1)) cur = isJsonObject(cur) ? cur[key] : undefined;
  const last = path[path.length - 1];
  if (isJsonObject(cur) && last !== undefined) cur[last] = value;
}

/** Why a handler's error is a file name the request made unusable, or undefined when it is something else. */
function pathFault(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENAMETOOLONG') return 'longer than the file system allows';
  if (code === 'EISDIR') return 'it names a directory where a file is needed';
  if (code === 'ENOTDIR') return 'a part of it that must be a directory is a file';
  if (code === 'ERR_INVALID_ARG_VALUE' && /null bytes/.test((err as Error).message)) return 'it contains a NUL byte';
  return undefined;
}

/** A capability whose handler loads on the first call of {@link LoadedCapability.handler}. */
export function lazyCapability(capability: Capability): LoadedCapability {
  let handler: Promise<Record<string, unknown>> | undefined;
  return { capability, handler: () => (handler ??= loadHandler(capability)) };
}

/** Loads a handler given directly or as a lazy `() => import(...)` returning it or a module with a `default` export. */
export async function loadHandler(cap: Capability): Promise<Record<string, unknown>> {
  let handler: unknown = typeof cap.handler === 'function' ? await (cap.handler as () => Promise<unknown>)() : cap.handler;
  if (isJsonObject(handler) && isJsonObject(handler.default)) handler = handler.default;
  if (typeof handler !== 'object' || handler === null) {
    throw PluginError.of('OCMP_ERR_DEFINITION', { detail: `${cap.contract.kind}: the handler loader returned ${String(handler)}, not a handler object` });
  }
  const missing = cap.contract.endpoints.filter((e) => !e.optional && typeof (handler as Record<string, unknown>)[e.name] !== 'function');
  if (missing.length > 0) {
    throw PluginError.of('OCMP_ERR_DEFINITION', { detail: `${cap.contract.kind}: the handler lacks ${missing.map((e) => e.name).join(', ')}` });
  }
  return handler as Record<string, unknown>;
}

/** The error a `nullMeans` endpoint answers when its handler returns nothing. */
function nothingFound(code: NonNullable<Endpoint['nullMeans']>, request: Record<string, unknown>): PluginError {
  const identity = isJsonObject(request.identity)
    ? Object.entries(request.identity)
        .map(([k, v]) => `${k}=${String(v)}`)
        .sort()
        .join(',')
    : '';
  return PluginError.of(code, { identity: identity || '(empty)' });
}

/** Which capability and declared type serve a request's spec. */
function dispatch(route: string, ep: Endpoint, candidates: readonly LoadedCapability[], spec: unknown): { loaded: LoadedCapability; type: string } {
  const type = isJsonObject(spec) && typeof spec.type === 'string' ? spec.type : undefined;
  if (type !== undefined) {
    for (const loaded of candidates) if (Object.hasOwn(loaded.capability.types, type)) return { loaded, type };
  } else {
    // The manager does not guarantee `type` inside input specs; with exactly one declared type there is no doubt.
    const all = candidates.flatMap((c) => Object.keys(c.capability.types).map((t) => ({ loaded: c, type: t })));
    if (all.length === 1 && all[0]) return all[0];
  }
  const declared = candidates.flatMap((c) => Object.keys(c.capability.types));
  throw PluginError.of('OCMP_ERR_TYPE_UNSUPPORTED', { route, type: type ?? `(none; the ${ep.specName ?? 'spec'} has no "type")`, types: declared.join(', ') });
}

/** Endpoints of several kinds on one path that read the request the same way. */
interface EndpointGroup {
  ep: Endpoint;
  candidates: LoadedCapability[];
}

/** Endpoints read a request the same way when they dispatch on the same spec position into the same handler method. */
function shapeOf(ep: Endpoint): string {
  return `${ep.name}|${ep.specAt?.join('.') ?? ''}|${ep.identity ?? ''}`;
}

/**
 * Among differently shaped endpoints sharing a path (e.g. `/resolve` of credentialRepository and credentialPlugin),
 * the first whose request schema accepts the input and whose spec, if any, has a type one of its capabilities
 * declares; else the first whose schema accepts it; else the first (its validation error is reported).
 */
function chooseGroup(groups: readonly EndpointGroup[], input: unknown): { group: EndpointGroup; parsed?: ParsedRequest } {
  const accepting = groups.map((group) => ({ group, parsed: group.ep.request.safeParse(input) })).filter((a) => a.parsed.success);
  const declaring = accepting.find(({ group: g }) => {
    if (!g.ep.specAt) return true;
    const spec = getAt(input, g.ep.specAt);
    const type = isJsonObject(spec) && typeof spec.type === 'string' ? spec.type : undefined;
    return type !== undefined && g.candidates.some((c) => Object.hasOwn(c.capability.types, type));
  });
  return declaring ?? accepting[0] ?? { group: groups[0] as EndpointGroup };
}

/** A request already checked against its endpoint's schema (by {@link chooseGroup}). */
type ParsedRequest = ReturnType<Endpoint['request']['safeParse']>;

/**
 * Registers every endpoint of the loaded capabilities. Endpoints of the same shape that share a path demultiplex on
 * the spec type; differently shaped ones on the request's shape first.
 */
export function registerRoutes(app: FastifyInstance, capabilities: readonly LoadedCapability[], deps: RouteDeps): void {
  const byRoute = new Map<string, { method: Endpoint['method']; path: string; groups: EndpointGroup[] }>();
  for (const loaded of capabilities) {
    for (const ep of loaded.capability.contract.endpoints) {
      const key = `${ep.method} ${ep.path}`;
      const route = byRoute.get(key) ?? { method: ep.method, path: ep.path, groups: [] };
      const group = route.groups.find((g) => shapeOf(g.ep) === shapeOf(ep));
      if (group) group.candidates.push(loaded);
      else route.groups.push({ ep, candidates: [loaded] });
      byRoute.set(key, route);
    }
  }
  for (const { method, path, groups } of byRoute.values()) {
    app.route({
      method,
      url: path,
      handler: (req, reply) => {
        const { group, parsed } = groups.length === 1 ? { group: groups[0] as EndpointGroup } : chooseGroup(groups, method === 'GET' ? req.query : req.body);
        return serveEndpoint(req, reply, group.ep, group.candidates, deps, parsed);
      },
    });
  }
}

/**
 * One child logger per endpoint and declared type, made once: a pino child applies redaction to its bindings, which
 * cost more per call than a signature. Declared types are few, so the map stays small.
 */
const endpointLoggers = new WeakMap<Logger, Map<string, Logger>>();
function endpointLogger(root: Logger, endpoint: string, type: string): Logger {
  let byKey = endpointLoggers.get(root);
  if (!byKey) {
    byKey = new Map();
    endpointLoggers.set(root, byKey);
  }
  const key = `${endpoint}\0${type}`;
  let log = byKey.get(key);
  if (!log) {
    log = root.child({ endpoint, type });
    byKey.set(key, log);
  }
  return log;
}

/**
 * The context of one handler call. Its logger and abort signal are made on first use: a pino child with redaction
 * and an AbortController with its listeners cost about as much as a fast handler (a signature) itself, and many calls
 * touch neither.
 */
function handlerContext(reply: FastifyReply, deps: RouteDeps, endpoint: string, type: string, credentials: HandlerContext['credentials']): HandlerContext {
  let log: Logger | undefined;
  let controller: AbortController | undefined;
  let abortedBy: Error | undefined;
  const abort = (reason: Error) => {
    abortedBy ??= reason;
    controller?.abort(reason);
  };
  const onShutdown = () => abort(new Error('plugin shutting down'));
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) abort(new Error('host disconnected'));
    if (controller) deps.shutdownSignal.removeEventListener('abort', onShutdown);
  });
  return {
    pluginId: deps.pluginId,
    config: deps.config,
    configTypes: deps.configTypes,
    type,
    credentials,
    get log() {
      log ??= endpointLogger(deps.log, endpoint, type);
      return log;
    },
    get signal() {
      if (!controller) {
        controller = new AbortController();
        if (deps.shutdownSignal.aborted) abort(new Error('plugin shutting down'));
        else if (!reply.raw.closed) deps.shutdownSignal.addEventListener('abort', onShutdown, { once: true });
        if (abortedBy) controller.abort(abortedBy);
      }
      return controller.signal;
    },
    blobs: deps.blobs,
  };
}

async function serveEndpoint(
  req: FastifyRequest,
  reply: FastifyReply,
  ep: Endpoint,
  candidates: readonly LoadedCapability[],
  deps: RouteDeps,
  alreadyParsed?: ParsedRequest,
): Promise<void> {
  const route = `plugin ${deps.pluginId}: ${ep.method} ${ep.path}`;
  const input = ep.method === 'GET' ? req.query : req.body;
  if (input === undefined) throw PluginError.of('OCMP_ERR_BODY_NOT_JSON', { route, detail: 'the body is empty' });
  const parsed = alreadyParsed ?? ep.request.safeParse(input);
  if (!parsed.success) throw PluginError.of('OCMP_ERR_REQUEST_INVALID', { route, detail: describeIssues(parsed.error) });
  const request = parsed.data as Record<string, unknown>;

  const credentials = parseAuthorization(req.headers.authorization, route);

  let loaded = candidates[0] as LoadedCapability;
  let type = '';
  if (ep.specAt) {
    const spec = getAt(request, ep.specAt);
    ({ loaded, type } = dispatch(route, ep, candidates, spec));
    const schema = loaded.capability.types[type];
    const checked = schema?.safeParse(spec);
    if (checked && !checked.success) {
      throw PluginError.of('OCMP_ERR_SPEC_INVALID', { route, what: ep.specName ?? 'spec', type, detail: describeIssues(checked.error) });
    }
    if (checked) setAt(request, ep.specAt, checked.data);
    loaded.lastSpec = getAt(request, ep.specAt);
  } else {
    // No spec in the request (CVR GET endpoints, credentialPlugin /resolve): with one declared type there is no doubt.
    const declared = candidates.flatMap((c) => Object.keys(c.capability.types));
    if (declared.length === 1) type = declared[0] as string;
    if (ep.hint !== undefined) {
      const hint = loaded.lastSpec;
      const own = Object.keys(loaded.capability.types);
      type = isJsonObject(hint) && typeof hint.type === 'string' ? hint.type : own.length === 1 ? (own[0] as string) : type;
      request[ep.hint] = undefined;
      request[`${ep.hint}Hint`] = hint;
    }
  }

  const handler = await loaded.handler().catch((err: unknown) => {
    // Loaded on first use, so a broken handler module or definition surfaces here: say so on every request.
    const message = err instanceof Error ? err.message : String(err);
    throw new PluginError(
      err instanceof PluginError ? err.code : 'OCMP_ERR_DEFINITION',
      `${route}: loading the ${loaded.capability.contract.kind} handler failed: ${message}`,
      500,
      { cause: err },
    );
  });
  const fn = handler[ep.name];
  if (typeof fn !== 'function') {
    if (ep.identity) throw PluginError.of('OCMP_ERR_NO_IDENTITY', { route, type });
    if (ep.whenAbsent === 'ok') {
      await reply.code(200).send();
      return;
    }
    throw PluginError.of('OCMP_ERR_NOT_IMPLEMENTED', { route, endpoint: ep.name, summary: ep.summary.replace(/\.$/, ''), type });
  }

  const ctx = handlerContext(reply, deps, ep.path, type, credentials);
  let result: unknown;
  try {
    result = await (fn as (r: unknown, c: HandlerContext) => unknown).call(handler, request, ctx);
    if (ep.nullMeans && (result === null || result === undefined)) throw nothingFound(ep.nullMeans, request);
  } catch (err) {
    // Answered already (503 at the end of the shutdown grace period) or the host went away: nobody to tell.
    if (reply.raw.headersSent || reply.raw.destroyed) {
      ctx.log.debug({ err }, 'handler failed after the request was answered or abandoned');
      return;
    }
    if (err instanceof PluginError) {
      if (!err.message.startsWith('plugin ')) err.message = `${route}: ${err.message}`;
      throw err;
    }
    const message = err instanceof Error ? err.message : String(err);
    // A file name too long, with a NUL byte, naming a directory: paths come from the request, so is the fault.
    const reason = pathFault(err);
    if (reason) throw PluginError.of('OCMP_ERR_PATH_INVALID', { route, reason, detail: message.length > 300 ? `${message.slice(0, 300)}…` : message });
    throw new PluginError('OCMP_ERR_HANDLER', `${route}: ${message}`, 500, { cause: err });
  }

  if (reply.raw.headersSent || reply.raw.destroyed) return;
  let body: unknown = ep.emptyResult ? {} : result;
  if (ep.identity) {
    if (result === null || result === undefined) throw PluginError.of('OCMP_ERR_NO_IDENTITY', { route, type });
    body = ep.identity === 'wrapped' ? { identity: result } : result;
  }
  if (!ep.response) {
    await reply.code(200).send();
    return;
  }
  const checked = ep.response.safeParse(body);
  if (!checked.success) {
    throw PluginError.of('OCMP_ERR_RESPONSE_INVALID', { route, detail: `${describeIssues(checked.error)} (fix the ${ep.name} handler)` });
  }
  await reply.code(200).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}
