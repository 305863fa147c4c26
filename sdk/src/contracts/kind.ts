/**
 * The shape every capability-kind contract shares: an endpoint table plus the capability's JSON field names.
 * The SDK's server, the reference host's client, the templates and the docs all read these tables; no other file
 * spells a path or a payload shape.
 */
import type { z } from 'zod';

/** When the OCM host sends the `Authorization` header on an endpoint. */
export type AuthHeader =
  /** never sent (identity endpoints) */
  | 'never'
  /** always sent; `{}` when there are no credentials */
  | 'always'
  /** sent only when credentials were resolved */
  | 'optional';

/** One HTTP endpoint of a capability kind. */
export interface Endpoint {
  /** The handler method that serves it, e.g. `processResource`. */
  readonly name: string;
  readonly method: 'GET' | 'POST';
  readonly path: string;
  /** Schema of the query parameters (GET) or the JSON body (POST), as the host sends them. */
  readonly request: z.ZodType;
  /** Schema of the 200 body. Absent: the host ignores the body and the SDK answers an empty 200. */
  readonly response?: z.ZodType;
  readonly auth: AuthHeader;
  /** Where in the request the typed spec sits that the host validated and the plugin dispatches on. */
  readonly specAt?: readonly string[];
  /** What the spec is called in messages, e.g. `input spec`. */
  readonly specName?: string;
  /** The handler may be left out; then the SDK answers this (identity endpoints: 404 = "no credentials"). */
  readonly optional?: boolean;
  /** An identity endpoint: the handler returns an identity (or nothing) which the SDK wraps. */
  readonly identity?: 'wrapped' | 'bare';
  /**
   * The host sends no spec on this endpoint. The handler gets this field as `undefined` and `<field>Hint`: the spec
   * the capability last received on an endpoint with `specAt` (componentVersionRepository GET endpoints).
   */
  readonly hint?: string;
  /** The handler may return nothing; the SDK then answers this error (e.g. 404 "no credentials stored"). */
  readonly nullMeans?: 'OCMP_ERR_NO_CREDENTIALS';
  /** The handler returns nothing; the SDK answers `{}`, which the host needs to decode (signing `/verify`). */
  readonly emptyResult?: boolean;
  /** Without a handler method for this optional endpoint the SDK answers an empty 200, not 404 "not implemented". */
  readonly whenAbsent?: 'ok';
  /** A one-line description for docs and `--help`. */
  readonly summary: string;
}

/** A capability kind: its name in the handshake, the list field(s) of its types and its endpoints. */
export interface KindContract {
  /** Kind string in the handshake, exact and unversioned, e.g. `inputRepository`. */
  readonly kind: string;
  /** The handshake field that lists the declared types, e.g. `supportedInputTypes`. */
  readonly typesField: string;
  /** What the declared types describe, for docs and messages (e.g. `input spec`). */
  readonly typeDescribes: string;
  readonly endpoints: readonly Endpoint[];
  /** Reachable from which `ocm` CLI commands (v0.13.0), for docs and templates. */
  readonly reachedBy: string;
  /** Only the upstream HEAD manager knows this kind; the v0.13.0 manager fails on it. */
  readonly headOnly?: boolean;
  /** Extra handshake fields written for every capability of this kind (e.g. `supportedConsumerIdentityTypes: null`). */
  readonly fixedFields?: Readonly<Record<string, unknown>>;
}

/** `T` without its `[key: string]: unknown` index signature (zod loose objects have one), so `Omit` keeps fields. */
export type KnownFields<T> = { [K in keyof T as string extends K ? never : number extends K ? never : K]: T[K] };

/** A value or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** Declared spec types of a capability: type string → zod schema of that spec. */
export type TypeSchemas = Readonly<Record<string, z.ZodType>>;

/** The union of the specs a capability declares. */
export type SpecOf<T extends TypeSchemas> = { [K in keyof T]: z.output<T[K]> }[keyof T];

/** A handler given directly, or a loader that imports it only when the plugin serves (keeps `capabilities` fast). */
export type HandlerOrLoader<H> = H | (() => Promise<H | { default: H }>);

/** A capability a plugin registers: a kind's contract, the types it serves and the handler that serves them. */
export interface Capability<H = unknown> {
  readonly contract: KindContract;
  readonly types: TypeSchemas;
  readonly handler: HandlerOrLoader<H>;
  /** Additional handshake fields (e.g. `customCredentialTypes`), already in wire form. */
  readonly extraFields?: Readonly<Record<string, unknown>>;
}

/**
 * A type name a plugin may declare: `Name` or `Name/version`, both parts non-empty. Stricter than {@link TypeString}
 * in model.ts, which accepts what the host may send (Go's parser lets `Name/` through).
 */
export function isDeclarableType(type: string): boolean {
  return /^[^/]+(\/[^/]+)?$/.test(type);
}

/** Defines a contract with its literal types kept. */
export function defineKind<const K extends KindContract>(contract: K): K {
  return contract;
}
