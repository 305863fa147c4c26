/**
 * The repository kinds served by a real plugin process: shared `/identity` demultiplexed by spec type, CVR GET
 * query parsing, `Authorization: {}`, empty-body and bare answers, and the errors the host shows to users.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlugin, type PluginProcess } from '../../../scripts/plugin-process.js';
import { bundleFixture } from '../support.js';

const b64 = (v: unknown) => encodeURIComponent(Buffer.from(JSON.stringify(v)).toString('base64'));

describe('repository kinds in one process', () => {
  let plugin: PluginProcess;
  beforeAll(async () => {
    plugin = await startPlugin(await bundleFixture('repository-kinds-plugin'), { id: 'repository-kinds' });
  });
  afterAll(async () => {
    plugin.kill('SIGINT');
    await plugin.exited;
  });

  it('routes POST /identity to the kind that declared the spec type', async () => {
    const ask = async (type: unknown) => {
      const res = await plugin.request('POST', '/identity', { body: { type } });
      expect(res.status, res.body).toBe(200);
      return JSON.parse(res.body) as unknown;
    };
    expect(await ask({ type: 'FixtureRepo/v1', baseUrl: 'https://repo.example/x' })).toEqual({ identity: { type: 'FixtureRepo', hostname: 'repo.example' } });
    expect(await ask({ type: 'FixtureListRepo/v1', root: '/srv' })).toEqual({ identity: { type: 'FixtureListRepo', root: '/srv' } });
    expect(await ask({ type: 'FixtureAccess/v1', ref: 'r' })).toEqual({ identity: { type: 'FixtureAccess', ref: 'r' } });
    const unknown = await plugin.request('POST', '/identity', { body: { type: { type: 'Other/v1' } } });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toContain('FixtureRepo/v1, FixtureListRepo/v1, FixtureAccess/v1');
  });

  it('parses GET query strings as Go encodes them and passes the last spec as a hint', async () => {
    const res = await plugin.request('GET', '/component-version/download?name=acme.org%2Ftest+comp&version=1.0.0', { headers: { Authorization: '{}' } });
    expect(res.status, res.body).toBe(200);
    const d = JSON.parse(res.body) as { component: { name: string; labels: Array<{ value: Record<string, unknown> }> } };
    expect(d.component.name).toBe('acme.org/test comp');
    // The /identity call above left the hint; `{}` credentials arrive as "none".
    expect(d.component.labels[0]!.value).toEqual({
      hint: { type: 'FixtureRepo/v1', baseUrl: 'https://repo.example/x' },
      type: 'FixtureRepo/v1',
      credentials: null,
    });

    const withCreds = await plugin.request('GET', '/component-version/download?name=a&version=1', {
      headers: { Authorization: '{"type":"Credentials/v1","properties":{"token":"t"}}' },
    });
    expect(
      (JSON.parse(withCreds.body) as { component: { labels: Array<{ value: { credentials: unknown } }> } }).component.labels[0]!.value.credentials,
    ).toEqual({ type: 'Credentials/v1', properties: { token: 't' } });

    const versions = await plugin.request('GET', '/component-versions?name=acme.org%2Fdemo', { headers: { Authorization: '{}' } });
    expect(versions.body).toBe('["1.0.0","1.1.0"]');
    expect((await plugin.request('GET', '/component-versions?name=acme.org%2Fnone')).body).toBe('[]');
  });

  it('decodes the base64 identity of local blob downloads and returns a readable location', async () => {
    const res = await plugin.request(
      'GET',
      `/local-resource/download?identity=${b64({ name: 'chart', version: '1.0.0' })}&name=acme.org%2Fdemo&version=1.0.0`,
      { headers: { Authorization: '{}' } },
    );
    expect(res.status, res.body).toBe(200);
    const out = JSON.parse(res.body) as { location: { type: string; value: string; mediaType: string }; resource: { name: string } };
    expect(out.resource.name).toBe('chart');
    expect(out.location).toMatchObject({ type: 'localFile', mediaType: 'application/json' });
    expect(JSON.parse(readFileSync(out.location.value, 'utf8'))).toEqual({
      identity: { name: 'chart', version: '1.0.0' },
      name: 'acme.org/demo',
      version: '1.0.0',
    });
  });

  it('answers bad GET requests with 400 and a message', async () => {
    const noVersion = await plugin.request('GET', '/component-version/download?name=a');
    expect(noVersion.status).toBe(400);
    expect(noVersion.body).toMatch(/^plugin repository-kinds: GET \/component-version\/download: invalid request: .*version/);
    const badIdentity = await plugin.request('GET', '/local-resource/download?identity=%%%&name=a&version=1');
    expect(badIdentity.status).toBe(400);
    const notBase64 = await plugin.request('GET', '/local-resource/download?identity=abc!&name=a&version=1');
    expect(notBase64.status).toBe(400);
    expect(notBase64.body).toContain('identity is not standard padded base64');
    const notMap = await plugin.request('GET', `/local-resource/download?identity=${b64({ name: 1 })}&name=a&version=1`);
    expect(notMap.status).toBe(400);
    expect(notMap.body).toContain('not an object of string values');
    const badAuth = await plugin.request('GET', '/component-versions?name=a', { headers: { Authorization: '"token"' } });
    expect(badAuth.status).toBe(401);
    const notImplemented = await plugin.request('GET', `/local-source/download?identity=${b64({ name: 's' })}&name=a&version=1`);
    expect(notImplemented.status).toBe(404);
    expect(notImplemented.body).toContain('does not implement getLocalSource');
  });

  it('turns handler errors into a 500 that names the request', async () => {
    const res = await plugin.request('GET', '/component-version/download?name=acme.org%2Ffail&version=1', { headers: { Authorization: '{}' } });
    expect(res.status).toBe(500);
    expect(res.body).toBe('plugin repository-kinds: GET /component-version/download: backend unavailable\n');
  });

  it('serves uploads: empty 200 for descriptors, the bare Resource for blobs, a clear 500 for a missing Source', async () => {
    const repository = { type: 'FixtureRepo/v1', baseUrl: 'https://other.example' };
    const cv = await plugin.request('POST', '/component-version/upload', {
      headers: { Authorization: '{}' },
      body: {
        repository,
        descriptor: {
          meta: { schemaVersion: 'v2' },
          component: {
            name: 'acme.org/up',
            version: '1.0.0',
            repositoryContexts: null,
            provider: 'acme.org',
            resources: [],
            sources: null,
            componentReferences: null,
          },
        },
      },
    });
    expect(cv.status, cv.body).toBe(200);
    expect(cv.body).toBe('');
    // Log lines reach stderr independently of the response: wait for it.
    await expect.poll(() => plugin.logs().some((l) => l.msg === 'stored' && l.name === 'acme.org/up'), { timeout: 5000 }).toBe(true);

    const blob = new URL(import.meta.url).pathname;
    const resource = {
      name: 'blob',
      version: '1.0.0',
      type: 'blob',
      relation: 'local',
      access: { type: 'localBlob/v1', localReference: 'sha256:x', mediaType: 'text/plain' },
    };
    const up = await plugin.request('POST', '/local-resource/upload', {
      headers: { Authorization: '{}' },
      body: { repository, name: 'acme.org/up', version: '1.0.0', resourceLocation: { type: 'localFile', value: blob }, resource },
    });
    expect(up.status, up.body).toBe(200);
    expect(JSON.parse(up.body)).toEqual({ ...resource, labels: [{ name: 'size', value: readFileSync(blob).length }] });

    // The upload updated the hint.
    const hinted = await plugin.request('GET', '/component-version/download?name=a&version=1', { headers: { Authorization: '{}' } });
    expect((JSON.parse(hinted.body) as { component: { labels: Array<{ value: { hint: unknown } }> } }).component.labels[0]!.value.hint).toEqual(repository);

    const src = await plugin.request('POST', '/local-source/upload', {
      headers: { Authorization: '{}' },
      body: {
        repository,
        name: 'a',
        version: '1',
        sourceLocation: { type: 'localFile', value: blob },
        source: { name: 's', version: '1', type: 'git', access: null },
      },
    });
    expect(src.status).toBe(500);
    expect(src.body).toContain('the plugin produced a response the OCM host cannot use');

    const missing = await plugin.request('POST', '/local-resource/upload', {
      headers: { Authorization: '{}' },
      body: { repository, name: 'a', version: '1', resource },
    });
    expect(missing.status).toBe(400);
    expect(missing.body).toContain('resourceLocation');

    const wrongSpec = await plugin.request('POST', '/component-version/upload', {
      headers: { Authorization: '{}' },
      body: { repository: { type: 'FixtureRepo/v1' }, descriptor: {} },
    });
    expect(wrongSpec.status).toBe(400);

    const health = await plugin.request('POST', '/component-version/check-health', { headers: { Authorization: '{}' }, body: { repository } });
    expect(health.status).toBe(200);
  });

  it('pages the lister and serves the resource repository', async () => {
    const first = await plugin.request('POST', '/components/list', { body: { repository: { type: 'FixtureListRepo/v1', root: '/srv' }, last: '' } });
    expect(first.body).toBe('{"list":["a"],"header":{"last":"a"}}');
    const second = await plugin.request('POST', '/components/list', { body: { repository: { type: 'FixtureListRepo/v1', root: '/srv' }, last: 'a' } });
    expect(second.body).toBe('{"list":["b"]}');
    const noLast = await plugin.request('POST', '/components/list', { body: { repository: { type: 'FixtureListRepo/v1', root: '/srv' } } });
    expect(noLast.status).toBe(400);

    const get = await plugin.request('POST', '/resource/get', {
      body: { resource: { name: 'r', version: '1', type: 'blob', relation: 'external', access: { type: 'FixtureAccess/v1', ref: 'content' } } },
    });
    expect(get.status, get.body).toBe(200);
    expect(readFileSync((JSON.parse(get.body) as { location: { value: string } }).location.value, 'utf8')).toBe('content');
    const missing = await plugin.request('POST', '/resource/get', {
      body: { resource: { name: 'r', version: '1', type: 'blob', relation: 'external', access: { type: 'FixtureAccess/v1', ref: 'missing' } } },
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toBe('plugin repository-kinds: POST /resource/get: no blob missing\n');
    const add = await plugin.request('POST', '/resource/add', {
      body: {
        resourceLocation: { type: 'localFile', value: '/tmp/x' },
        resource: { name: 'r', version: '1', type: 'blob', relation: 'external', access: { type: 'FixtureAccess/v1', ref: 'x' } },
      },
    });
    expect(add.status).toBe(404);
    expect(add.body).toContain('does not implement addGlobalResource');
  });
});
