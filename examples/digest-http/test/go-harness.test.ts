/** The digest processor through the real Go plugin manager v0.0.17 (digestprocessor registry), via ocm-harness. */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { harnessCallArgs, type HarnessCall } from '../../../conformance/src/go/harness.js';
import { examplePlugin } from '../../../scripts/examples.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { HTTP_FILE } from '../src/spec.js';

const harnessBin = toolOrSkip('goHarness', 'http-file-digest through the Go plugin manager');

function pluginDir(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'harness-digest-')), 'plugins');
  mkdirSync(dir);
  symlinkSync(examplePlugin('http-file-digest').executable, join(dir, 'http-file-digest'));
  return dir;
}

/** Asynchronous: the file server runs in this process and must keep answering while the harness runs. */
function harness(dir: string, call: Omit<HarnessCall, 'kind'>): Promise<{ status: number | null; json: any; stderr: string }> {
  const args = harnessCallArgs({ kind: 'digestProcessorRepository', ...call });
  const child = spawn(harnessBin!, ['-dir', dir, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, json: status === 0 ? JSON.parse(out) : undefined, stderr: err })));
}

const payload = randomBytes(1024 * 1024 + 5);
const TOKEN = 'Bearer harness-token';

describe.skipIf(!harnessBin)('http-file-digest through the Go plugin manager v0.0.17', () => {
  let server: Server;
  let base: string;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/open.bin') return void res.writeHead(200).end(payload);
      if (req.url === '/token.bin') return void (req.headers.authorization === TOKEN ? res.writeHead(200).end(payload) : res.writeHead(403).end());
      res.writeHead(404).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.close();
  });

  const resource = (path: string, extra: object = {}) => ({
    name: 'payload',
    version: '1.0.0',
    labels: [{ name: 'team', value: 'acme' }],
    type: 'blob',
    relation: 'external',
    access: { type: HTTP_FILE, url: `${base}${path}` },
    ...extra,
  });
  const process = (res: object) => ({ endpoint: 'processResourceDigest', request: { resource: res } });
  const digest = { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'genericBlobDigest/v1', value: createHash('sha256').update(payload).digest('hex') };

  it('answers /identity through the manager (the Go SDK answers 500 there)', async () => {
    const r = await harness(pluginDir(), { endpoint: 'identity', request: { type: resource('/open.bin').access } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ identity: { type: HTTP_FILE, scheme: 'http', hostname: '127.0.0.1', port: new URL(base).port } });
  });

  it('returns the resource with every field and the digest of the served bytes', async () => {
    const r = await harness(pluginDir(), process(resource('/open.bin')));
    expect(r.status, r.stderr).toBe(0);
    expect(r.json).toEqual({ resource: { ...resource('/open.bin'), digest } });
  });

  it("uses credentials the manager passes, and shows the plugin's message when the server refuses", async () => {
    const credentials = { type: 'Credentials/v1', properties: { token: 'harness-token' } };
    const ok = await harness(pluginDir(), { ...process(resource('/token.bin')), credentials });
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.json.resource.digest).toEqual(digest);
    const refused = await harness(pluginDir(), process(resource('/token.bin')));
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('answered 403 Forbidden; configure credentials');
  });

  it('fails a pinned digest that does not match, with both digests in the message', async () => {
    const wrong = { ...digest, value: createHash('sha256').update('other').digest('hex') };
    const r = await harness(pluginDir(), process(resource('/open.bin', { digest: wrong })));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`digest mismatch: the constructor pins SHA-256:${wrong.value}`);
    expect(r.stderr).toContain(`with SHA-256:${digest.value}`);
  });
});
