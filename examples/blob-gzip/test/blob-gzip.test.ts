import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePlugin } from '../../../scripts/examples.js';
import { startPlugin, type PluginProcess } from '../../../scripts/plugin-process.js';
import { GZIP } from '../src/spec.js';

async function sha256Of(path: string, gunzip = false): Promise<string> {
  const hash = createHash('sha256');
  if (gunzip) await pipeline(createReadStream(path), createGunzip(), hash);
  else await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

describe('blob-gzip transformer plugin (real process)', () => {
  let plugin: PluginProcess;
  const work = mkdtempSync(join(tmpdir(), 'blob-gzip-test-'));
  // Like the manager's own temp files: $TMPDIR/blob<digits>, no media type.
  const input = join(work, 'blob2750117832');

  beforeAll(async () => {
    // 12 MiB: half random, half repetitive, so compression has work to do in both directions.
    writeFileSync(input, Buffer.concat([randomBytes(6 * 1024 * 1024), Buffer.alloc(6 * 1024 * 1024, 'ocm ')]));
    plugin = await startPlugin(examplePlugin('blob-gzip').executable, { id: 'blob-gzip' });
  });
  afterAll(async () => {
    plugin.kill('SIGINT');
    await plugin.exited;
  });

  const transform = (specification: object, value = input, headers?: Record<string, string>) =>
    plugin.request('POST', '/blob/transform', { body: { location: { type: 'localFile', value }, specification }, headers });

  it('compresses to a new localFile with media type application/gzip, bytes intact', async () => {
    const res = await transform({ type: GZIP, level: 1 });
    expect(res.status, res.body).toBe(200);
    const { location } = JSON.parse(res.body) as { location: { type: string; value: string; mediaType?: string } };
    expect(location).toMatchObject({ type: 'localFile', mediaType: 'application/gzip' });
    expect(location.value).not.toBe(input);
    expect(statSync(location.value).size).toBeLessThan(statSync(input).size);
    expect(await sha256Of(location.value, true)).toBe(await sha256Of(input));
    // The input is the host's file: left untouched.
    expect(statSync(input).size).toBe(12 * 1024 * 1024);
  });

  it('decompresses back to the original bytes, with the media type the spec asks for', async () => {
    const gz = join(work, 'in.gz');
    writeFileSync(gz, gzipSync(readFileSync(input)));
    const res = await transform({ type: GZIP, mode: 'decompress', mediaType: 'application/octet-stream' }, gz);
    expect(res.status, res.body).toBe(200);
    const { location } = JSON.parse(res.body) as { location: { value: string; mediaType?: string } };
    expect(location.mediaType).toBe('application/octet-stream');
    expect(await sha256Of(location.value)).toBe(await sha256Of(input));
  });

  it('serves concurrent requests', async () => {
    const results = await Promise.all([1, 5, 9].map((level) => transform({ type: GZIP, level })));
    for (const r of results) expect(r.status, r.body).toBe(200);
    const outs = results.map((r) => (JSON.parse(r.body) as { location: { value: string } }).location.value);
    expect(new Set(outs).size).toBe(3);
    for (const o of outs) expect(await sha256Of(o, true)).toBe(await sha256Of(input));
  });

  it('decodes the real /identity body {type: <spec>} and answers "no identity" (404), so the host goes on without credentials', async () => {
    const ok = await plugin.request('POST', '/identity', { body: { type: { type: GZIP, level: 3 } } });
    expect(ok.status).toBe(404);
    expect(ok.body).toContain('no credential consumer identity for type Gzip.examples.ocmkit.dev/v1');
    const bad = await plugin.request('POST', '/identity', { body: { type: { type: GZIP, level: 42 } } });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('invalid transformer spec');
    const other = await plugin.request('POST', '/identity', { body: { type: { type: 'Zstd/v1' } } });
    expect(other.status).toBe(400);
    expect(other.body).toContain('type Zstd/v1 is not served');
  });

  it('answers bad requests and handler errors with non-200 text messages', async () => {
    const notGzip = await transform({ type: GZIP, mode: 'decompress' });
    expect(notGzip.status).toBe(400);
    expect(notGzip.body).toContain('is not gzip data');
    expect(notGzip.body).toContain('plugin blob-gzip: POST /blob/transform');

    const missing = await transform({ type: GZIP }, join(work, 'nope'));
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('is not a readable file');

    const cases: Array<[object, number, string]> = [
      [{ specification: { type: GZIP } }, 400, 'invalid request'],
      [{ location: { type: 'remoteURL', value: 'https://x' }, specification: { type: GZIP } }, 400, 'only supports locations of type localFile'],
      [{ location: { type: 'localFile', value: input }, specification: { type: GZIP, mode: 'explode' } }, 400, 'invalid transformer spec'],
      [{ location: { type: 'localFile', value: input }, specification: { type: 'Other/v1' } }, 400, 'is not served'],
    ];
    for (const [body, status, text] of cases) {
      const res = await plugin.request('POST', '/blob/transform', { body });
      expect(res.status, res.body).toBe(status);
      expect(res.body).toContain(text);
    }
    const auth = await transform({ type: GZIP }, input, { Authorization: 'not json' });
    expect(auth.status).toBe(401);
    const notJson = await plugin.request('POST', '/blob/transform', { body: '{"location":' });
    expect(notJson.status).toBe(400);
  });
});
