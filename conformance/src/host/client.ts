/**
 * Calls a capability endpoint the way the manager does, for any contract in `KINDS` (sdk/docs/protocol.md §2): method
 * and path from the contract's endpoint table, GET parameters as a Go-encoded query string (sorted keys,
 * QueryEscape), POST bodies as Go `json.Marshal` output, `Authorization` per the endpoint's `auth` (raw JSON; `{}` on
 * `always` endpoints without credentials; never on identity endpoints), only 200 as success, the manager's error
 * wording.
 */
import type { z } from 'zod';
import type { Endpoint, KindContract } from '@ocm-plugin-kit/sdk/contracts';
import { HostError } from './errors.js';
import { goJson, goQueryString } from './go.js';
import type { HttpResponse, PluginInstance } from './process.js';

export interface CallOptions {
  /** Credentials object sent as raw JSON in `Authorization` (where the endpoint takes it). */
  readonly credentials?: unknown;
  /** Sends this exact `Authorization` value instead (fault tests). */
  readonly rawAuthorization?: string;
  /** Sends this exact body instead of the encoded request (fault tests). */
  readonly rawBody?: string | Buffer;
  readonly signal?: AbortSignal;
}

/** A request as it went over the wire. */
export interface WireRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly query?: string;
  readonly body?: string | Buffer;
  readonly headers: Readonly<Record<string, string>>;
}

export interface EndpointResponse extends HttpResponse {
  readonly request: WireRequest;
  readonly durationMs: number;
}

/** Where in the request the spec sits that the manager validates and routes on. */
export function specOf(ep: Endpoint, request: unknown): unknown {
  let cur = request;
  for (const key of ep.specAt ?? []) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[key] : undefined;
  return ep.specAt ? cur : undefined;
}

/** The `Authorization` header value the manager sends, or undefined when it sends none. */
export function authorizationFor(ep: Endpoint, credentials: unknown): string | undefined {
  if (ep.auth === 'never') return undefined;
  if (credentials === undefined || credentials === null) return ep.auth === 'always' ? '{}' : undefined;
  return goJson(credentials);
}

/** Encodes a request for an endpoint exactly as the manager puts it on the wire. */
export function encodeRequest(ep: Endpoint, request: unknown, options: CallOptions = {}): WireRequest {
  const headers: Record<string, string> = {};
  const auth = options.rawAuthorization ?? authorizationFor(ep, options.credentials);
  // Go writes header bytes as they are (UTF-8); undici writes header strings as latin1, so pass the bytes through.
  if (auth !== undefined) headers.authorization = Buffer.from(auth, 'utf8').toString('latin1');
  if (ep.method === 'GET') {
    const values: Record<string, string> = {};
    for (const [k, v] of Object.entries((request ?? {}) as Record<string, unknown>)) {
      if (v !== undefined && v !== null) values[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
    }
    const query = goQueryString(values);
    return { method: 'GET', path: ep.path, ...(query ? { query } : {}), headers };
  }
  const body = options.rawBody ?? goJson(request);
  return { method: 'POST', path: ep.path, body, headers };
}

/** Sends an endpoint request and returns whatever came back (no status interpretation). */
export async function sendEndpoint(instance: PluginInstance, ep: Endpoint, request: unknown, options: CallOptions = {}): Promise<EndpointResponse> {
  const wire = encodeRequest(ep, request, options);
  const started = performance.now();
  const res = await instance.request(wire.method, wire.path, { query: wire.query, body: wire.body, headers: wire.headers, signal: options.signal });
  return { ...res, request: wire, durationMs: Math.round(performance.now() - started) };
}

/**
 * The manager's reading of a 200 body: first JSON value; empty → `EOF`. Returns the value and what the manager's Go
 * decoder and its callers would trip over (checked against the contract's response schema).
 */
export function decodeResponse(ep: Endpoint, body: string): { value?: unknown; problems: string[] } {
  if (!ep.response) return { problems: [] };
  if (body.trim() === '') return { problems: ['failed to decode response from plugin: EOF (empty 200 body where a JSON result is expected)'] };
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch (err) {
    return { problems: [`failed to decode response from plugin: ${(err as Error).message}`] };
  }
  if (value === null) {
    return { value, problems: ['the 200 body is `null`: the manager keeps a nil result and dereferences it (CLI panic) or silently uses an empty value'] };
  }
  const checked = (ep.response as z.ZodType).safeParse(value);
  if (checked.success) return { value, problems: [] };
  const problems = checked.error.issues.map((i) => {
    const at = i.path.length ? i.path.join('.') : '(body)';
    return `${at}: ${i.message}`;
  });
  return { value, problems };
}

/** Turns a non-200 answer into the manager's error message. */
export function statusError(pluginId: string, ep: Endpoint, res: HttpResponse): HostError {
  const info =
    res.body === ''
      ? `plugin returned status code: ${res.status} (no details were given)`
      : `plugin returned status code ${res.status}: additional information: ${res.body}`;
  return new HostError(`${ep.method} ${ep.path}: ${info}`, { pluginId, status: res.status });
}

/** The typed call signature of one endpoint. */
export type EndpointCall<E extends Endpoint> = (
  request: z.input<E['request']>,
  options?: CallOptions,
) => Promise<E['response'] extends z.ZodType ? z.output<E['response']> : undefined>;

/** A client with one method per endpoint of a contract, named after the endpoint (`processResource`, …). */
export type KindClient<K extends KindContract> = { [E in K['endpoints'][number] as E['name']]: EndpointCall<E> };

/** Builds a per-kind client from a contract's endpoint table; `call` does the transport (see `ReferenceHost`). */
export function kindClient<K extends KindContract>(
  contract: K,
  call: (ep: Endpoint, request: unknown, options?: CallOptions) => Promise<unknown>,
): KindClient<K> {
  const client: Record<string, unknown> = {};
  for (const ep of contract.endpoints) client[ep.name] = (request: unknown, options?: CallOptions) => call(ep, request, options);
  return client as KindClient<K>;
}
