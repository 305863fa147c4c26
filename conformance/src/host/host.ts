/**
 * The reference host: the manager's plugin lifecycle and routing in TypeScript
 * (sdk/docs/protocol.md §1, §2.5, §2.6).
 * `load(dir)` discovers and registers plugins like `RegisterPlugins`; calls route by the spec's exact type to the
 * plugin that declared it for that kind, start the plugin lazily, validate the spec against the plugin's own schema,
 * and talk HTTP the way the Go client does. Unlike the v0.13.0 manager it notices a plugin that exited (idle timeout)
 * and starts it again on the next call; `shutdown()` sends SIGINT like `PluginManager.Shutdown`.
 */
import { KINDS, type Endpoint, type KindContract } from '@ocm-plugin-kit/sdk/contracts';
import { loadCapabilities, type CapabilitySpec, type HandshakeIssue, type PluginSpec, type TypeEntry } from './capabilities.js';
import { decodeResponse, kindClient, sendEndpoint, specOf, statusError, type CallOptions, type EndpointResponse, type KindClient } from './client.js';
import { discoverPlugins, type DiscoveredPlugin, type DiscoveryNote } from './discovery.js';
import { HostError, sleepUndefined } from './errors.js';
import { builtinFor, managerKind, routingFields, SHUTDOWN_WAIT_MS, type HostVersion as Target } from '@ocm-plugin-kit/sdk/host-facts';
import { PluginInstance, type ExitInfo } from './process.js';
import type { LogRecord } from './logs.js';
import { compileSpecSchema, type CompiledSchema } from '../schema/index.js';

export interface HostOptions {
  readonly target?: Target;
  /** Sent as `idleTimeout` (integer nanoseconds). Default 1 h, like the CLI. */
  readonly idleTimeoutNs?: number;
  readonly connectionType?: 'unix' | 'tcp';
  readonly env?: NodeJS.ProcessEnv;
  readonly cwd?: string;
  readonly onLog?: (pluginId: string, record: LogRecord) => void;
  /** Called when a started plugin exits (idle timeout, crash, shutdown). */
  readonly onExit?: (pluginId: string, exit: ExitInfo) => void;
}

/** A plugin the host registered. */
export interface RegisteredPlugin {
  readonly id: string;
  readonly path: string;
  readonly spec: PluginSpec;
  readonly handshakeIssues: readonly HandshakeIssue[];
  /** stderr of `capabilities` (the manager shows it on the terminal). */
  readonly capabilitiesStderr: string;
  readonly capabilitiesMs: number;
}

/** What the host keeps per started process. */
interface Running {
  readonly instance: PluginInstance;
  /** Starts since load, including restarts after exits. */
  readonly generation: number;
}

export class ReferenceHost {
  readonly options: HostOptions;
  readonly plugins = new Map<string, RegisteredPlugin>();
  readonly discoveryNotes: DiscoveryNote[] = [];
  /** kind → type → plugin id (the registries' claims). */
  private readonly registries = new Map<string, Map<string, string>>();
  private readonly running = new Map<string, Running>();
  private readonly starting = new Map<string, Promise<PluginInstance>>();
  private readonly schemas = new Map<string, CompiledSchema>();
  private generations = new Map<string, number>();
  /** Exits observed, per plugin id. */
  readonly exits = new Map<string, ExitInfo[]>();

  constructor(options: HostOptions = {}) {
    this.options = options;
  }

  /** Discovers a plugin directory and registers every plugin in lexical walk order; throws like the manager. */
  static async load(dir: string, options: HostOptions = {}): Promise<ReferenceHost> {
    const host = new ReferenceHost(options);
    const found = discoverPlugins(dir);
    host.discoveryNotes.push(...found.notes);
    for (const p of found.plugins) await host.register(p);
    return host;
  }

  /** Runs `capabilities` for one plugin file and adds it to the registries. */
  async register(plugin: Pick<DiscoveredPlugin, 'id' | 'path'> & { execPath?: string }): Promise<RegisteredPlugin> {
    const path = plugin.execPath ?? plugin.path;
    const { spec, run, issues } = await loadCapabilities(plugin.id, path, { target: this.options.target, env: this.options.env });
    for (const cap of spec.capabilities) {
      const registry = this.registries.get(cap.kind) ?? new Map<string, string>();
      this.registries.set(cap.kind, registry);
      if ([...registry.values()].includes(plugin.id) && !managerKind(cap.kind, 'head')?.replacedWhenRepeated) {
        throw new HostError(`failed to register plugin ${plugin.id}: plugin with ID ${plugin.id} already registered`, {
          pluginId: plugin.id,
          fix: 'plugin ids are file base names and must be unique in the plugin directory; one capability object per kind',
        });
      }
      for (const field of managerKind(cap.kind, 'head')?.claimFields ?? []) {
        for (const entry of cap.lists[field] ?? []) {
          const owner = registry.get(entry.type);
          if (owner !== undefined) {
            throw new HostError(`failed to register plugin ${plugin.id}: plugin for type ${entry.type} already registered with ID: ${owner}`, {
              pluginId: plugin.id,
              fix: `only one plugin may serve ${cap.kind} type ${entry.type}`,
            });
          }
          registry.set(entry.type, plugin.id);
        }
      }
      // Routing for credentialRepository also goes by repository spec type in this host (the manager cannot route to
      // external credential repositories at all, sdk/docs/protocol.md §3.4).
      for (const field of routingFields(cap.kind)) for (const e of cap.lists[field] ?? []) if (!registry.has(e.type)) registry.set(e.type, plugin.id);
    }
    const registered: RegisteredPlugin = {
      id: plugin.id,
      path,
      spec,
      handshakeIssues: issues,
      capabilitiesStderr: run.stderr,
      capabilitiesMs: run.durationMs,
    };
    this.plugins.set(plugin.id, registered);
    return registered;
  }

