/** Copies one file to another while hashing it, with the hash and the I/O running side by side. */
import type { FileHandle } from 'node:fs/promises';

/**
 * Size of each of the two buffers. They are allocated once per copy and reused: a fresh 1 MiB buffer per chunk
 * (what a read stream of that high-water mark does) costs page faults that made copies slower than 64 KiB chunks.
 */
export const COPY_CHUNK = 1024 * 1024;

/** What {@link copyHashed} did. */
export interface CopyResult {
  /** Bytes copied. */
  readonly size: number;
  /** Hex digest of the bytes copied, when a hash algorithm was asked for. */
  readonly digest?: string;
}

async function writeAll(to: FileHandle, buf: Buffer, position: number): Promise<void> {
  for (let off = 0; off < buf.length; ) {
    const { bytesWritten } = await to.write(buf, off, buf.length - off, position + off);
    off += bytesWritten;
  }
}

/**
 * Copies `from` to `to` from their current positions. While the thread pool writes chunk i and reads chunk i+1, the
 * main thread hashes chunk i, so the copy takes about as long as the slower of hashing and I/O, not their sum.
 */
export async function copyHashed(from: FileHandle, to: FileHandle, algorithm?: string): Promise<CopyResult> {
  // node:crypto is loaded on the first hashed copy: at start-up it cost ≈ 6 ms (its internal modules and their set-up).
  const hash = algorithm ? (process.getBuiltinModule('node:crypto') as typeof import('node:crypto')).createHash(algorithm) : undefined;
  const buffers = [Buffer.allocUnsafeSlow(COPY_CHUNK), Buffer.allocUnsafeSlow(COPY_CHUNK)] as const;
  let size = 0;
  let writing: Promise<void> = Promise.resolve();
  let reading = from.read(buffers[0], 0, COPY_CHUNK, null);
  try {
    for (let i = 0; ; i++) {
      const { bytesRead } = await reading;
      if (bytesRead === 0) break;
      const chunk = buffers[i % 2]!.subarray(0, bytesRead);
      // The other buffer is free once the previous write is done.
      await writing;
      reading = from.read(buffers[(i + 1) % 2]!, 0, COPY_CHUNK, null);
      writing = writeAll(to, chunk, size);
      // Awaited next round or in the catch below; until then a failure must not count as unhandled.
      writing.catch(() => {});
      size += bytesRead;
      hash?.update(chunk);
    }
    await writing;
  } catch (err) {
    // Let the I/O in flight settle before the caller closes the files under it.
    await Promise.allSettled([reading, writing]);
    throw err;
  }
  return hash ? { size, digest: hash.digest('hex') } : { size };
}
