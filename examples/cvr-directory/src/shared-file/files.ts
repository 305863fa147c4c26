/** Files on a shared filesystem: SHA-256 digests and atomic copies. */
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { pluginError, type Blobs, type Digest, type Location } from '@ocm-plugin-kit/sdk';
import { writeHashed } from '../hashing-copy.js';

/** The OCM digest of a plain blob: SHA-256 over the bytes, `genericBlobDigest/v1`. */
export function blobDigest(hex: string): Digest {
  return { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'genericBlobDigest/v1', value: hex };
}

/** The absolute path of an access spec's file; fails with 404 when it is not a regular file. */
export async function existingFile(path: string): Promise<string> {
  const file = resolve(path);
  const info = await stat(file).catch(() => undefined);
  if (!info) throw pluginError(404, `shared file ${file} does not exist (relative paths resolve against the ocm working directory ${process.cwd()})`);
  if (!info.isFile()) throw pluginError(400, `shared file ${file} is not a regular file`);
  return file;
}

export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Checks a file against a recorded digest; only SHA-256 `genericBlobDigest/v1` digests can be checked. */
export async function verifyDigest(file: string, digest: Digest | null | undefined): Promise<'verified' | 'unchecked'> {
  if (digest?.hashAlgorithm.toUpperCase().replace('-', '') !== 'SHA256' || digest.normalisationAlgorithm !== 'genericBlobDigest/v1') return 'unchecked';
  const actual = await sha256File(file);
  if (actual !== digest.value.toLowerCase()) {
    throw pluginError(
      422,
      `shared file ${file} has SHA-256 ${actual}, but the component version records ${digest.value}: the file changed after the component version was built`,
    );
  }
  return 'verified';
}

/** Copies a blob to `target` through a temp file in the same directory; returns the SHA-256. */
export async function writeAtomically(blobs: Blobs, location: Location, target: string): Promise<string> {
  const file = resolve(target);
  await mkdir(dirname(file), { recursive: true });
  const tmp = `${file}.${randomBytes(6).toString('hex')}.partial`;
  return writeHashed(blobs, location, tmp, () => file);
}
