import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Credentials, Location } from './contracts/model.js';
import type { PluginConfig } from './host-facts/index.js';

/** What a blob handed to {@link Blobs.write} can be. */
export type BlobSource = Readable | AsyncIterable<Uint8Array> | Uint8Array | string | { readonly path: string };

/** Options for a blob the plugin hands to the host. */
export interface WriteBlobOptions {
  /** Media type the host records for the blob (e.g. `application/gzip`). */
  readonly mediaType?: string;
  /** A file name hint (no directories), to make temp files recognisable. */
  readonly name?: string;
}

/** Options for {@link Blobs.copyTo}. */
export interface CopyBlobOptions {
  /** A `node:crypto` hash algorithm (e.g. `sha256`) to compute over the bytes while they are copied. */
  readonly hash?: string;
  /** Mode of a file the copy creates; default `0o644`. */
  readonly mode?: number;
}

/** What {@link Blobs.copyTo} copied. */
export interface CopiedBlob {
  /** Bytes copied. */
  readonly size: number;
  /** Hex digest of the bytes, when {@link CopyBlobOptions.hash} asked for one. */
  readonly digest?: string;
}

/** Blob I/O for handlers: streams in, files out, never whole buffers unless the handler chooses so. */
export interface Blobs {
  /**
   * Writes a blob into this plugin's private temp directory and returns the `localFile` location for the host.
   * A `{ path }` source is linked or copied. Files are removed only when the plugin shuts down, since the host reads
   * them lazily after the response.
   */
  write(source: BlobSource, options?: WriteBlobOptions): Promise<Location>;
  /** Opens a location the host sent (always `localFile`) as a stream. */
  open(location: Location): Readable;
  /**
   * Copies a location the host sent to a file (created or truncated), hashing it on the way when asked: the fast
   * way to store an uploaded blob, about twice as fast as piping {@link Blobs.open} through a hash into a write
   * stream. Write to a temp file and rename it when readers must never see a partial file.
   */
  copyTo(location: Location, path: string, options?: CopyBlobOptions): Promise<CopiedBlob>;
  /** Creates an empty file in the private temp directory for a handler that writes it itself; returns its path. */
  tempPath(name?: string): Promise<string>;
  /** The location for a file the handler already wrote (e.g. via {@link Blobs.tempPath}). */
  locationOf(path: string, mediaType?: string): Location;
}

/** Everything a handler gets besides the request. */
export interface HandlerContext {
  /** The plugin id the host started this process with (the executable's file name). */
  readonly pluginId: string;
  /** The validated `--config`. */
  readonly config: PluginConfig;
  /**
   * Generic config entries the host passed in `--config` `configTypes`, by type, each validated by the schema the
   * plugin declared in `configTypes` (ocm CLI v0.13.0 never sends them; other hosts may).
   */
  readonly configTypes: Readonly<Record<string, unknown>>;
  /** The declared type this request was dispatched to. */
  readonly type: string;
  /**
   * Credentials the host resolved for this request, parsed from the `Authorization` header. `undefined` when the
   * host sent none, or sent `{}` (its way of saying "none" on some kinds).
   */
  readonly credentials: Credentials | undefined;
  /** Logger whose lines the host re-logs (stderr JSON, host level names). Never log credentials. */
  readonly log: Logger;
  /** Aborted when the host disconnects or the plugin shuts down. */
  readonly signal: AbortSignal;
  readonly blobs: Blobs;
}
