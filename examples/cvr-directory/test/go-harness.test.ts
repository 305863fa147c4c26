/**
 * The component store plugins through the real Go plugin manager v0.0.17 (the library inside the ocm CLI), via
 * ocm-harness: the endpoints the CLI never reaches (uploads, lister paging, resource upload) included.
 */
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runHarnessBatch, type HarnessCall, type HarnessStepResult } from '../../../conformance/src/go/harness.js';
import { examplePlugin } from '../../../scripts/examples.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { COMPONENT_DIRECTORY, SHARED_FILE } from '../src/spec.js';
import { descriptor, makeStore, sha256 } from './fixtures.js';

const harnessBin = toolOrSkip('goHarness', 'component store plugins through the Go plugin manager');

function pluginDir(ids: readonly string[]): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'harness-store-')), 'plugins');
  mkdirSync(dir);
  for (const id of ids) symlinkSync(examplePlugin(id).executable, join(dir, id));
  return dir;
}

type Step = HarnessStepResult & { result?: any };

/** All calls in one manager, as within one CLI command. */
function batch(dir: string, steps: HarnessCall[]): readonly Step[] {
  const r = runHarnessBatch(harnessBin!, dir, steps, { env: { ...process.env, OCM_COMPONENT_DIRECTORY: '' }, timeoutMs: 120_000 });
  expect(r.steps, r.stderr).toHaveLength(steps.length);
  return r.steps;
}

/** A componentVersionRepository call; GET requests add the repository spec the manager looks the plugin up by. */
const cvr = (endpoint: string, request: object, credentials?: object): HarnessCall => ({
  kind: 'componentVersionRepository',
  endpoint,
  request,
  ...(credentials ? { credentials } : {}),
});
/** The wire form of the identity query parameter: base64 of a JSON string map. */
const identity = (map: Record<string, string>) => Buffer.from(JSON.stringify(map)).toString('base64');
const localFile = (value: string) => ({ type: 'localFile', value });

