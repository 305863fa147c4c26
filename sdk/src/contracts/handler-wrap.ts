/**
 * Contract-level handler adapters: a kind whose wire shape differs from the handler API it offers wraps the
 * user's handler here, so the generic routes stay kind-agnostic. The loader stays lazy: nothing is imported until
 * the plugin serves.
 */
import type { HandlerOrLoader } from './kind.js';

type AnyHandler = object;

/** Resolves a handler given directly or as a loader returning it or a module with a `default` export. */
export async function resolveHandler<H extends AnyHandler>(handler: HandlerOrLoader<H>): Promise<H> {
  const resolved: unknown = typeof handler === 'function' ? await (handler as () => Promise<unknown>)() : handler;
  if (typeof resolved === 'object' && resolved !== null && 'default' in resolved && typeof resolved.default === 'object' && resolved.default !== null) {
    return resolved.default as H;
  }
  return resolved as H;
}

/**
 * A lazy loader that resolves the user's handler and passes it through `adapt`. `adapt` returns the object the
 * routes call; methods it leaves out stay "not implemented".
 */
export function adaptHandler<H extends AnyHandler>(handler: HandlerOrLoader<H>, adapt: (user: H) => Record<string, unknown>): () => Promise<Record<string, unknown>> {
  let adapted: Promise<Record<string, unknown>> | undefined;
  return () => (adapted ??= resolveHandler(handler).then((user) => (typeof user === 'object' && user !== null ? adapt(user) : (user as Record<string, unknown>))));
}

/** Calls `user[name]` with `this` bound, if the user implemented it. */
export function method<H extends AnyHandler>(user: H, name: string): ((...args: unknown[]) => unknown) | undefined {
  const fn = (user as Record<string, unknown>)[name];
  return typeof fn === 'function' ? (fn as (...args: unknown[]) => unknown).bind(user) : undefined;
}
