/**
 * customCredentialTypes inside the real `ocm` CLI: a credential of the plugin-declared type in `.ocmconfig` is
 * accepted only when the credentials-file plugin is installed, and the consumer plugin (component-directory from the
 * cvr-directory example) receives it in `Authorization`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { examplePlugin } from '../../../scripts/examples.js';
import { ocmWorkspace, type OcmWorkspace } from '../../../scripts/ocm-cli.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { STORE_TOKEN } from '../src/spec.js';

const ocm = toolOrSkip('ocmCli', 'credentials-file customCredentialTypes inside the real ocm CLI');

describe.skipIf(!ocm)('credentials-file custom credential type with the real ocm CLI', () => {
  let ws: OcmWorkspace;
  let store: string;

  beforeAll(() => {
    ws = ocmWorkspace(ocm!);
    store = join(ws.dir, 'store');
    const dir = join(store, 'component-descriptors/acme.org/remote/lib/1.0.0');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'component-descriptor.json'),
      JSON.stringify({
        meta: { schemaVersion: 'v2' },
        component: {
          name: 'acme.org/remote/lib',
          version: '1.0.0',
          repositoryContexts: null,
          provider: 'acme.org',
          resources: null,
          sources: null,
          componentReferences: null,
        },
      }),
    );
    ws.write(
      'ocmconfig.yaml',
      `type: generic.config.ocm.software/v1
configurations:
  - type: resolvers.config.ocm.software/v1alpha1
    resolvers:
      - componentNamePattern: "acme.org/remote/*"
        repository:
          type: ComponentDirectory.examples.ocmkit.dev/v1
          path: ${store}
  - type: credentials.config.ocm.software
    consumers:
      - identity: {type: ComponentDirectory, path: ${store}}
        credentials:
          - type: ${STORE_TOKEN}
            token: s3cr3t-token
`,
    );
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
    ws.install('component-directory', examplePlugin('component-directory').executable);
  });

  it('without the declaring plugin, resolving that consumer fails (other commands still work)', () => {
    expect(ws.run(['version']).status).toBe(0);
    const add = ws.run(['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', 'app.yaml']);
    expect(add.status).not.toBe(0);
    expect(add.stderr).toContain(`failed to resolve credentials for identity "path=${store},type=ComponentDirectory"`);
  });

  it('with credentials-file installed, the consumer plugin receives the StoreToken', () => {
    ws.install('credentials-file', examplePlugin('credentials-file').executable);
    const add = ws.run(['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', 'app.yaml', '--loglevel', 'debug'], {
      env: { OCM_PLUGIN_LOG_LEVEL: 'debug' },
    });
    expect(add.status, add.stderr).toBe(0);
    expect(add.stderr).toContain('adding credential repository plugin" id=credentials-file');
    expect(add.stderr).toMatch(
      /msg="request carries credentials" credentialType=StoreToken\.examples\.ocmkit\.dev\/v1 endpoint=\/component-version\/download plugin=component-directory/,
    );
    expect(add.stderr).not.toContain('s3cr3t-token');
    // The credential repository itself is never started: the CLI does not call its endpoints.
    expect(add.stderr).not.toContain('plugin=credentials-file');
  });
});
