import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS, RELEASED_KINDS, type Endpoint, resourceRepositoryContract } from '../../src/contracts/index.js';
import { resourceRepository, type ResourceRepositoryHandler } from '../../src/contracts/resource-repository.js';
import { handshakeJson } from '../../src/handshake.js';
import { DummyRepository } from './upstream-dummy.js';

const ep = (path: string): Endpoint => {
  const found = resourceRepositoryContract.endpoints.find((e) => e.path === path);
  if (!found) throw new Error(`no endpoint ${path}`);
  return found;
};

// sdk/docs/protocol.md §3.2, verbatim.
const getBody =
  '{"resource":{"name":"chart","version":"1.0.0","type":"helmChart","relation":"external","access":{"type":"MyAccess/v1","url":"https://files.example/x.tgz"},"digest":{"hashAlgorithm":"SHA-256","normalisationAlgorithm":"genericBlobDigest/v1","value":"…"}}}';
const getAnswer = '{"location":{"type":"localFile","value":"/tmp/my-plugin/x.tgz","mediaType":"application/gzip"}}';
const addBody =
  '{"resourceLocation":{"type":"localFile","value":"/tmp/resource987654321"},"resource":{"name":"chart","version":"1.0.0","type":"helmChart","relation":"external","access":{"type":"MyAccess/v1","url":"https://files.example/target"}}}';
const addAnswer =
  '{"resource":{"name":"chart","version":"1.0.0","type":"helmChart","relation":"external","access":{"type":"MyAccess/v1","url":"https://files.example/target/x.tgz"}}}';
// sdk/docs/protocol.md §5, testplugin-resource /resource/add answer.
const upstreamAdd = '{"resource":{"name":"test-global-resource","version":"v0.0.1","type":"type","relation":"local","access":null}}';

describe('resourceRepository contract', () => {
  it('is registered with access types and dispatches on resource.access', () => {
    expect(KINDS.resourceRepository).toBe(resourceRepositoryContract);
    expect(RELEASED_KINDS).toContain('resourceRepository');
    expect(resourceRepositoryContract.typesField).toBe('supportedAccessTypes');
    expect(resourceRepositoryContract.endpoints.map((e) => `${e.method} ${e.path} ${e.auth} ${e.specAt?.join('.')}`)).toEqual([
      'POST /identity never type',
      'POST /resource/get optional resource.access',
      'POST /resource/add optional resource.access',
    ]);
  });

  it('answers capabilities byte-identical to the upstream test plugin binary', () => {
    const fixture = readFileSync(join(import.meta.dirname, '../fixtures/upstream/test-plugin-resource.json'), 'utf8');
    const cap = resourceRepository({ types: { 'DummyRepository/v1': DummyRepository }, handler: {} as ResourceRepositoryHandler<unknown> });
    expect(handshakeJson([cap])).toBe(fixture);
  });

  it('accepts the manager example bodies and answers', () => {
    expect(ep('/identity').request.safeParse(JSON.parse('{"type":{"type":"MyAccess/v1","url":"https://files.example/x.tgz"}}')).success).toBe(true);
    expect(ep('/identity').response!.safeParse(JSON.parse('{"identity":{"hostname":"files.example","type":"MyAccess/v1"}}')).success).toBe(true);
    expect(ep('/resource/get').request.safeParse(JSON.parse(getBody)).success).toBe(true);
    expect(ep('/resource/get').response!.safeParse(JSON.parse(getAnswer)).success).toBe(true);
    expect(ep('/resource/add').request.safeParse(JSON.parse(addBody)).success).toBe(true);
    expect(ep('/resource/add').response!.safeParse(JSON.parse(addAnswer)).success).toBe(true);
    expect(ep('/resource/add').response!.safeParse(JSON.parse(upstreamAdd)).success).toBe(true);
  });

  it('rejects wrong shapes', () => {
    const body = JSON.parse(getBody) as { resource: Record<string, unknown> };
    expect(ep('/resource/get').request.safeParse({}).success).toBe(false);
    expect(ep('/resource/get').request.safeParse({ resource: { ...body.resource, name: 1 } }).success).toBe(false);
    expect(ep('/resource/add').request.safeParse({ resource: body.resource }).success).toBe(false);
    expect(ep('/resource/get').response!.safeParse({ location: null }).success).toBe(false);
    expect(ep('/resource/get').response!.safeParse({ location: { type: 'remoteURL', value: 'https://x' } }).success).toBe(false);
    expect(ep('/resource/add').response!.safeParse({ resource: null }).success).toBe(false);
    expect(ep('/resource/add').response!.safeParse(null).success).toBe(false);
  });
});
