/**
 * Handler types derived from a kind's endpoint table: one method per endpoint, its request the endpoint's parsed
 * request schema with the plugin's spec type at `specAt`, its result what the response schema accepts, `?` where the
 * endpoint is `optional`. The named handler, request and result types of each kind are aliases of these.
 */
import type { z } from 'zod';
import type { HandlerContext } from '../context.js';
import type { Awaitable, Endpoint, KindContract, KnownFields } from './kind.js';
import type { Identity } from './model.js';

/** Flattens an intersection into one object type (readable hovers and errors); index signatures are kept. */
type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** `{ [extra: string]: unknown }` when `T` is a loose object, else nothing. */
type IndexOf<T> = string extends keyof T ? { [extra: string]: unknown } : unknown;

/**
 * `T` with the value at the path `P` replaced by the spec type `S`. Loose objects along the path keep their unknown
 * fields.
 */
export type WithSpecAt<T, P extends readonly string[], S> = P extends readonly [infer Head extends string, ...infer Rest extends readonly string[]]
  ? Simplify<Omit<KnownFields<T>, Head> & { [F in Head]: Rest extends readonly [] ? S : WithSpecAt<NonNullable<T[Head & keyof T]>, Rest, S> } & IndexOf<T>>
  : S;

/**
 * What an endpoint whose request carries no spec gives its handler instead, for an endpoint with `hint: F`:
 * `F` is `undefined`, and `${F}Hint` is the spec this capability last received on an endpoint that has one.
 */
export type SpecHint<F extends string, S> = { [P in F]: undefined } & { [P in `${F}Hint`]: S | undefined };

/** The request a handler of endpoint `E` receives, for the plugin's spec type `S`. */
export type EndpointRequest<E extends Endpoint, S> = E extends { readonly hint: infer F extends string }
  ? Simplify<z.output<E['request']> & SpecHint<F, S>>
  : E extends { readonly specAt: infer P extends readonly string[] }
    ? WithSpecAt<z.output<E['request']>, P, S>
    : z.output<E['request']>;

/** What a handler of endpoint `E` returns (the SDK validates it against the response schema). */
export type EndpointResult<E extends Endpoint> = E extends { readonly identity: string }
  ? Identity | null | undefined
  : E extends { readonly emptyResult: true }
    ? // biome-ignore lint/suspicious/noConfusingVoidType: the handler's own return type, so a handler may return nothing
      void
    : E extends { readonly response: infer R extends z.ZodType }
      ? E extends { readonly nullMeans: string }
        ? z.input<R> | null | undefined
        : z.input<R>
      : // biome-ignore lint/suspicious/noConfusingVoidType: the handler's own return type, so a handler may return nothing
        void;

/**
 * The handler method of endpoint `E`. Written as a method so that parameters compare bivariantly, as they did when
 * the handler types were interfaces: a handler typed for one spec still fits a capability declared with another.
 */
export type EndpointMethod<E extends Endpoint, S> = {
  method(request: EndpointRequest<E, S>, ctx: HandlerContext): Awaitable<EndpointResult<E>>;
}['method'];

type EndpointsOf<K extends KindContract> = K['endpoints'][number];

/** What a plugin implements for kind `K`: one method per endpoint, optional where the endpoint is. */
export type HandlerOf<K extends KindContract, S> = Simplify<
  { [E in EndpointsOf<K> as E extends { readonly optional: true } ? never : E['name']]: EndpointMethod<E, S> } & {
    [E in EndpointsOf<K> as E extends { readonly optional: true } ? E['name'] : never]?: EndpointMethod<E, S>;
  }
>;

/** The endpoint of kind `K` whose handler method is `N`. */
export type EndpointNamed<K extends KindContract, N extends EndpointsOf<K>['name']> = Extract<EndpointsOf<K>, { readonly name: N }>;

/** The request of handler method `N` of kind `K`, for the spec type `S`. */
export type RequestOf<K extends KindContract, N extends EndpointsOf<K>['name'], S> = EndpointRequest<EndpointNamed<K, N>, S>;

/** The result of handler method `N` of kind `K`. */
export type ResultOf<K extends KindContract, N extends EndpointsOf<K>['name']> = EndpointResult<EndpointNamed<K, N>>;
