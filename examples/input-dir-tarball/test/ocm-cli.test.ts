/** The example inside the real `ocm` CLI v0.13.0: `ocm add cv` with resource and source inputs, then read back. */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { examplePlugin } from '../../../scripts/examples.js';
import { ocmWorkspace, type OcmWorkspace } from '../../../scripts/ocm-cli.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { DIR_TARBALL } from '../src/spec.js';
import { packDirectory } from '../src/pack.js';

const ocm = toolOrSkip('ocmCli', 'dir-tarball inside the real ocm CLI');

async function expectedBytes(dir: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of await packDirectory(dir)) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

/** A workspace with the plugin installed and a constructor whose one resource `config` has this input. */
function workspaceWithInput(component: string, input: Record<string, unknown>): OcmWorkspace {
  const ws = ocmWorkspace(ocm!);
  ws.install('dir-tarball', examplePlugin('dir-tarball').executable);
  const fields = Object.entries({ type: DIR_TARBALL, ...input })
    .map(([k, v]) => `      ${k}: ${String(v)}`)
    .join('\n');
  ws.write(
    'constructor.yaml',
    `name: ${component}\nversion: 1.0.0\nprovider:\n  name: acme.org\nresources:\n  - name: config\n    type: blob\n    input:\n${fields}\n`,
  );
  return ws;
}

describe.skipIf(!ocm)('dir-tarball with ocm CLI v0.13.0', () => {
  it('adds a component version whose resource and source are the plugin blob, byte for byte', async () => {
    const ws = ocmWorkspace(ocm!);
    ws.install('dir-tarball', examplePlugin('dir-tarball').executable);
    mkdirSync(join(ws.dir, 'bundle/conf'), { recursive: true });
    writeFileSync(join(ws.dir, 'bundle/conf/app.yaml'), 'replicas: 3\n');
    writeFileSync(join(ws.dir, 'bundle/README'), 'config bundle\n');
    ws.write(
      'constructor.yaml',
      `name: acme.org/config-bundle
version: 1.0.0
provider:
  name: acme.org
resources:
  - name: config
    type: blob
    input:
      type: ${DIR_TARBALL}
      path: ./bundle
sources:
  - name: config-src
    type: filesystem
    input:
      type: ${DIR_TARBALL}
      path: ./bundle
      include: [conf/]
`,
    );
    const add = ws.run(['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', './constructor.yaml', '-o', 'json']);
    expect(add.status, add.stderr).toBe(0);

    const get = ws.run(['get', 'cv', 'ctf::./ctf//acme.org/config-bundle:1.0.0', '-o', 'json']);
    expect(get.status, get.stderr).toBe(0);
    const [descriptor] = JSON.parse(get.stdout) as Array<{ component: { resources: Array<Record<string, any>>; sources: Array<Record<string, any>> } }>;
    const resource = descriptor!.component.resources[0]!;
    const expected = await expectedBytes(join(ws.dir, 'bundle'));
    const digest = createHash('sha256').update(expected).digest('hex');
    expect(resource.access).toMatchObject({ type: 'LocalBlob/v1', mediaType: 'application/vnd.ocmkit.dir.v1.tar+gzip', localReference: `sha256:${digest}` });
    expect(resource.digest).toMatchObject({ hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'genericBlobDigest/v1', value: digest });
    expect(readFileSync(join(ws.dir, 'ctf', 'blobs', `sha256.${digest}`)).equals(expected)).toBe(true);
    expect(descriptor!.component.sources[0]!.access.type).toBe('LocalBlob/v1');

    // `ocm download resource` un-gzips blobs whose media type ends in +gzip.
    const dl = ws.run(['download', 'resource', 'ctf::./ctf//acme.org/config-bundle:1.0.0', '--identity', 'name=config', '--output', 'out.tar']);
    expect(dl.status, dl.stderr).toBe(0);
    expect(readFileSync(join(ws.dir, 'out.tar')).equals(gunzipSync(expected))).toBe(true);
  });

  it("shows the plugin's own error in ocm output and fails the command", () => {
    const ws = workspaceWithInput('acme.org/broken', { path: './missing-dir' });
    const add = ws.run(['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', './constructor.yaml']);
    expect(add.status).not.toBe(0);
    expect(add.stderr).toContain('missing-dir is not a directory');
  });

  it('makes the manager reject a spec its schema forbids before calling the plugin', () => {
    const ws = workspaceWithInput('acme.org/x', { path: '.', compress: true });
    const add = ws.run(['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', './constructor.yaml']);
    expect(add.status).not.toBe(0);
    expect(add.stderr).toMatch(/compress/);
  });
});
