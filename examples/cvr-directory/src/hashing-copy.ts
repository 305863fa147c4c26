/** Streams a blob into place through a temp file while hashing it: readers never see a half-written file. */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * Copies `content` to `tmp` (mode 0644), then renames it to `target(sha256 hex)` (same directory, so the rename is
 * atomic) and returns the hex. The temp file is removed if anything fails.
 */
export async function writeHashed(content: Readable, tmp: string, target: (hex: string) => string): Promise<string> {
  const hash = createHash('sha256');
  try {
    await pipeline(content, async function* (source) {
      for await (const chunk of source) {
        hash.update(chunk as Buffer);
        yield chunk;
      }
    }, createWriteStream(tmp, { mode: 0o644 }));
    const hex = hash.digest('hex');
    await rename(tmp, target(hex));
    return hex;
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
