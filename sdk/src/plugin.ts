/**
 * The plugin entry point: `definePlugin` checks what a plugin registers, `runPlugin` answers the host.
 * `capabilities` is answered from the definition alone; the HTTP server and handler code load only to serve.
 */
import type { z } from 'zod';
import { RELEASED_KINDS } from './contracts/index.js';
import { isDeclarableType, type Capability } from './contracts/kind.js';
import { PluginError } from './errors.js';
import { handshakeJson } from './handshake.js';

/** Log levels the host understands. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/** What a plugin registers. */
export interface PluginDefinition {
  /** The plugin's name, for logs and messages; the host's id (the executable's file name) is used on the wire. */
  readonly name: string;
  /** The plugin's version, for logs and `--version`. */
  readonly version?: string;
  /** One capability per kind. The v0.13.0 CLI can use a multi-kind plugin through one kind per command only. */
  // biome-ignore lint/suspicious/noExplicitAny: capabilities of different kinds in one list; each was typed where it was made
  readonly capabilities: readonly Capability<any>[];
  /** Generic config types the plugin asks for (`supportedConfigTypes`), with their schemas. */
  readonly configTypes?: Readonly<Record<string, z.ZodType>>;
  /** Largest accepted request body in bytes (default 16 MiB). */
  readonly bodyLimit?: number;
  /**
   * How long requests in flight may run after SIGINT/SIGTERM, `/shutdown` or the idle timeout, in ms (default 5000;
   * `OCM_PLUGIN_SHUTDOWN_GRACE_MS` overrides it). Requests still running then are answered 503.
   */
  readonly shutdownGraceMs?: number;
  /** Default log level; `OCM_PLUGIN_LOG_LEVEL` overrides it (default `info`). */
  readonly logLevel?: LogLevel;
  /**
   * The host generation to target. `v0.13.0` (default) refuses kinds the released manager rejects, such as
   * `credentialPlugin`; `head` allows them.
   */
  readonly target?: 'v0.13.0' | 'head';
}

/** A checked plugin definition, ready for {@link runPlugin}. */
export interface Plugin extends PluginDefinition {
  /** The exact `capabilities` stdout, computed once. */
  handshake(): string;
}

/** Checks a plugin definition and returns it ready to run; throws a clear error for anything the host would reject. */
export function definePlugin(definition: PluginDefinition): Plugin {
  const problems: string[] = [];
  if (!definition.name) problems.push('`name` is required');
  if (definition.capabilities.length === 0) problems.push('register at least one capability');
  const seenKinds = new Set<string>();
  for (const cap of definition.capabilities) {
    const kind = cap.contract.kind;
    if (seenKinds.has(kind)) problems.push(`capability ${kind} is registered twice; put all its types into one registration`);
    seenKinds.add(kind);
    if (cap.contract.headOnly && definition.target !== 'head') {
      problems.push(
        `${kind} is only understood by the upstream HEAD plugin manager; ocm CLI v0.13.0 fails on every command when a plugin advertises it. Set target: 'head' to build for that host`,
      );
    }
    if (!cap.contract.headOnly && !RELEASED_KINDS.includes(kind)) problems.push(`unknown capability kind ${kind}`);
    const types = Object.keys(cap.types);
    if (types.length === 0) problems.push(`${kind}: declare at least one type`);
    for (const t of types) {
      if (!isDeclarableType(t)) problems.push(`${kind}: type "${t}" is not \`Name\` or \`Name/version\` (at most one "/")`);
    }
  }
  if (problems.length > 0) {
    throw PluginError.of('OCMP_ERR_DEFINITION', { detail: problems.join('; ') });
  }
  let cached: string | undefined;
  return {
    ...definition,
    handshake: () => (cached ??= handshakeJson(definition.capabilities, Object.keys(definition.configTypes ?? {}))),
  };
}

const USAGE = `This program is an OCM plugin. The ocm CLI runs it:
  <plugin> capabilities            print the capabilities handshake (JSON) and exit
  <plugin> --config '<json>'       serve: listen, print the location line, shut down when idle
Install it into the ocm plugin directory (default $HOME/.config/ocm/plugins) as an extension-less executable.`;

/** Splits argv into the mode the host asked for. */
export function parseArgs(argv: readonly string[]): { mode: 'capabilities' } | { mode: 'serve'; config: string } | { mode: 'help' } | { mode: 'version' } {
  const [first, second] = argv;
  if (first === 'capabilities' && argv.length === 1) return { mode: 'capabilities' };
  if ((first === '--config' || first === '-config') && second !== undefined && argv.length === 2) return { mode: 'serve', config: second };
  if (first !== undefined && argv.length === 1) {
    const m = /^--?config=(.*)$/s.exec(first);
    if (m) return { mode: 'serve', config: m[1] ?? '' };
  }
  if (first === '--help' || first === '-h' || first === 'help') return { mode: 'help' };
  if (first === '--version') return { mode: 'version' };
  if (argv.some((a) => a === '--config' || a === '-config' || a.startsWith('--config='))) {
    throw PluginError.of('OCMP_ERR_CONFIG_MISSING');
  }
  throw PluginError.of('OCMP_ERR_USAGE', { detail: `unexpected arguments ${JSON.stringify(argv)}\n${USAGE}` });
}

function fail(err: unknown, exitCode: number): void {
  const message = err instanceof Error ? err.message : String(err);
  const code = err instanceof PluginError ? err.code : 'OCMP_ERR_STARTUP';
  process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), level: 'ERROR', msg: message, code })}\n`);
  process.exitCode = exitCode;
}

/**
 * Runs the plugin the way the OCM host asks for it (`capabilities` or `--config <json>`). Call it from the plugin's
 * main module: `await runPlugin(plugin)`. Resolves once the plugin has answered `capabilities` or has started
 * serving; the process exits by itself when the plugin shuts down.
 */
export async function runPlugin(plugin: Plugin, argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  let mode;
  try {
    mode = parseArgs(argv);
  } catch (err) {
    fail(err, 2);
    return;
  }
  switch (mode.mode) {
    case 'capabilities':
      try {
        process.stdout.write(plugin.handshake());
      } catch (err) {
        fail(err, 1);
      }
      return;
    case 'help':
      process.stderr.write(`${USAGE}\n`);
      return;
    case 'version':
      process.stderr.write(`${plugin.name} ${plugin.version ?? ''}\n`);
      return;
    case 'serve': {
      try {
        const { serve } = await import('./server/serve.js');
        await serve(plugin, mode.config);
      } catch (err) {
        fail(err, 1);
        // Nothing was printed on stdout; leave now rather than keep half-started resources alive.
        process.exit(1);
      }
    }
  }
}
