/** Blob files the plugin hands to the host: written into a private temp directory, removed at shutdown. */
import { closeSync, createReadStream, createWriteStream, fstatSync, openSync } from 'node:fs';
import { copyFile, link, mkdtemp, open as openFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, isAbsolute, join, resolve } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BlobSource, Blobs, CopiedBlob, CopyBlobOptions, WriteBlobOptions } from '../context.js';
import type { Location } from '../contracts/model.js';
import { PluginError } from '../errors.js';
import { copyHashed } from './file-copy.js';
import { safeId } from './listen.js';

/**
 * Read and write buffer for blob files: fewer trips through the stream machinery and the thread pool than Node's
 * 64 KiB. Larger is not better: buffers of 1 MiB are allocated outside Node's pool, and their page faults made a
 * read-hash-write copy slower than with 64 KiB.
 */
export const BLOB_CHUNK = 256 * 1024;

/** Longest part of a blob file name taken from the name a handler gives. */
const MAX_NAME = 100;

/** The file a location the host sent names; a 400 for anything but an absolute `localFile` path. */
function localPath(location: Location): string {
  if (location.type !== 'localFile') {
    throw PluginError.of('OCMP_ERR_LOCATION', { detail: `unsupported location type ${String(location.type)}; only localFile is supported` });
  }
  if (!isAbsolute(location.value)) {
    throw PluginError.of('OCMP_ERR_LOCATION', { detail: `location ${location.value} is not an absolute path` });
  }
  return location.value;
}

const unreadable = (path: string, err: unknown): PluginError =>
  PluginError.of('OCMP_ERR_LOCATION', {
    detail: `cannot read the blob the host sent at ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
  });

const notAFile = (path: string): PluginError => PluginError.of('OCMP_ERR_LOCATION', { detail: `the blob the host sent at ${path} is not a regular file` });

/** {@link Blobs} backed by one private directory per plugin process. */
export class BlobStore implements Blobs {
  #dir: Promise<string> | undefined;
  #counter = 0;

  /** `dir`: an existing directory to write into instead of a fresh private one (tests). */
  constructor(
    private readonly pluginId: string,
    dir?: string,
  ) {
    if (dir) this.#dir = Promise.resolve(dir);
  }

  async #directory(): Promise<string> {
    this.#dir ??= mkdtemp(join(process.env.TMPDIR || tmpdir(), `ocm-${safeId(this.pluginId)}-blobs-`));
    return this.#dir;
  }

  async tempPath(name?: string): Promise<string> {
    const dir = await this.#directory();
    // Names come from requests (resource names); a file name has at most 255 bytes.
    const safe = basename(name ?? 'blob')
      .replace(/[^A-Za-z0-9._-]/g, '_')
      .slice(-MAX_NAME);
    const file = join(dir, `${++this.#counter}-${safe}`);
    await writeFile(file, '', { mode: 0o600 });
    return file;
  }

  locationOf(path: string, mediaType?: string): Location {
    const value = resolve(path);
    return mediaType ? { type: 'localFile', value, mediaType } : { type: 'localFile', value };
  }

  async write(source: BlobSource, options: WriteBlobOptions = {}): Promise<Location> {
    const file = await this.tempPath(options.name);
    if (typeof source === 'string' || source instanceof Uint8Array) {
      await writeFile(file, source);
    } else if ('path' in source && typeof source.path === 'string' && !(source instanceof Readable)) {
      await rm(file);
      await link(source.path, file).catch(() => copyFile(source.path, file));
    } else {
      await pipeline(source as AsyncIterable<Uint8Array>, createWriteStream(file, { highWaterMark: BLOB_CHUNK }));
    }
    return this.locationOf(file, options.mediaType);
  }

  open(location: Location): Readable {
    const path = localPath(location);
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (err) {
      throw unreadable(path, err);
    }
    // Opening a directory read-only succeeds; only the first read fails (EISDIR), inside the handler, as a 500.
    if (!fstatSync(fd).isFile()) {
      closeSync(fd);
      throw notAFile(path);
    }
    const stream = createReadStream(path, { fd, highWaterMark: BLOB_CHUNK });
    // A handler may await something before it consumes the stream; a read error must not crash the process
    // meanwhile. Whoever consumes it later still sees the error (stream.errored).
    stream.on('error', () => {});
    return stream;
  }

  async copyTo(location: Location, path: string, options: CopyBlobOptions = {}): Promise<CopiedBlob> {
    const from = localPath(location);
    const source = await openFile(from, 'r').catch((err: unknown) => {
      throw unreadable(from, err);
    });
    try {
      if (!(await source.stat()).isFile()) throw notAFile(from);
      const target = await openFile(path, 'w', options.mode ?? 0o644);
      try {
        return await copyHashed(source, target, options.hash);
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
  }

  /** Deletes every file handed out. Called only at shutdown: the host reads files lazily after responses. */
  async cleanup(): Promise<void> {
    if (!this.#dir) return;
    const dir = await this.#dir.catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}
