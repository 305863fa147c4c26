import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { BlobStore } from '../../src/server/blobs.js';

describe('BlobStore', () => {
  it('writes strings, bytes, streams and files to absolute localFile locations and removes them at cleanup', async () => {
    const store = new BlobStore('blob-test');
    const src = join(mkdtempSync(join(tmpdir(), 'blob-src-')), 'in.bin');
    writeFileSync(src, 'from a file');
    const locations = [
      await store.write('text', { mediaType: 'text/plain', name: '../../escape' }),
      await store.write(new Uint8Array([1, 2, 3])),
      await store.write(Readable.from([Buffer.from('str'), Buffer.from('eam')])),
      await store.write({ path: src }),
    ];
    expect(locations[0]).toMatchObject({ type: 'localFile', mediaType: 'text/plain' });
    expect(locations[0]!.value).not.toContain('..');
    expect(locations.map((l) => readFileSync(l.value).toString('latin1'))).toEqual(['text', '\x01\x02\x03', 'stream', 'from a file']);
    for (const l of locations) expect(l.value.startsWith('/')).toBe(true);
    await store.cleanup();
    for (const l of locations) expect(existsSync(l.value)).toBe(false);
    expect(existsSync(src)).toBe(true);
  });

  it('writes a blob whose name, taken from a request, is longer than a file name may be', async () => {
    const store = new BlobStore('blob-test');
    const location = await store.write('long', { name: `${'n'.repeat(70_000)}.tar` });
    expect(readFileSync(location.value, 'utf8')).toBe('long');
    expect(location.value.endsWith('n.tar')).toBe(true);
    await store.cleanup();
  });

  it('refuses a missing file at once with a 400 naming it', () => {
    const store = new BlobStore('blob-test');
    expect(() => store.open({ type: 'localFile', value: '/nonexistent/blob' })).toThrow(/cannot read the blob the host sent at \/nonexistent\/blob: ENOENT/);
    expect(() => store.open({ type: 'localFile', value: 'relative' })).toThrow(/not an absolute path/);
  });

  it('refuses a directory at once with a 400, not a read error inside the handler', () => {
    const store = new BlobStore('blob-test');
    const dir = mkdtempSync(join(tmpdir(), 'blob-dir-'));
    let err: unknown;
    try {
      store.open({ type: 'localFile', value: dir });
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ status: 400, message: expect.stringContaining('is not a regular file') });
  });

  it('does not crash when the handler consumes the stream only later', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blob-late-'));
    const file = join(dir, 'f');
    writeFileSync(file, 'late');
    const stream = new BlobStore('blob-test').open({ type: 'localFile', value: file });
    await sleep(50);
    const chunks: Buffer[] = [];
    for await (const c of stream) chunks.push(c as Buffer);
    expect(Buffer.concat(chunks).toString()).toBe('late');
  });

  it('copies a location to a file while hashing it, across chunk boundaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blob-copy-'));
    const store = new BlobStore('blob-test');
    for (const size of [0, 1, 1024 * 1024, 2.5 * 1024 * 1024 + 7]) {
      const bytes = randomBytes(size);
      writeFileSync(join(dir, 'in'), bytes);
      const copied = await store.copyTo({ type: 'localFile', value: join(dir, 'in') }, join(dir, 'out'), { hash: 'sha256', mode: 0o600 });
      expect(copied).toEqual({ size, digest: createHash('sha256').update(bytes).digest('hex') });
      expect(readFileSync(join(dir, 'out')).equals(bytes)).toBe(true);
      expect(statSync(join(dir, 'out')).mode & 0o777).toBe(0o600);
    }
    writeFileSync(join(dir, 'out'), 'a longer file that the copy must truncate');
    expect(await store.copyTo({ type: 'localFile', value: join(dir, 'in') }, join(dir, 'out'))).toEqual({ size: 2.5 * 1024 * 1024 + 7 });
    expect(statSync(join(dir, 'out')).size).toBe(2.5 * 1024 * 1024 + 7);
  });

  it('refuses to copy a missing file or a directory with a 400, and reports a bad target as the file error', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blob-copy-bad-'));
    const store = new BlobStore('blob-test');
    await expect(store.copyTo({ type: 'localFile', value: join(dir, 'missing') }, join(dir, 'out'))).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('ENOENT'),
    });
    await expect(store.copyTo({ type: 'localFile', value: dir }, join(dir, 'out'))).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('is not a regular file'),
    });
    expect(existsSync(join(dir, 'out'))).toBe(false);
    writeFileSync(join(dir, 'in'), 'x');
    await expect(store.copyTo({ type: 'localFile', value: join(dir, 'in') }, dir)).rejects.toMatchObject({ code: 'EISDIR' });
  });
});
