import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePlugin } from '../../../scripts/examples.js';
import { startPlugin, type PluginProcess } from '../../../scripts/plugin-process.js';
import { COMPONENT_DIRECTORY, SHARED_FILE } from '../src/spec.js';
import { makeStore, sha256 } from './fixtures.js';

const stop = async (p: PluginProcess | undefined) => {
  if (!p) return;
  p.kill('SIGINT');
  await p.exited;
};

describe('component-directory-lister (real process)', () => {
  let plugin: PluginProcess;
  const store = makeStore();
  beforeAll(async () => {
    plugin = await startPlugin(examplePlugin('component-directory-lister').executable, { id: 'component-directory-lister' });
  });
  afterAll(() => stop(plugin));

  const list = async (last: string, pageSize?: number) => {
    const res = await plugin.request('POST', '/components/list', {
      body: { repository: { type: COMPONENT_DIRECTORY, path: store.root, ...(pageSize ? { pageSize } : {}) }, last },
    });
    expect(res.status, res.body).toBe(200);
    return JSON.parse(res.body) as { list: string[]; header?: { last?: string } };
  };

  it('lists every component in one page by default', async () => {
    expect(await list('')).toEqual({ list: ['acme.org/app', 'acme.org/app/addon', 'acme.org/lib', 'acme.org/misplaced'] });
  });

  it('pages the way the host loops: header.last until a page comes without header', async () => {
    const seen: string[] = [];
    let last = '';
    for (let i = 0; i < 10; i++) {
      const page = await list(last, 3);
      seen.push(...page.list);
      if (!page.header?.last) break;
      last = page.header.last;
    }
    expect(seen).toEqual(['acme.org/app', 'acme.org/app/addon', 'acme.org/lib', 'acme.org/misplaced']);
    expect(await list('acme.org/app', 3)).toEqual({ list: ['acme.org/app/addon', 'acme.org/lib', 'acme.org/misplaced'] });
    expect(await list('zzz')).toEqual({ list: [] });
  });

  it('rejects bad requests and unknown stores with a message', async () => {
    const noRepo = await plugin.request('POST', '/components/list', { body: { last: '' } });
    expect(noRepo.status).toBe(400);
    expect(noRepo.body).toContain('repository');
    const badPage = await plugin.request('POST', '/components/list', {
      body: { repository: { type: COMPONENT_DIRECTORY, path: store.root, pageSize: 0 }, last: '' },
    });
    expect(badPage.status).toBe(400);
    expect(badPage.body).toContain('pageSize');
    const missing = await plugin.request('POST', '/components/list', {
      body: { repository: { type: COMPONENT_DIRECTORY, path: join(store.root, 'nope') }, last: '' },
    });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('does not exist');
    expect((await plugin.request('POST', '/identity', { body: { type: { type: COMPONENT_DIRECTORY, path: store.root } } })).status).toBe(404);
  });
});

