/**
 * A real handler context for unit tests: blobs are files in a fresh temp directory, the log is silent unless
 * `DEBUG_PLUGIN=1`, credentials are whatever the test passes. Handlers run exactly as the SDK calls them.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { copyFile, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobSource, Credentials, HandlerContext, Location } from '@ocm-plugin-kit/sdk';

type Log = HandlerContext['log'];

function logger(): Log {
  const verbose = process.env.DEBUG_PLUGIN === '1';
  const write = (level: string) => (...args: unknown[]) => {
    if (verbose) process.stderr.write(`${level} ${args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ')}\n`);
  };
  const log: Record<string, unknown> = {
    level: verbose ? 'debug' : 'silent',
    trace: write('TRACE'),
    debug: write('DEBUG'),
    info: write('INFO'),
    warn: write('WARN'),
    error: write('ERROR'),
    fatal: write('FATAL'),
    silent: () => {},
    flush: () => {},
    isLevelEnabled: () => verbose,
  };
  log.child = () => log;
  return log as unknown as Log;
}

export interface TestContext extends HandlerContext {
  /** The temp directory blobs are written to. */
  readonly dir: string;
}

/** A context for one handler call of the given declared type. */
export async function testContext(options: { type: string; credentials?: Credentials; pluginId?: string; configTypes?: Record<string, unknown> }): Promise<TestContext> {
  const dir = await mkdtemp(join(tmpdir(), 'plugin-test-'));
  let counter = 0;
  const tempPath = async (name?: string) => {
    const file = join(dir, `${++counter}-${basename(name ?? 'blob')}`);
    await writeFile(file, '');
    return file;
  };
  const locationOf = (path: string, mediaType?: string): Location =>
    mediaType ? { type: 'localFile', value: resolve(path), mediaType } : { type: 'localFile', value: resolve(path) };
  const pluginId = options.pluginId ?? 'test-plugin';
  return {
    dir,
    pluginId,
    config: { id: pluginId, type: 'unix', pluginType: '', idleTimeout: 3_600_000_000_000 },
    configTypes: options.configTypes ?? {},
    type: options.type,
    credentials: options.credentials,
    log: logger(),
    signal: new AbortController().signal,
    blobs: {
      tempPath,
      locationOf,
      async write(source: BlobSource, opts = {}) {
        const file = await tempPath(opts.name);
        if (typeof source === 'string' || source instanceof Uint8Array) await writeFile(file, source);
        else if ('path' in source && typeof source.path === 'string' && !(source instanceof Readable)) await copyFile(source.path, file);
        else await pipeline(source as AsyncIterable<Uint8Array>, createWriteStream(file));
        return locationOf(file, opts.mediaType);
      },
      open(location: Location) {
        return createReadStream(location.value);
      },
    },
  };
}
