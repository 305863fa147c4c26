import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { examplePlugin } from '../../../scripts/examples.js';
import { startPlugin, type PluginProcess } from '../../../scripts/plugin-process.js';
import { COMPONENT_DIRECTORY } from '../src/spec.js';
import { descriptor, makeStore, sha256, type Store } from './fixtures.js';

const AUTH = { Authorization: '{}' };
const b64 = (v: unknown) => encodeURIComponent(Buffer.from(JSON.stringify(v)).toString('base64'));
const get = (p: PluginProcess, path: string) => p.request('GET', path, { headers: AUTH });
const post = (p: PluginProcess, path: string, body: unknown) => p.request('POST', path, { headers: AUTH, body: body as object });

describe('component-directory repository plugin (real process)', () => {
  let store: Store;
  let plugin: PluginProcess;
  let spec: { type: string; path: string };

  beforeAll(async () => {
    store = makeStore();
    spec = { type: COMPONENT_DIRECTORY, path: store.root };
    plugin = await startPlugin(examplePlugin('component-directory').executable, { id: 'component-directory', env: { OCM_COMPONENT_DIRECTORY: '' } });
  });
  afterAll(async () => {
    plugin.kill('SIGINT');
    await plugin.exited;
  });

  it('refuses GET requests before it knows the store, naming the fix', async () => {
    const res = await get(plugin, '/component-versions?name=acme.org%2Fapp');
    expect(res.status).toBe(409);
    expect(res.body).toContain('the OCM host sends no repository spec on GET requests');
    expect(res.body).toContain('OCM_COMPONENT_DIRECTORY');
  });

  it('learns the store from POST /identity and names it as the consumer identity', async () => {
    const res = await plugin.request('POST', '/identity', { body: { type: spec } });
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ identity: { type: 'ComponentDirectory', path: store.root } });
  });

  it('lists versions in version order', async () => {
    const res = await get(plugin, '/component-versions?name=acme.org%2Fapp');
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toEqual(['1.0.0', '1.2.0', '1.10.0']);
    expect(JSON.parse((await get(plugin, '/component-versions?name=acme.org%2Fnothing')).body)).toEqual([]);
  });

  it('serves YAML and JSON descriptors', async () => {
    const res = await get(plugin, '/component-version/download?name=acme.org%2Fapp&version=1.0.0');
    expect(res.status, res.body).toBe(200);
    const d = JSON.parse(res.body) as ReturnType<typeof descriptor>;
    expect(d.component.name).toBe('acme.org/app');
    expect(d.component.resources).toHaveLength(3);
    const json = await get(plugin, '/component-version/download?name=acme.org%2Fapp&version=1.2.0');
    expect(JSON.parse(json.body)).toEqual(descriptor('acme.org/app', '1.2.0'));
  });

  it('answers unknown and broken component versions with messages that say what is there', async () => {
    const missing = await get(plugin, '/component-version/download?name=acme.org%2Fapp&version=9.9.9');
    expect(missing.status).toBe(404);
    expect(missing.body).toContain(`component version acme.org/app:9.9.9 not found in ${store.root} (it has 1.0.0, 1.2.0, 1.10.0)`);
    const misplaced = await get(plugin, '/component-version/download?name=acme.org%2Fmisplaced&version=1.0.0');
    expect(misplaced.status).toBe(500);
    expect(misplaced.body).toContain('describes acme.org/other:1.0.0, not acme.org/misplaced:1.0.0');
    const traversal = await get(plugin, '/component-version/download?name=..%2F..%2Fetc&version=1');
    expect(traversal.status).toBe(400);
    expect(traversal.body).toContain('invalid component name');
    const noVersion = await get(plugin, '/component-version/download?name=acme.org%2Fapp');
    expect(noVersion.status).toBe(400);
    expect(noVersion.body).toContain('version');
  });

  it('downloads local resources by element identity, including extraIdentity', async () => {
    const res = await get(plugin, `/local-resource/download?identity=${b64({ name: 'chart', version: '1.0.0' })}&name=acme.org%2Fapp&version=1.0.0`);
    expect(res.status, res.body).toBe(200);
    const out = JSON.parse(res.body) as { location: { type: string; value: string; mediaType: string }; resource: { name: string; extraIdentity?: unknown } };
    expect(out.location.type).toBe('localFile');
    expect(out.location.mediaType).toBe('application/vnd.cncf.helm.chart.content.v1.tar+gzip');
    expect(readFileSync(out.location.value, 'utf8')).toBe(store.blobs.chart!.content);
    expect(out.resource.extraIdentity).toBeUndefined();

    const arm = await get(
      plugin,
      `/local-resource/download?identity=${b64({ arch: 'arm64', name: 'chart', version: '1.0.0' })}&name=acme.org%2Fapp&version=1.0.0`,
    );
    expect(readFileSync((JSON.parse(arm.body) as { location: { value: string } }).location.value, 'utf8')).toBe(store.blobs.chartArm!.content);

    const src = await get(plugin, `/local-source/download?identity=${b64({ name: 'src', version: '1.0.0' })}&name=acme.org%2Fapp&version=1.0.0`);
    expect(src.status, src.body).toBe(200);
    const s = JSON.parse(src.body) as { location: { value: string; mediaType: string }; source: { name: string } };
    expect(s.source.name).toBe('src');
    expect(s.location.mediaType).toBe('application/x-tar');
    expect(readFileSync(s.location.value, 'utf8')).toBe(store.blobs.src!.content);
  });

  it('answers bad local blob requests with the reason', async () => {
    const unknown = await get(plugin, `/local-resource/download?identity=${b64({ name: 'nope', version: '1.0.0' })}&name=acme.org%2Fapp&version=1.0.0`);
    expect(unknown.status).toBe(404);
    expect(unknown.body).toContain(
      'has no resource with identity name=nope,version=1.0.0 (it has: name=chart,version=1.0.0; arch=arm64,name=chart,version=1.0.0; name=image,version=1.0.0)',
    );
    const external = await get(plugin, `/local-resource/download?identity=${b64({ name: 'image', version: '1.0.0' })}&name=acme.org%2Fapp&version=1.0.0`);
    expect(external.status).toBe(400);
    expect(external.body).toContain('is not a local blob (access type ociArtifact)');
    const badIdentity = await get(plugin, '/local-resource/download?identity=%7Bnot-base64%7D&name=acme.org%2Fapp&version=1.0.0');
    expect(badIdentity.status).toBe(400);
    expect(badIdentity.body).toContain('identity');
    const badAuth = await plugin.request('GET', '/component-versions?name=acme.org%2Fapp', { headers: { Authorization: '[1]' } });
    expect(badAuth.status).toBe(401);
  });

  it('uploads blobs and descriptors, then serves them back', async () => {
    const hostTemp = join(mkdtempSync(join(tmpdir(), 'host-')), 'resource1234567890');
    writeFileSync(hostTemp, 'new payload\n');
    const resource = {
      name: 'payload',
      version: '2.0.0',
      type: 'blob',
      relation: 'local',
      access: { type: 'localBlob/v1', localReference: 'sha256:ignored', mediaType: 'text/plain' },
    };
    const up = await post(plugin, '/local-resource/upload', {
      repository: spec,
      name: 'acme.org/new',
      version: '2.0.0',
      resourceLocation: { type: 'localFile', value: hostTemp },
      resource,
    });
    expect(up.status, up.body).toBe(200);
    const stored = JSON.parse(up.body) as typeof resource;
    const hex = sha256('new payload\n');
    expect(stored).toEqual({ ...resource, access: { type: 'localBlob/v1', localReference: `sha256:${hex}`, mediaType: 'text/plain' } });
    expect(readFileSync(join(store.root, 'blobs/sha256', hex), 'utf8')).toBe('new payload\n');

    const srcUp = await post(plugin, '/local-source/upload', {
      repository: spec,
      name: 'acme.org/new',
      version: '2.0.0',
      sourceLocation: { type: 'localFile', value: hostTemp },
      source: { name: 'src', version: '2.0.0', type: 'filesystem', access: null },
    });
    expect(srcUp.status, srcUp.body).toBe(200);
    expect(JSON.parse(srcUp.body)).toMatchObject({
      name: 'src',
      access: { type: 'localBlob/v1', localReference: `sha256:${hex}`, mediaType: 'application/octet-stream' },
    });

    const d = descriptor('acme.org/new', '2.0.0', { resources: [stored] });
    const cv = await post(plugin, '/component-version/upload', { repository: spec, descriptor: d });
    expect(cv.status, cv.body).toBe(200);
    expect(cv.body).toBe('');
    const file = join(store.root, 'component-descriptors/acme.org/new/2.0.0/component-descriptor.yaml');
    expect(parse(readFileSync(file, 'utf8'))).toEqual(d);

    const back = await get(plugin, `/local-resource/download?identity=${b64({ name: 'payload', version: '2.0.0' })}&name=acme.org%2Fnew&version=2.0.0`);
    expect(readFileSync((JSON.parse(back.body) as { location: { value: string } }).location.value, 'utf8')).toBe('new payload\n');
    expect(JSON.parse((await get(plugin, '/component-versions?name=acme.org%2Fnew')).body)).toEqual(['2.0.0']);
  });

  it('refuses descriptors whose blobs were never uploaded, and malformed uploads', async () => {
    const d = descriptor('acme.org/broken', '1.0.0', {
      resources: [
        {
          name: 'x',
          version: '1',
          type: 'blob',
          relation: 'local',
          access: { type: 'localBlob/v1', localReference: `sha256:${'0'.repeat(64)}`, mediaType: 'text/plain' },
        },
      ],
    });
    const res = await post(plugin, '/component-version/upload', { repository: spec, descriptor: d });
    expect(res.status).toBe(400);
    expect(res.body).toContain('upload the blob first');
    expect(existsSync(join(store.root, 'component-descriptors/acme.org/broken'))).toBe(false);

    const noDescriptor = await post(plugin, '/component-version/upload', { repository: spec });
    expect(noDescriptor.status).toBe(400);
    expect(noDescriptor.body).toContain('descriptor');
    const wrongSpec = await post(plugin, '/component-version/upload', { repository: { ...spec, extra: 1 }, descriptor: d });
    expect(wrongSpec.status).toBe(400);
    expect(wrongSpec.body).toContain(`invalid repository spec of type ${COMPONENT_DIRECTORY}`);
    const otherType = await post(plugin, '/component-version/upload', { repository: { type: 'OCIRepository/v1', baseUrl: 'ghcr.io' }, descriptor: d });
    expect(otherType.status).toBe(400);
    expect(otherType.body).toContain('type OCIRepository/v1 is not served by this plugin');
    const noLocation = await post(plugin, '/local-resource/upload', { repository: spec, name: 'acme.org/new', version: '2.0.0', resource: {} });
    expect(noLocation.status).toBe(400);
    const gone = await post(plugin, '/local-resource/upload', {
      repository: spec,
      name: 'a',
      version: '1',
      resourceLocation: { type: 'localFile', value: '/nonexistent/resource1' },
      resource: { name: 'r', version: '1', type: 'blob', relation: 'local', access: null },
    });
    expect(gone.status).toBe(400);
    expect(gone.body).toContain('/nonexistent/resource1');
  });

  it('requires the write token for uploads when the store has one', async () => {
    writeFileSync(join(store.root, '.write-token.sha256'), `${sha256('let-me-write')}\n`);
    try {
      const d = descriptor('acme.org/guarded', '1.0.0');
      const none = await post(plugin, '/component-version/upload', { repository: spec, descriptor: d });
      expect(none.status).toBe(401);
      expect(none.body).toContain(`add one for consumer identity {type: ComponentDirectory, path: ${store.root}}`);
      const wrong = await plugin.request('POST', '/component-version/upload', {
        headers: { Authorization: JSON.stringify({ type: 'StoreToken.examples.ocmkit.dev/v1', token: 'guess' }) },
        body: { repository: spec, descriptor: d },
      });
      expect(wrong.status).toBe(403);
      expect(wrong.body).not.toContain('guess');
      const right = await plugin.request('POST', '/component-version/upload', {
        headers: { Authorization: JSON.stringify({ token: 'let-me-write', type: 'StoreToken.examples.ocmkit.dev/v1' }) },
        body: { repository: spec, descriptor: d },
      });
      expect(right.status, right.body).toBe(200);
      // Reads stay open.
      expect((await get(plugin, '/component-versions?name=acme.org%2Fguarded')).body).toBe('["1.0.0"]');
    } finally {
      rmSync(join(store.root, '.write-token.sha256'));
    }
  });

  it('checks the store health', async () => {
    expect((await post(plugin, '/component-version/check-health', { repository: spec })).status).toBe(200);
    const bad = await post(plugin, '/component-version/check-health', { repository: { ...spec, path: join(store.root, 'missing') } });
    expect(bad.status).toBe(404);
    expect(bad.body).toContain('does not exist');
  });
});

describe('component-directory configured by environment', () => {
  it('serves GET requests from $OCM_COMPONENT_DIRECTORY without an /identity call', async () => {
    const store = makeStore();
    const plugin = await startPlugin(examplePlugin('component-directory').executable, {
      id: 'component-directory',
      env: { OCM_COMPONENT_DIRECTORY: store.root },
    });
    try {
      const res = await get(plugin, '/component-versions?name=acme.org%2Flib');
      expect(res.status, res.body).toBe(200);
      expect(JSON.parse(res.body)).toEqual(['0.1.0']);
    } finally {
      plugin.kill('SIGINT');
      await plugin.exited;
    }
  });
});
