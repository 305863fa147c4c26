/** The digest processor inside the real `ocm` CLI v0.13.0: `ocm add cv` with a resource given by HttpFile access. */
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePlugin } from '../../../scripts/examples.js';
import { ocmWorkspace, type OcmResult, type OcmWorkspace } from '../../../scripts/ocm-cli.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { HTTP_FILE } from '../src/spec.js';

const ocm = toolOrSkip('ocmCli', 'http-file-digest inside the real ocm CLI');

/** Like `ws.run`, but asynchronous: the file server lives in this process and must keep answering. */
function runAsync(ws: OcmWorkspace, args: readonly string[]): Promise<OcmResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: join(ws.dir, '.home'), OCM_DISABLE_VERSION_CHECK: '1' };
  delete env.XDG_CONFIG_HOME;
  delete env.OCM_CONFIG;
  const child = spawn(ocm!, [...args, '--config', ws.configFile, '--plugin-directory', ws.pluginDir], { cwd: ws.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  return new Promise((resolve) => child.on('close', (status) => resolve({ status, stdout, stderr })));
}

const payload = randomBytes(2 * 1024 * 1024 + 3);
const BASIC = `Basic ${Buffer.from('alice:s3cr3t').toString('base64')}`;

const constructorYaml = (url: string) => `name: acme.org/remote
version: 1.0.0
provider:
  name: acme.org
resources:
  - name: payload
    type: blob
    version: 1.0.0
    labels:
      - name: team
        value: {owner: acme}
    extraIdentity:
      arch: amd64
    access:
      type: ${HTTP_FILE}
      url: ${url}
      mediaType: application/octet-stream
`;

const credentialsConfig = (port: number) => `type: generic.config.ocm.software/v1
configurations:
  - type: credentials.config.ocm.software
    consumers:
      - identity:
          type: ${HTTP_FILE}
          scheme: http
          hostname: 127.0.0.1
          port: "${port}"
        credentials:
          - type: Credentials/v1
            properties:
              username: alice
              password: s3cr3t
`;

describe.skipIf(!ocm)('http-file-digest with ocm CLI v0.13.0', () => {
  let server: Server;
  let port: number;
  const hits: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      hits.push(`${req.url} ${req.headers.authorization === BASIC ? 'auth' : 'anonymous'}`);
      if (req.url !== '/payload.bin') return void res.writeHead(404).end();
      if (req.headers.authorization !== BASIC) return void res.writeHead(401).end();
      res.writeHead(200, { 'Content-Length': payload.length }).end(payload);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.close();
  });

  it('adds a component version whose external resource carries the digest of the served bytes (identity → credentials → digest)', async () => {
    const ws = ocmWorkspace(ocm!, credentialsConfig(port));
    ws.install('http-file-digest', examplePlugin('http-file-digest').executable);
    const url = `http://127.0.0.1:${port}/payload.bin`;
    ws.write('constructor.yaml', constructorYaml(url));
    const add = await runAsync(ws, ['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', './constructor.yaml']);
    expect(add.status, add.stderr).toBe(0);
    expect(hits).toContain('/payload.bin auth');

    const get = await runAsync(ws, ['get', 'cv', 'ctf::./ctf//acme.org/remote:1.0.0', '-o', 'json']);
    expect(get.status, get.stderr).toBe(0);
    const [descriptor] = JSON.parse(get.stdout) as Array<{ component: { resources: Array<Record<string, unknown>> } }>;
    expect(descriptor!.component.resources[0]).toEqual({
      name: 'payload',
      version: '1.0.0',
      labels: [{ name: 'team', value: { owner: 'acme' } }],
      extraIdentity: { arch: 'amd64' },
      type: 'blob',
      relation: 'external',
      access: { type: HTTP_FILE, url, mediaType: 'application/octet-stream' },
      digest: { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'genericBlobDigest/v1', value: createHash('sha256').update(payload).digest('hex') },
    });
  });

  it("fails add cv with the plugin's message when the server refuses (no credentials configured)", async () => {
    const ws = ocmWorkspace(ocm!);
    ws.install('http-file-digest', examplePlugin('http-file-digest').executable);
    ws.write('constructor.yaml', constructorYaml(`http://127.0.0.1:${port}/payload.bin`));
    const add = await runAsync(ws, ['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', './constructor.yaml']);
    expect(add.status).not.toBe(0);
    expect(add.stderr).toContain('answered 401 Unauthorized; configure credentials');
  });

  it('v0.13.0 accepts a pinned `digest:` in the constructor but does not hand it to the digest processor', async () => {
    // Constructor v0.0.11 drops the field: the processor computes the digest and a wrong pin goes unnoticed.
    // At upstream HEAD the pin reaches the processor, which then fails with its digest-mismatch message.
    const ws = ocmWorkspace(ocm!, credentialsConfig(port));
    ws.install('http-file-digest', examplePlugin('http-file-digest').executable);
    const wrong = '1'.repeat(64);
    ws.write(
      'constructor.yaml',
      constructorYaml(`http://127.0.0.1:${port}/payload.bin`).replace(
        '    access:\n',
        `    digest:\n      hashAlgorithm: SHA-256\n      normalisationAlgorithm: genericBlobDigest/v1\n      value: "${wrong}"\n    access:\n`,
      ),
    );
    const add = await runAsync(ws, ['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', './constructor.yaml']);
    expect(add.status, add.stderr).toBe(0);
    const get = await runAsync(ws, ['get', 'cv', 'ctf::./ctf//acme.org/remote:1.0.0', '-o', 'json']);
    const [descriptor] = JSON.parse(get.stdout) as Array<{ component: { resources: Array<{ digest: { value: string } }> } }>;
    expect(descriptor!.component.resources[0]!.digest.value).toBe(createHash('sha256').update(payload).digest('hex'));
  });

  it('fails add cv for the access type when no digest processor is installed (v0.13.0)', async () => {
    const ws = ocmWorkspace(ocm!);
    ws.write('constructor.yaml', constructorYaml(`http://127.0.0.1:${port}/payload.bin`));
    const add = await runAsync(ws, ['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', './constructor.yaml']);
    expect(add.status).not.toBe(0);
    expect(add.stderr).toContain(`failed to get plugin for typ "${HTTP_FILE}"`);
  });
});