describe.skipIf(!harnessBin)('component store plugins through the Go plugin manager v0.0.17', () => {
  it('component-directory: reads with the spec from /identity, writes blobs and descriptors, honours the write token', () => {
    const store = makeStore();
    const repository = { type: COMPONENT_DIRECTORY, path: store.root };
    const app = { repository, name: 'acme.org/app', version: '1.0.0' };
    const dir = pluginDir(['component-directory']);
    const added = descriptor('acme.org/new', '1.0.0');
    const blob = join(store.root, '..', `${sha256(store.root)}-upload.bin`);
    writeFileSync(blob, 'uploaded through the manager\n');
    const steps = batch(dir, [
      // The manager sends no spec on GETs: without a prior /identity the plugin cannot know the store.
      cvr('listComponentVersions', { repository, name: 'acme.org/app' }),
      cvr('identity', { type: repository }),
      cvr('listComponentVersions', { repository, name: 'acme.org/app' }),
      cvr('getComponentVersion', app),
      { ...cvr('getLocalResource', { ...app, identity: identity({ name: 'chart', version: '1.0.0', arch: 'arm64' }) }), inline: true },
      { ...cvr('getLocalSource', { ...app, identity: identity({ name: 'src', version: '1.0.0' }) }), inline: true },
      cvr('getLocalResource', { ...app, identity: identity({ name: 'missing', version: '1.0.0' }) }),
      cvr('addLocalResource', {
        repository,
        name: 'acme.org/new',
        version: '1.0.0',
        resourceLocation: localFile(blob),
        resource: {
          name: 'r',
          version: '1.0.0',
          type: 'blob',
          relation: 'local',
          access: { type: 'localBlob/v1', localReference: 'sha256:x', mediaType: 'text/plain' },
        },
      }),
      cvr('addComponentVersion', { repository, descriptor: added }),
      cvr('getComponentVersion', { repository, name: 'acme.org/new', version: '1.0.0' }),
    ]);
    expect(steps.map((s) => s.ok)).toEqual([false, true, true, true, true, true, false, true, true, true]);
    expect(steps[0]!.error).toContain('status code 409');
    expect(steps[0]!.error).toContain('none was seen on /identity');
    expect(steps[1]!.result).toEqual({ identity: { path: store.root, type: 'ComponentDirectory' } });
    expect(steps[2]!.result).toEqual({ versions: ['1.0.0', '1.2.0', '1.10.0'] });
    expect(steps[3]!.result.descriptor.component.resources).toHaveLength(3);
    expect(steps[4]!.result.blob).toMatchObject({
      sha256: store.blobs.chartArm!.hex,
      mediaType: 'application/octet-stream',
      base64: Buffer.from(store.blobs.chartArm!.content).toString('base64'),
    });
    expect(steps[4]!.result.resource.extraIdentity).toEqual({ arch: 'arm64' });
    expect(steps[5]!.result.blob).toMatchObject({ sha256: store.blobs.src!.hex, mediaType: 'application/x-tar' });
    expect(steps[6]!.error).toContain('has no resource with identity name=missing,version=1.0.0');
    const hex = sha256('uploaded through the manager\n');
    expect(steps[7]!.result.resource.access).toEqual({ localReference: `sha256:${hex}`, mediaType: 'text/plain', type: 'localBlob/v1' });
    expect(readFileSync(join(store.root, 'blobs/sha256', hex), 'utf8')).toBe('uploaded through the manager\n');
    expect(parse(readFileSync(join(store.root, 'component-descriptors/acme.org/new/1.0.0/component-descriptor.yaml'), 'utf8'))).toMatchObject({
      component: { name: 'acme.org/new', version: '1.0.0', provider: 'acme.org' },
    });
    expect(steps[9]!.result.descriptor.component.name).toBe('acme.org/new');

    // The write token: the manager passes the credentials as they are in Authorization.
    writeFileSync(join(store.root, '.write-token.sha256'), sha256('w'));
    const guarded = batch(dir, [
      cvr('addComponentVersion', { repository, descriptor: descriptor('acme.org/guarded', '1.0.0') }),
      cvr(
        'addComponentVersion',
        { repository, descriptor: descriptor('acme.org/guarded', '1.0.0') },
        { type: 'StoreToken.examples.ocmkit.dev/v1', token: 'w' },
      ),
    ]);
    expect(guarded[0]!.error).toContain('status code 401');
    expect(guarded[1]!.ok, guarded[1]!.error).toBe(true);
  });

  it('component-directory-lister: the manager follows the pages', () => {
    const store = makeStore();
    const list = (repository: object, last: string): HarnessCall => ({ kind: 'componentLister', endpoint: 'listComponents', request: { repository, last } });
    const steps = batch(pluginDir(['component-directory-lister']), [
      list({ type: COMPONENT_DIRECTORY, path: store.root, pageSize: 1 }, ''),
      list({ type: COMPONENT_DIRECTORY, path: store.root, pageSize: 2 }, 'acme.org/app/addon'),
      list({ type: COMPONENT_DIRECTORY, path: join(store.root, 'nope') }, ''),
    ]);
    expect(steps[0]!.result).toMatchObject({ components: ['acme.org/app', 'acme.org/app/addon', 'acme.org/lib', 'acme.org/misplaced'] });
    expect(steps[1]!.result).toMatchObject({ components: ['acme.org/lib', 'acme.org/misplaced'] });
    expect(steps[2]!.error).toContain('does not exist');
  });

  it('shared-file: download with digest check and upload through the resource registry', () => {
    const dir = mkdtempSync(join(tmpdir(), 'shared-harness-'));
    const file = join(dir, 'app.tgz');
    writeFileSync(file, 'tarball\n');
    const res = (access: object, extra: object = {}) => ({
      name: 'app',
      version: '1.0.0',
      type: 'blob',
      relation: 'external',
      access: { type: SHARED_FILE, ...access },
      ...extra,
    });
    const call = (endpoint: string, request: object): HarnessCall => ({ kind: 'resourceRepository', endpoint, request });
    const upload = join(dir, 'upload.bin');
    writeFileSync(upload, 'uploaded\n');
    const digest = (v: string) => ({ digest: { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'genericBlobDigest/v1', value: v } });
    const steps = batch(pluginDir(['shared-file']), [
      call('identity', { type: res({ path: file }).access }),
      { ...call('getGlobalResource', { resource: res({ path: file, mediaType: 'application/gzip' }, digest(sha256('tarball\n'))) }), inline: true },
      call('getGlobalResource', { resource: res({ path: file }, digest('0'.repeat(64))) }),
      call('addGlobalResource', { resourceLocation: localFile(upload), resource: res({ path: join(dir, 'out/app.tgz') }) }),
    ]);
    expect(steps[0]!.error).toContain('status code 404');
    expect(steps[1]!.result.blob).toMatchObject({ sha256: sha256('tarball\n'), mediaType: 'application/gzip' });
    expect(steps[2]!.error).toContain('the file changed after the component version was built');
    expect(steps[3]!.result.resource).toMatchObject({ access: { path: join(dir, 'out/app.tgz') }, ...digest(sha256('uploaded\n')) });
    expect(readFileSync(join(dir, 'out/app.tgz'), 'utf8')).toBe('uploaded\n');
  });
});
