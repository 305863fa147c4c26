/** Copies a blob into place through a temp file while hashing it: readers never see a half-written file. */
import { rename, rm } from 'node:fs/promises';
import type { Blobs, Location } from '@ocm-plugin-kit/sdk';

/**
 * Copies the blob at `location` to `tmp` (mode 0644), then renames it to `target(sha256 hex)` (same directory, so the
 * rename is atomic) and returns the hex. The temp file is removed if anything fails.
 */
export async function writeHashed(blobs: Blobs, location: Location, tmp: string, target: (hex: string) => string): Promise<string> {
  try {
    // copyTo hashes while the thread pool reads and writes: about twice the speed of open() piped through a hash.
    const { digest } = await blobs.copyTo(location, tmp, { hash: 'sha256', mode: 0o644 });
    const hex = digest as string;
    await rename(tmp, target(hex));
    return hex;
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}
