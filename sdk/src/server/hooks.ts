/**
 * Serve hooks: a tool that runs a plugin (the dev launcher, a debugger wrapper) can act on the serving plugin
 * without the plugin's code knowing about it. Hooks live on `globalThis` under a `Symbol.for` key, so a hook
 * registered by a launcher reaches the SDK copy bundled inside the plugin. This module has no dependencies, so a
 * launcher can import it without loading the server.
 */

/** What a serve hook can see and do once the plugin has printed its location line. */
export interface ServeHookContext {
  /** The plugin id from `--config`. */
  readonly id: string;
  /** The location line without its newline. */
  readonly location: string;
  /** The plugin's logger (host-format JSON lines on stderr). */
  readonly log: { info(obj: object, msg: string): void; warn(obj: object, msg: string): void };
  /** Requests being served right now (`/shutdown` excluded). */
  inFlight(): number;
  /** Shuts the plugin down as SIGINT would: in-flight requests finish, socket and blob files go, exit 0. */
  stop(reason: string): void;
}

/** Called once, right after the location line is printed. */
export type ServeHook = (ctx: ServeHookContext) => void;

const KEY = Symbol.for('@ocm-plugin-kit/sdk.serveHooks');

/** The hooks registered in this process (shared by every copy of the SDK). */
export function serveHooks(): ServeHook[] {
  const g = globalThis as { [KEY]?: ServeHook[] };
  g[KEY] ??= [];
  return g[KEY];
}

/** Registers a hook that runs when this process starts serving. */
export function addServeHook(hook: ServeHook): void {
  serveHooks().push(hook);
}
