/**
 * The component-directory, shared-file and shared-file-digest plugins inside the real `ocm` CLI: components
 * referenced from a CTF resolve through the directory store (resolvers config), and resources on a shared
 * filesystem get a digest on `ocm add cv` and are downloaded (and verified) by `ocm download resource`.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { examplePlugin } from '../../../scripts/examples.js';
import { ocmWorkspace, type OcmWorkspace } from '../../../scripts/ocm-cli.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { COMPONENT_DIRECTORY, SHARED_FILE } from '../src/spec.js';
import { descriptor, sha256 } from './fixtures.js';

const ocm = toolOrSkip('ocmCli', 'component-directory / shared-file inside the real ocm CLI');
const NO_ENV_STORE = { OCM_COMPONENT_DIRECTORY: '' };

describe.skipIf(!ocm)('component-directory with the real ocm CLI', () => {
  let ws: OcmWorkspace;
  let store: string;
  const payload = 'library payload\n';

  beforeAll(() => {
    ws = ocmWorkspace(ocm!);
    store = join(ws.dir, 'store');
    const hex = sha256(payload);
    mkdirSync(join(store, 'blobs/sha256'), { recursive: true });
    writeFileSync(join(store, 'blobs/sha256', hex), payload);
    const lib = descriptor('acme.org/remote/lib', '1.0.0', {
      resources: [
        {
          name: 'payload',
          version: '1.0.0',
          type: 'blob',
          relation: 'local',
          access: { type: 'localBlob/v1', localReference: `sha256:${hex}`, mediaType: 'text/plain' },
          digest: { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'genericBlobDigest/v1', value: hex },
        },
      ],
    });
    mkdirSync(join(store, 'component-descriptors/acme.org/remote/lib/1.0.0'), { recursive: true });
    writeFileSync(join(store, 'component-descriptors/acme.org/remote/lib/1.0.0/component-descriptor.json'), JSON.stringify(lib));
    ws.write(
      'ocmconfig.yaml',
      `type: generic.config.ocm.software/v1
configurations:
  - type: resolvers.config.ocm.software/v1alpha1
    resolvers:
      - componentNamePattern: "acme.org/remote/*"
        repository:
          type: ${COMPONENT_DIRECTORY}
          path: ${store}
`,
    );
    for (const id of ['component-directory', 'shared-file', 'shared-file-digest']) ws.install(id, examplePlugin(id).executable);
  });

  it('resolves a referenced component through the plugin in ocm add cv and ocm get cv --recursive', () => {
    ws.write(
      'app.yaml',
      `components:
  - name: acme.org/app
    version: 1.0.0
    provider: {name: acme.org}
    componentReferences:
      - name: lib
        componentName: acme.org/remote/lib
        version: 1.0.0
`,
    );
    const add = ws.run(['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', 'app.yaml']);
    expect(add.status, add.stderr).toBe(0);

    const get = ws.run(['get', 'cv', 'ctf::./ctf//acme.org/app:1.0.0', '--recursive', '-o', 'json'], { env: NO_ENV_STORE });
    expect(get.status, get.stderr).toBe(0);
    const out = JSON.parse(get.stdout) as Array<{ component: { name: string; resources: Array<{ name: string; access: { localReference: string } }> | null } }>;
    expect(out.map((d) => d.component.name)).toEqual(['acme.org/app', 'acme.org/remote/lib']);
    expect(out[1]!.component.resources![0]!.access.localReference).toBe(`sha256:${sha256(payload)}`);
    // GET requests carry no repository spec and OCM_COMPONENT_DIRECTORY is empty: the plugin found the store
    // through the spec the CLI sent on POST /identity before the download.
  });

  it('copies a referenced component with its local blob into the CTF (GET /local-resource/download)', () => {
    const add = ws.run(
      ['add', 'cv', '--repository', 'ctf::./ctf-copy', '--constructor', 'app.yaml', '--external-component-version-copy-policy', 'copy-or-fail'],
      { env: NO_ENV_STORE },
    );
    expect(add.status, add.stderr).toBe(0);
    // Now served by the CTF alone: no resolver config, no plugin repository involved.
    const dl = ws.run([
      'download',
      'resource',
      'ctf::./ctf-copy//acme.org/remote/lib:1.0.0',
      '--identity',
      'name=payload',
      '--output',
      './lib-payload',
      '--extraction-policy',
      'disable',
    ]);
    expect(dl.status, dl.stderr).toBe(0);
    expect(readFileSync(join(ws.dir, 'lib-payload'), 'utf8')).toBe(payload);
  });

  it('ocm transfer cv -r copies store children only when they have no local blobs (CLI limitation)', () => {
    const plainDir = join(store, 'component-descriptors/acme.org/remote/plain/1.0.0');
    mkdirSync(plainDir, { recursive: true });
    writeFileSync(join(plainDir, 'component-descriptor.json'), JSON.stringify(descriptor('acme.org/remote/plain', '1.0.0')));
    ws.write(
      'plain.yaml',
      `components:
  - name: acme.org/plain-app
    version: 1.0.0
    provider: {name: acme.org}
    componentReferences:
      - {name: plain, componentName: acme.org/remote/plain, version: 1.0.0}
`,
    );
    expect(ws.run(['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', 'plain.yaml'], { env: NO_ENV_STORE }).status).toBe(0);
    const plain = ws.run(['transfer', 'cv', 'ctf::./ctf//acme.org/plain-app:1.0.0', 'ctf::./ctf-transfer', '-r'], { env: NO_ENV_STORE });
    expect(plain.status, plain.stderr).toBe(0);
    expect(ws.run(['get', 'cv', 'ctf::./ctf-transfer//acme.org/remote/plain:1.0.0']).status).toBe(0);

    const withBlob = ws.run(['transfer', 'cv', 'ctf::./ctf//acme.org/app:1.0.0', 'ctf::./ctf-transfer2', '-r'], { env: NO_ENV_STORE });
    expect(withBlob.status).not.toBe(0);
    expect(withBlob.stderr).toContain('unsupported repository type *runtime.Raw for get local resource operation');
  });

  it('shows the plugin message when a referenced version is not in the store', () => {
    ws.write(
      'bad.yaml',
      `components:
  - name: acme.org/bad
    version: 1.0.0
    provider: {name: acme.org}
    componentReferences:
      - name: lib
        componentName: acme.org/remote/lib
        version: 9.9.9
`,
    );
    const add = ws.run(['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', 'bad.yaml']);
    expect(add.status).not.toBe(0);
    expect(add.stderr).toContain(`component version acme.org/remote/lib:9.9.9 not found in ${store} (it has 1.0.0)`);
  });

  it('records a digest for SharedFile resources and downloads them through the resource repository', () => {
    const file = join(ws.dir, 'share/app.tgz');
    mkdirSync(join(ws.dir, 'share'), { recursive: true });
    writeFileSync(file, 'release tarball\n');
    ws.write(
      'files.yaml',
      `components:
  - name: acme.org/files
    version: 1.0.0
    provider: {name: acme.org}
    resources:
      - name: tarball
        version: 1.0.0
        type: blob
        relation: external
        access:
          type: ${SHARED_FILE}
          path: ${file}
          mediaType: application/gzip
`,
    );
    const add = ws.run(['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', 'files.yaml']);
    expect(add.status, add.stderr).toBe(0);
    const get = ws.run(['get', 'cv', 'ctf::./ctf//acme.org/files:1.0.0', '-o', 'json']);
    const d = JSON.parse(get.stdout) as Array<{ component: { resources: Array<{ digest: unknown; access: unknown }> } }>;
    expect(d[0]!.component.resources[0]).toMatchObject({
      access: { type: SHARED_FILE, path: file, mediaType: 'application/gzip' },
      digest: { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'genericBlobDigest/v1', value: sha256('release tarball\n') },
    });

    const dl = ws.run([
      'download',
      'resource',
      'ctf::./ctf//acme.org/files:1.0.0',
      '--identity',
      'name=tarball',
      '--output',
      './out.tgz',
      '--extraction-policy',
      'disable',
    ]);
    expect(dl.status, dl.stderr).toBe(0);
    expect(readFileSync(join(ws.dir, 'out.tgz'), 'utf8')).toBe('release tarball\n');

    writeFileSync(file, 'tampered\n');
    const again = ws.run([
      'download',
      'resource',
      'ctf::./ctf//acme.org/files:1.0.0',
      '--identity',
      'name=tarball',
      '--output',
      './out2.tgz',
      '--extraction-policy',
      'disable',
    ]);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('the file changed after the component version was built');
  });
});
