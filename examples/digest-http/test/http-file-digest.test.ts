import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePlugin } from '../../../scripts/examples.js';
import { startPlugin, type PluginProcess } from '../../../scripts/plugin-process.js';
import { HTTP_FILE } from '../src/spec.js';

const payload = randomBytes(5 * 1024 * 1024 + 17);
const sha = (alg: string, b: Buffer) => createHash(alg).update(b).digest('hex');

/** A real file server on 127.0.0.1: plain, protected, redirecting, missing and truncated files. */
function fileServer(): Promise<{ server: Server; base: string; hits: string[] }> {
  const hits: string[] = [];
  const server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url} ${req.headers.authorization ?? '-'}`);
    const send = () => {
      res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': payload.length });
      // Chunked writes, so the plugin has to stream.
      let off = 0;
      const pump = () => {
        while (off < payload.length) {
          const chunk = payload.subarray(off, off + 64 * 1024);
          off += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      pump();
    };
    switch (req.url) {
      case '/file.bin':
        return send();
      case '/private.bin':
        if (req.headers.authorization === `Basic ${Buffer.from('alice:s3cr3t').toString('base64')}` || req.headers.authorization === 'Bearer tok')
          return send();
        res.writeHead(401, { 'WWW-Authenticate': 'Basic' }).end('no');
        return;
      case '/moved':
        res.writeHead(302, { Location: '/file.bin' }).end();
        return;
      case '/truncated':
        res.writeHead(200, { 'Content-Length': '1000' });
        res.write(Buffer.alloc(10));
        setTimeout(() => res.destroy(), 20);
        return;
      default:
        res.writeHead(404).end('not here');
    }
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, base: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits })),
  );
}

describe('http-file-digest digest processor (real process, real HTTP server)', () => {
  let plugin: PluginProcess;
  let srv: Awaited<ReturnType<typeof fileServer>>;

  beforeAll(async () => {
    srv = await fileServer();
    plugin = await startPlugin(examplePlugin('http-file-digest').executable, { id: 'http-file-digest' });
  });
  afterAll(async () => {
    plugin.kill('SIGINT');
    await plugin.exited;
    srv.server.close();
  });

  const resource = (path: string, extra: Record<string, unknown> = {}) => ({
    name: 'payload',
    version: '1.0.0',
    labels: [{ name: 'team', value: { owner: 'acme' }, signing: true }],
    extraIdentity: { arch: 'amd64' },
    srcRefs: [{ identitySelector: { name: 'src' } }],
    type: 'blob',
    relation: 'external',
    access: { type: HTTP_FILE, url: `${srv.base}${path}`, mediaType: 'application/octet-stream', note: 'kept' },
    ...extra,
  });
  const process = (res: object, headers?: Record<string, string>) => plugin.request('POST', '/resource/digest/process', { body: { resource: res }, headers });

  it('answers /identity with the server the access points to', async () => {
    const res = await plugin.request('POST', '/identity', { body: { type: { type: HTTP_FILE, url: 'https://files.example:8443/app.tgz' } } });
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ identity: { type: HTTP_FILE, scheme: 'https', hostname: 'files.example', port: '8443' } });
    const plain = await plugin.request('POST', '/identity', { body: { type: { type: HTTP_FILE, url: 'http://files.example/app.tgz' } } });
    expect(JSON.parse(plain.body)).toEqual({ identity: { type: HTTP_FILE, scheme: 'http', hostname: 'files.example' } });
  });

  it('streams the file through sha256 and echoes every field of the resource with the digest added', async () => {
    const input = resource('/file.bin', { somethingNew: 'x' });
    const res = await process(input);
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toEqual({
      resource: { ...input, digest: { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'genericBlobDigest/v1', value: sha('sha256', payload) } },
    });
    expect(srv.hits.at(-1)).toBe('GET /file.bin -');
  });

  it('accepts a pinned digest that matches (SHA-256 and SHA-512), follows redirects', async () => {
    for (const [alg, node] of [
      ['SHA-256', 'sha256'],
      ['SHA-512', 'sha512'],
    ] as const) {
      const digest = { hashAlgorithm: alg, normalisationAlgorithm: 'genericBlobDigest/v1', value: sha(node, payload) };
      const res = await process(resource('/moved', { digest }));
      expect(res.status, res.body).toBe(200);
      expect((JSON.parse(res.body) as { resource: { digest: unknown } }).resource.digest).toEqual(digest);
    }
  });

  it('fails a pinned digest that does not match, naming both digests', async () => {
    const wrong = sha('sha256', Buffer.from('old release'));
    const res = await process(resource('/file.bin', { digest: { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'genericBlobDigest/v1', value: wrong } }));
    expect(res.status).toBe(422);
    expect(res.body).toContain(
      `resource payload: digest mismatch: the constructor pins SHA-256:${wrong}, but ${srv.base}/file.bin serves ${payload.length} bytes with SHA-256:${sha('sha256', payload)}`,
    );
    expect(res.body).toContain('plugin http-file-digest: POST /resource/digest/process');
  });

  it('sends Basic or Bearer credentials from Credentials/v1 and explains a 401', async () => {
    const basic = await process(resource('/private.bin'), {
      Authorization: JSON.stringify({ type: 'Credentials/v1', properties: { password: 's3cr3t', username: 'alice' } }),
    });
    expect(basic.status, basic.body).toBe(200);
    const bearer = await process(resource('/private.bin'), { Authorization: JSON.stringify({ type: 'Credentials/v1', properties: { token: 'tok' } }) });
    expect(bearer.status, bearer.body).toBe(200);
    const none = await process(resource('/private.bin'));
    expect(none.status).toBe(502);
    expect(none.body).toContain(`GET ${srv.base}/private.bin answered 401 Unauthorized; configure credentials`);
  });

  it('reports unreachable, missing and truncated files', async () => {
    const missing = await process(resource('/missing'));
    expect(missing.status).toBe(502);
    expect(missing.body).toContain('answered 404 Not Found');
    const cut = await process(resource('/truncated'));
    expect(cut.status).toBe(502);
    expect(cut.body).toMatch(/truncated/);
    const down = await process({ ...resource('/x'), access: { type: HTTP_FILE, url: 'http://127.0.0.1:1/x' } });
    expect(down.status).toBe(502);
    expect(down.body).toContain('ECONNREFUSED');
  });

  it('rejects bad requests with non-200 messages', async () => {
    const cases: Array<[object, number, string]> = [
      [{ ...resource('/file.bin'), access: null }, 400, 'invalid request'],
      [{ ...resource('/file.bin'), access: { type: HTTP_FILE, url: 'ftp://x/y' } }, 400, 'url must be an http:// or https:// URL'],
      [{ ...resource('/file.bin'), access: { type: 'ociArtifact', imageReference: 'x' } }, 400, 'type ociArtifact is not served'],
      [{ ...resource('/file.bin'), digest: { hashAlgorithm: 'MD5', normalisationAlgorithm: 'genericBlobDigest/v1', value: 'ab' } }, 400, 'hash algorithm MD5'],
      [
        { ...resource('/file.bin'), digest: { hashAlgorithm: 'constructor', normalisationAlgorithm: 'genericBlobDigest/v1', value: 'ab' } },
        400,
        'hash algorithm constructor',
      ],
      [
        { ...resource('/file.bin'), digest: { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'ociArtifactDigest/v1', value: 'ab' } },
        400,
        'normalisation ociArtifactDigest/v1',
      ],
      [{ name: 'payload' }, 400, 'invalid request'],
    ];
    for (const [body, status, text] of cases) {
      const res = await process(body);
      expect(res.status, res.body).toBe(status);
      expect(res.body).toContain(text);
    }
    const notJson = await plugin.request('POST', '/resource/digest/process', { body: '{"resource":' });
    expect(notJson.status).toBe(400);
    const identity = await plugin.request('POST', '/identity', { body: { type: { type: HTTP_FILE } } });
    expect(identity.status).toBe(400);
    expect(identity.body).toContain('invalid access spec');
  });
});