describe('shared-file resource repository and digest processor (real processes)', () => {
  let files: PluginProcess;
  let digest: PluginProcess;
  const dir = mkdtempSync(join(tmpdir(), 'shared-'));
  const file = join(dir, 'app.tgz');
  writeFileSync(file, 'release tarball\n');
  const hex = sha256('release tarball\n');
  const resource = (access: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    name: 'app',
    version: '1.0.0',
    type: 'blob',
    relation: 'external',
    access: { type: SHARED_FILE, ...access },
    ...extra,
  });
  const digestOf = (value: string) => ({ hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'genericBlobDigest/v1', value });

  beforeAll(async () => {
    [files, digest] = await Promise.all([
      startPlugin(examplePlugin('shared-file').executable, { id: 'shared-file' }),
      startPlugin(examplePlugin('shared-file-digest').executable, { id: 'shared-file-digest' }),
    ]);
  });
  afterAll(async () => {
    await Promise.all([stop(files), stop(digest)]);
  });

  it('records the SHA-256 for ocm add cv and checks a pinned digest', async () => {
    const res = await digest.request('POST', '/resource/digest/process', { body: { resource: resource({ path: file }) } });
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ resource: resource({ path: file }, { digest: digestOf(hex) }) });
    const pinned = await digest.request('POST', '/resource/digest/process', { body: { resource: resource({ path: file }, { digest: digestOf(hex) }) } });
    expect(pinned.status).toBe(200);
    const wrong = await digest.request('POST', '/resource/digest/process', {
      body: { resource: resource({ path: file }, { digest: digestOf('0'.repeat(64)) }) },
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body).toContain(`has SHA-256 ${hex}`);
    const sha512 = { hashAlgorithm: 'SHA-512', normalisationAlgorithm: 'genericBlobDigest/v1', value: '00' };
    const unsupported = await digest.request('POST', '/resource/digest/process', { body: { resource: resource({ path: file }, { digest: sha512 }) } });
    expect(unsupported.status).toBe(400);
    expect(unsupported.body).toContain('can check only SHA-256 / genericBlobDigest/v1');
    const missing = await digest.request('POST', '/resource/digest/process', { body: { resource: resource({ path: join(dir, 'nope') }) } });
    expect(missing.status).toBe(404);
  });

  it('downloads the file, verifying the recorded digest', async () => {
    const res = await files.request('POST', '/resource/get', {
      body: { resource: resource({ path: file, mediaType: 'application/gzip' }, { digest: digestOf(hex) }) },
    });
    expect(res.status, res.body).toBe(200);
    const { location } = JSON.parse(res.body) as { location: { type: string; value: string; mediaType: string } };
    expect(location).toMatchObject({ type: 'localFile', mediaType: 'application/gzip' });
    expect(readFileSync(location.value, 'utf8')).toBe('release tarball\n');

    const tampered = await files.request('POST', '/resource/get', { body: { resource: resource({ path: file }, { digest: digestOf('f'.repeat(64)) }) } });
    expect(tampered.status).toBe(422);
    expect(tampered.body).toContain('the file changed after the component version was built');
  });

  it('answers bad access specs and missing files with a message', async () => {
    const missing = await files.request('POST', '/resource/get', { body: { resource: resource({ path: join(dir, 'gone.tgz') }) } });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain(`${join(dir, 'gone.tgz')} does not exist`);
    const noPath = await files.request('POST', '/resource/get', { body: { resource: resource({}) } });
    expect(noPath.status).toBe(400);
    expect(noPath.body).toContain(`invalid access spec of type ${SHARED_FILE}`);
    const noResource = await files.request('POST', '/resource/get', { body: {} });
    expect(noResource.status).toBe(400);
    const noIdentity = await files.request('POST', '/identity', { body: { type: { type: SHARED_FILE, path: file } } });
    expect(noIdentity.status).toBe(404);
  });

  it('uploads a blob to the shared path and returns the resource with its digest', async () => {
    const host = join(mkdtempSync(join(tmpdir(), 'host-')), 'resource987654321');
    writeFileSync(host, 'uploaded\n');
    const target = join(dir, 'releases/2.0.0/app.tgz');
    const res = await files.request('POST', '/resource/add', {
      body: { resourceLocation: { type: 'localFile', value: host }, resource: resource({ path: target }) },
    });
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ resource: resource({ path: target }, { digest: digestOf(sha256('uploaded\n')) }) });
    expect(readFileSync(target, 'utf8')).toBe('uploaded\n');

    const gone = await files.request('POST', '/resource/add', {
      body: { resourceLocation: { type: 'localFile', value: join(dir, 'no-such-upload') }, resource: resource({ path: join(dir, 'x.tgz') }) },
    });
    expect(gone.status).toBe(400);
    expect(gone.body).toContain('no-such-upload');
    const relative = await files.request('POST', '/resource/add', {
      body: { resourceLocation: { type: 'localFile', value: 'relative/file' }, resource: resource({ path: join(dir, 'x.tgz') }) },
    });
    expect(relative.status).toBe(400);
    expect(relative.body).toContain('not an absolute path');
    // The plugin is still alive after the failed uploads.
    expect((await files.request('GET', '/healthz')).status).toBe(200);
  });
});
