import { createWriteStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { pluginError, type BlobTransformerHandler } from '@ocm-plugin-kit/sdk';
import type { GzipSpec } from './spec.js';

/** zlib chunk size: large chunks keep throughput up while memory stays a few hundred KiB per request. */
const CHUNK = 256 * 1024;

const handler: BlobTransformerHandler<GzipSpec> = {
  async transformBlob({ location, specification: spec }, ctx) {
    const input = await stat(location.value).catch(() => undefined);
    if (!input?.isFile()) throw pluginError(400, `input blob ${location.value} is not a readable file`);

    const compress = spec.mode === 'compress';
    const out = await ctx.blobs.tempPath(compress ? 'blob.gz' : 'blob');
    const codec = compress ? createGzip({ level: spec.level, chunkSize: CHUNK }) : createGunzip({ chunkSize: CHUNK });
    const started = Date.now();
    try {
      // Streams end to end: the blob is never held in memory, whatever its size.
      await pipeline(ctx.blobs.open(location), codec, createWriteStream(out, { highWaterMark: CHUNK }), { signal: ctx.signal });
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (!compress && (code === 'Z_DATA_ERROR' || code === 'Z_BUF_ERROR')) {
        throw pluginError(400, `input blob ${location.value} is not gzip data (${(err as Error).message}); use mode: compress to gzip it`);
      }
      throw err;
    }
    const size = (await stat(out)).size;
    ctx.log.debug({ mode: spec.mode, in: input.size, out: size, ms: Date.now() - started }, 'transformed blob');
    const mediaType = spec.mediaType ?? (compress ? 'application/gzip' : undefined);
    return { location: ctx.blobs.locationOf(out, mediaType) };
  },
};
export default handler;
