import type { Readable } from 'node:stream';
import type { Logger } from 'pino';
import type { Credentials, Location } from './contracts/model.js';
import type { PluginConfig } from './host-facts/index.js';

/** What a blob handed to {@link Blobs.write} can be. */
export type BlobSource =
  | Readable
  | AsyncIterable<Uint8Array>
  | Uint8Array
  | string
  | { readonly path: string };

/** Options for a blob the plugin hands to the host. */
export interface WriteBlobOptions {
  /** Media type the host records for the blob (e.g. `application/gzip`). */
  readonly mediaType?: string;
  /** A file name hint (no directories), to make temp files recognisable. */
  readonly name?: string;
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