  /** The plugin id serving a type for a kind; built-ins first, then the exact declared type (no aliases). */
  resolve(kind: string, type: string): RegisteredPlugin {
    const builtin = builtinFor(kind, '*', type);
    if (builtin === 'v0.13.0') {
      throw new HostError(`${kind} type ${type} is built into the ocm CLI; the CLI never asks a plugin for it`, { fix: 'use a type name of your own' });
    }
    const id = this.registries.get(kind)?.get(type);
    if (id === undefined) {
      const declared = [...(this.registries.get(kind)?.keys() ?? [])];
      throw new HostError(`failed to get plugin for typ "${type}"`, {
        fix: declared.length
          ? `registered ${kind} types are: ${declared.join(', ')} (matched exactly, name and version; aliases are ignored)`
          : `no plugin declares the ${kind} kind`,
      });
    }
    return this.plugins.get(id)!;
  }

  /** The declared entry (last exact match, as the manager scans) whose schema validates a spec. */
  typeEntry(plugin: RegisteredPlugin, kind: string, type: string): TypeEntry | undefined {
    let found: TypeEntry | undefined;
    for (const cap of plugin.spec.capabilities.filter((c) => c.kind === kind)) {
      for (const field of routingFields(kind)) for (const e of cap.lists[field] ?? []) if (e.type === type) found = e;
    }
    return found;
  }

  /** Validates a spec against the plugin's declared schema for its type, as the manager does before a call. */
  validateSpec(plugin: RegisteredPlugin, kind: string, spec: unknown): void {
    const type =
      spec && typeof spec === 'object' && typeof (spec as Record<string, unknown>).type === 'string' ? ((spec as Record<string, unknown>).type as string) : '';
    const entry = this.typeEntry(plugin, kind, type);
    if (!entry) {
      throw new HostError(`failed to validate plugin ${plugin.id}: no schema declared for type "${type}"`, {
        pluginId: plugin.id,
        fix: `declare ${type || 'the type'} in the ${kind} capability`,
      });
    }
    const key = `${plugin.id}\u0000${kind}\u0000${type}`;
    let compiled = this.schemas.get(key);
    if (!compiled) {
      compiled = compileSpecSchema(entry.jsonSchema);
      this.schemas.set(key, compiled);
    }
    if (!compiled.validate) {
      throw new HostError(`failed to validate plugin ${plugin.id}: ${compiled.problems.join('; ')}`, {
        pluginId: plugin.id,
        fix: 'fix the jsonSchema declared in `capabilities`',
      });
    }
    const errors = compiled.validate(spec);
    if (errors.length > 0) {
      throw new HostError(`validation of plugin ${plugin.id} failed for spec of type ${type}: ${errors.join('; ')}`, { pluginId: plugin.id, status: 0 });
    }
  }

  /** The running process of a plugin, started on first use and restarted when it exited since. */
  async instance(pluginId: string): Promise<PluginInstance> {
    const current = this.running.get(pluginId);
    if (current?.instance.running) return current.instance;
    const pending = this.starting.get(pluginId);
    if (pending) return pending;
    const plugin = this.plugins.get(pluginId);
    if (!plugin) throw new HostError(`plugin ${pluginId} is not registered`);
    const start = (async () => {
      const instance = await PluginInstance.launch({
        id: plugin.id,
        path: plugin.path,
        type: this.options.connectionType,
        idleTimeoutNs: this.options.idleTimeoutNs,
        env: this.options.env,
        cwd: this.options.cwd,
        onLog: this.options.onLog ? (r) => this.options.onLog!(plugin.id, r) : undefined,
      });
      const generation = (this.generations.get(pluginId) ?? 0) + 1;
      this.generations.set(pluginId, generation);
      this.running.set(pluginId, { instance, generation });
      void instance.exit.then((exit) => {
        this.exits.set(pluginId, [...(this.exits.get(pluginId) ?? []), exit]);
        this.options.onExit?.(pluginId, exit);
      });
      return instance;
    })();
    this.starting.set(pluginId, start);
    try {
      return await start;
    } finally {
      this.starting.delete(pluginId);
    }
  }

