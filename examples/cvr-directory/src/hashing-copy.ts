/** Streams a blob into place through a temp file while hashing it: readers never see a half-written file. */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** Write buffer; 256 KiB like the SDK's blob streams (1 MiB buffers were slower: page faults per allocation). */
const CHUNK = 256 * 1024;

/**
 * Copies `content` to `tmp` (mode 0644), then renames it to `target(sha256 hex)` (same directory, so the rename is
 * atomic) and returns the hex. The temp file is removed if anything fails.
 */
export async function writeHashed(content: Readable, tmp: string, target: (hex: string) => string): Promise<string> {
  const hash = createHash('sha256');
  try {
    // A plain Transform: an async generator between the streams costs a promise round trip per chunk.
    const hashing = new Transform({
      highWaterMark: CHUNK,
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    await pipeline(content, hashing, createWriteStream(tmp, { mode: 0o644, highWaterMark: CHUNK }));
    const hex = hash.digest('hex');
    await rename(tmp, target(hex));
    return hex;
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
