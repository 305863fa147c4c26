/**
 * A real handler context for unit tests: blobs go through the SDK's own blob store into a fresh temp directory, the
 * log is the SDK's logger (silent unless `DEBUG_PLUGIN=1`), credentials are whatever the test passes. Handlers run
 * exactly as the SDK calls them, without a server.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HandlerContext } from '../context.js';
import type { Credentials } from '../contracts/model.js';
import { managerConfigJson, PluginConfigSchema } from '../host-facts/config.js';
import { BlobStore } from '../server/blobs.js';
import { testLogger } from './log.js';

/** A {@link HandlerContext} for calling a handler directly in a unit test. */
export interface TestContext extends HandlerContext {
  /** The temp directory blobs are written to. */
  readonly dir: string;
}

/** Options of {@link testContext}. */
export interface TestContextOptions {
  /** The declared type the call is for, e.g. `MyInput/v1`. */
  readonly type: string;
  readonly credentials?: Credentials;
  /** Default `test-plugin`. */
  readonly pluginId?: string;
  /** Parsed `configTypes` entries, by type. */
  readonly configTypes?: Record<string, unknown>;
  /** Aborts the call as a shutdown would. */
  readonly signal?: AbortSignal;
}

/**
 * A context for one handler call of the given declared type.
 *
 * @example
 * ```ts
 * const ctx = await testContext({ type: 'MyInput/v1' });
 * const result = await handler.processResource({ resource }, ctx);
 * ```
 */
export async function testContext(options: TestContextOptions): Promise<TestContext> {
  const pluginId = options.pluginId ?? 'test-plugin';
  const dir = await mkdtemp(join(process.env.TMPDIR || tmpdir(), 'plugin-test-'));
  const log = testLogger(pluginId);
  return {
    dir,
    pluginId,
    config: PluginConfigSchema.parse(JSON.parse(managerConfigJson(pluginId))),
    configTypes: options.configTypes ?? {},
    type: options.type,
    credentials: options.credentials,
    log,
    signal: options.signal ?? new AbortController().signal,
    blobs: new BlobStore(pluginId, dir),
  };
}