  /** How many times a plugin has been started. */
  starts(pluginId: string): number {
    return this.generations.get(pluginId) ?? 0;
  }

  /** The contract of a kind, from the SDK's `KINDS`. */
  contract(kind: string): KindContract {
    const contract = KINDS[kind];
    if (!contract) throw new HostError(`the kit has no contract for kind ${kind}`);
    return contract;
  }

  /**
   * Routes, validates and sends one endpoint request; returns the raw response. `type` routes endpoints whose
   * request carries no spec (componentVersionRepository GET endpoints); `spec` is validated in that case.
   */
  async send(
    kind: string,
    ep: Endpoint,
    request: unknown,
    options: CallOptions & { type?: string; spec?: unknown; skipValidation?: boolean } = {},
  ): Promise<{ plugin: RegisteredPlugin; response: EndpointResponse }> {
    const spec = options.spec ?? specOf(ep, request);
    const type =
      options.type ??
      (spec && typeof spec === 'object' && typeof (spec as Record<string, unknown>).type === 'string'
        ? ((spec as Record<string, unknown>).type as string)
        : undefined);
    let plugin: RegisteredPlugin;
    if (type === undefined) {
      const ids = new Set(this.registries.get(kind)?.values() ?? []);
      if (ids.size !== 1) throw new HostError(`${ep.method} ${ep.path}: the request names no ${kind} type and ${ids.size} plugins serve the kind; pass a type`);
      plugin = this.plugins.get([...ids][0]!)!;
    } else {
      plugin = this.resolve(kind, type);
    }
    if (!options.skipValidation && spec !== undefined) this.validateSpec(plugin, kind, spec);
    const instance = await this.instance(plugin.id);
    try {
      const response = await sendEndpoint(instance, ep, request, options);
      return { plugin, response };
    } catch (err) {
      const exit = await Promise.race([instance.exit, sleepUndefined(200)]);
      throw new HostError(
        `${ep.method} ${ep.path}: ${err instanceof HostError ? err.reason : (err as Error).message}`,
        {
          pluginId: plugin.id,
          exitCode: exit?.code,
          signal: exit?.signal,
          stderr: instance.stderr,
          fix: exit ? 'the plugin died while serving the request; see its stderr' : undefined,
        },
        { cause: err },
      );
    }
  }

  /** Calls an endpoint with the manager's semantics: non-200 throws, the 200 body is decoded and checked. */
  async call(kind: string, ep: Endpoint, request: unknown, options: CallOptions & { type?: string; spec?: unknown } = {}): Promise<unknown> {
    const { plugin, response } = await this.send(kind, ep, request, options);
    if (response.status !== 200) throw statusError(plugin.id, ep, response);
    const decoded = decodeResponse(ep, response.body);
    if (decoded.problems.length > 0) {
      throw new HostError(`${ep.method} ${ep.path}: the response is not what the manager can use: ${decoded.problems.join('; ')}`, {
        pluginId: plugin.id,
        fix: `return the ${ep.name} result the ${kind} contract describes`,
      });
    }
    return decoded.value;
  }

  /** A typed client for a kind, with one method per endpoint of its contract. */
  client<K extends KindContract>(contract: K, routing: { type?: string; spec?: unknown } = {}): KindClient<K> {
    return kindClient(contract, (ep, request, options) => this.call(contract.kind, ep, request, { ...routing, ...options }));
  }

  /** Capabilities a plugin declared for a kind. */
  capabilitiesOf(pluginId: string, kind: string): CapabilitySpec[] {
    return this.plugins.get(pluginId)?.spec.capabilities.filter((c) => c.kind === kind) ?? [];
  }

  /**
   * SIGINT to every started plugin; for componentLister and inputRepository plugins wait up to 10 s, then SIGKILL
   * (`PluginManager.Shutdown`). Returns the exits observed.
   */
  async shutdown(): Promise<Map<string, ExitInfo | undefined>> {
    const results = new Map<string, ExitInfo | undefined>();
    const deadline = performance.now() + SHUTDOWN_WAIT_MS;
    for (const [id, { instance }] of this.running) {
      const kinds = this.plugins.get(id)?.spec.capabilities.map((c) => c.kind) ?? [];
      const waits = kinds.some((k) => managerKind(k, 'head')?.waitsOnShutdown);
      const remaining = Math.max(0, deadline - performance.now());
      results.set(id, await instance.shutdown(waits ? Math.max(remaining, 1) : 0));
      if (!waits) {
        // The CLI exits right away; the reference host still reaps the process so nothing outlives it.
        const exited = await Promise.race([instance.exit, sleepUndefined(SHUTDOWN_WAIT_MS)]);
        if (!exited) await instance.kill();
        results.set(id, instance.exitInfo);
      }
      await instance.close();
    }
    this.running.clear();
    return results;
  }
}
