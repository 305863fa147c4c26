import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KINDS, RELEASED_KINDS, type Endpoint, componentVersionRepositoryContract, ElementIdentityQuery } from '../../src/contracts/index.js';
import { componentVersionRepository, type ComponentVersionRepositoryHandler } from '../../src/contracts/component-version-repository.js';
import { capabilityObject, handshakeJson } from '../../src/handshake.js';
import { definePlugin } from '../../src/plugin.js';
import { DUMMY_B64, DummyRepository } from './upstream-dummy.js';

const ep = (path: string): Endpoint => {
  const found = componentVersionRepositoryContract.endpoints.find((e) => e.path === path);
  if (!found) throw new Error(`no endpoint ${path}`);
  return found;
};

// sdk/docs/protocol.md §1.3: exact stdout of testplugin-component-version (upstream asserts its capabilities bytes).
const UPSTREAM_CVR =
  '{"capabilities":[{"supportedRepositorySpecTypes":[{"aliases":null,"jsonSchema":"eyIkc2NoZW1hIjoiaHR0cHM6Ly9qc29uLXNjaGVtYS5vcmcvZHJhZnQvMjAyMC0xMi9zY2hlbWEiLCIkaWQiOiJodHRwczovL29jbS5zb2Z0d2FyZS9vcGVuLWNvbXBvbmVudC1tb2RlbC9iaW5kaW5ncy9nby9wbHVnaW4vaW50ZXJuYWwvZHVtbXl0eXBlL3YxL3JlcG9zaXRvcnkiLCIkcmVmIjoiIy8kZGVmcy9SZXBvc2l0b3J5IiwiJGRlZnMiOnsiUmVwb3NpdG9yeSI6eyJwcm9wZXJ0aWVzIjp7InR5cGUiOnsidHlwZSI6InN0cmluZyIsInBhdHRlcm4iOiJeKFthLXpBLVowLTldW2EtekEtWjAtOS5dKikoPzovKHZbMC05XSsoPzphbHBoYVswLTldK3xiZXRhWzAtOV0rKT8pKT8ifSwiYmFzZVVybCI6eyJ0eXBlIjoic3RyaW5nIn19LCJhZGRpdGlvbmFsUHJvcGVydGllcyI6ZmFsc2UsInR5cGUiOiJvYmplY3QiLCJyZXF1aXJlZCI6WyJ0eXBlIiwiYmFzZVVybCJdfX19","type":"DummyRepository/v1"}],"type":"componentVersionRepository"}],"supportedConfigTypes":["custom.config/v1"]}\n';

// sdk/docs/protocol.md §3.1 example bodies, verbatim.
const descriptor =
  '{"meta":{"schemaVersion":"v2"},"component":{"name":"acme.org/demo","version":"1.0.0","repositoryContexts":null,"provider":"acme.org","resources":[{"name":"chart","version":"1.0.0","type":"helmChart","relation":"local","access":{"localReference":"sha256:3b1f…","mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","type":"localBlob/v1"},"digest":{"hashAlgorithm":"SHA-256","normalisationAlgorithm":"genericBlobDigest/v1","value":"3b1f…"}}],"sources":null,"componentReferences":null}}';
const localResourceAnswer =
  '{"location":{"type":"localFile","value":"/tmp/my-plugin/blob-1","mediaType":"application/vnd.oci.image.layer.v1.tar+gzip"},"resource":{"name":"chart","version":"1.0.0","type":"helmChart","relation":"local","access":{"localReference":"sha256:3b1f…","mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","type":"localBlob/v1"}}}';
const uploadCv =
  '{"repository":{"baseUrl":"https://repo.example","type":"MyRepository/v1"},"descriptor":{"meta":{"schemaVersion":"v2"},"component":{"name":"acme.org/demo","version":"1.0.0","repositoryContexts":null,"provider":"acme.org","resources":[],"sources":null,"componentReferences":null}}}';
const uploadResource =
  '{"repository":{"baseUrl":"https://repo.example","type":"MyRepository/v1"},"name":"acme.org/demo","version":"1.0.0","resourceLocation":{"type":"localFile","value":"/tmp/resource1234567890"},"resource":{"name":"blob","version":"1.0.0","type":"blob","relation":"local","access":{"localReference":"sha256:…","mediaType":"application/octet-stream","type":"localBlob/v1"}}}';
// sdk/docs/protocol.md §5, testplugin-component-version answers.
const upstreamLocalResource =
  '{"location":{"type":"localFile","value":"/tmp/test-resource-file1"},"resource":{"name":"test-resource","version":"v0.0.1","type":"resource-type","relation":"local","access":{"access":"v1"},"digest":{"hashAlgorithm":"SHA-256","normalisationAlgorithm":"jsonNormalisation/v1","value":"test-value"}}}';
const upstreamLocalSource =
  '{"location":{"type":"localFile","value":"/tmp/test-source-file1"},"source":{"name":"test-source","version":"v0.0.1","type":"source-type","access":{"access":"v1"}}}';

describe('componentVersionRepository contract', () => {
  it('is registered, released, and lists every endpoint of sdk/docs/protocol.md §3.1', () => {
    expect(KINDS.componentVersionRepository).toBe(componentVersionRepositoryContract);
    expect(RELEASED_KINDS).toContain('componentVersionRepository');
    expect(componentVersionRepositoryContract.typesField).toBe('supportedRepositorySpecTypes');
    expect(
      componentVersionRepositoryContract.endpoints.map(
        (e: Endpoint) => `${e.method} ${e.path} ${e.auth} ${e.specAt?.join('.') ?? '-'} ${e.response ? 'body' : 'empty'}`,
      ),
    ).toEqual([
      'GET /component-version/download always - body',
      'GET /component-versions always - body',
      'GET /local-resource/download always - body',
      'GET /local-source/download always - body',
      'POST /component-version/upload always repository empty',
      'POST /local-resource/upload always repository body',
      'POST /local-source/upload always repository body',
      'POST /identity never type body',
      'POST /component-version/check-health always repository empty',
    ]);
    expect(ep('/identity').identity).toBe('wrapped');
  });

  it('answers capabilities byte-identical to the upstream test plugin (sdk/docs/protocol.md §1.3)', () => {
    const plugin = definePlugin({
      name: 'test-plugin-component-version',
      capabilities: [
        componentVersionRepository({ types: { 'DummyRepository/v1': DummyRepository }, handler: {} as ComponentVersionRepositoryHandler<unknown> }),
      ],
      configTypes: { 'custom.config/v1': z.object({ maximumNumberOfPotatoes: z.string() }) },
    });
    expect(plugin.handshake()).toBe(UPSTREAM_CVR);
    expect((capabilityObject(plugin.capabilities[0]!).supportedRepositorySpecTypes as Array<{ jsonSchema: string }>)[0]!.jsonSchema).toBe(DUMMY_B64);
  });

  it('matches the real upstream test plugin output captured from its binary', () => {
    const fixture = readFileSync(join(import.meta.dirname, '../fixtures/upstream/test-plugin-component-version.json'), 'utf8');
    const cap = componentVersionRepository({ types: { 'DummyRepository/v1': DummyRepository }, handler: {} as ComponentVersionRepositoryHandler<unknown> });
    expect(handshakeJson([cap], ['custom.config/v1'])).toBe(fixture);
  });

  it('parses GET queries as the manager encodes them', () => {
    expect(ep('/component-version/download').request.parse({ name: 'ocm.software/test comp', version: '1.0.0' })).toEqual({
      name: 'ocm.software/test comp',
      version: '1.0.0',
    });
    expect(ep('/component-versions').request.parse({ name: 'acme.org/demo' })).toEqual({ name: 'acme.org/demo' });
    const q = ep('/local-resource/download').request.parse({
      identity: 'eyJuYW1lIjoidGVzdC1yZXNvdXJjZSIsInZlcnNpb24iOiJ2MC4wLjEifQ==',
      name: 'acme.org/demo',
      version: '1.0.0',
    });
    expect(q).toEqual({ identity: { name: 'test-resource', version: 'v0.0.1' }, name: 'acme.org/demo', version: '1.0.0' });
  });

  it('decodes the identity parameter like the Go SDK: absent/empty/null → {}, bad base64 or JSON → error', () => {
    expect(ElementIdentityQuery.parse(undefined)).toEqual({});
    expect(ElementIdentityQuery.parse('')).toEqual({});
    expect(ElementIdentityQuery.parse('bnVsbA==')).toEqual({});
    const bad = (v: unknown) => {
      const r = ElementIdentityQuery.safeParse(v);
      expect(r.success, String(v)).toBe(false);
      return r.error?.issues[0]?.message ?? '';
    };
    expect(bad('not base64!')).toContain('base64');
    expect(bad('e30')).toContain('padded base64'); // Go's StdEncoding requires the padding
    expect(bad('eyJuYW1lIjoidGVzdC1yZXNvdXJjZSJ9_-')).toContain('base64'); // URL-safe alphabet
    expect(bad(Buffer.from('{"name":').toString('base64'))).toContain('JSON');
    expect(bad(Buffer.from('{"name":1}').toString('base64'))).toContain('string values');
    expect(bad(Buffer.from('["a"]').toString('base64'))).toContain('string values');
    expect(bad(['a', 'b'])).not.toBe('');
  });

  it('rejects GET queries without name or version', () => {
    expect(ep('/component-version/download').request.safeParse({ name: 'acme.org/demo' }).success).toBe(false);
    expect(ep('/component-version/download').request.safeParse({ name: '', version: '1' }).success).toBe(false);
    expect(ep('/component-versions').request.safeParse({}).success).toBe(false);
    expect(ep('/local-resource/download').request.safeParse({ identity: 'e30=', version: '1' }).success).toBe(false);
    expect(ep('/component-version/download').request.safeParse({ name: ['a', 'b'], version: '1' }).success).toBe(false);
  });

  it('accepts the manager example answers and rejects ones that break the CLI', () => {
    expect(ep('/component-version/download').response!.safeParse(JSON.parse(descriptor)).success).toBe(true);
    expect(ep('/component-version/download').response!.safeParse(null).success).toBe(false);
    const noProvider = JSON.parse(descriptor) as { component: Record<string, unknown> };
    noProvider.component.provider = { name: 'acme.org' };
    expect(ep('/component-version/download').response!.safeParse(noProvider).success).toBe(false);
    expect(ep('/component-versions').response!.safeParse(['1.0.0', '1.1.0']).success).toBe(true);
    expect(ep('/component-versions').response!.safeParse(null).success).toBe(false);
    for (const body of [localResourceAnswer, upstreamLocalResource])
      expect(ep('/local-resource/download').response!.safeParse(JSON.parse(body)).success).toBe(true);
    expect(ep('/local-source/download').response!.safeParse(JSON.parse(upstreamLocalSource)).success).toBe(true);
    const lr = JSON.parse(localResourceAnswer) as Record<string, unknown>;
    expect(ep('/local-resource/download').response!.safeParse({ ...lr, resource: null }).success).toBe(false);
    expect(ep('/local-resource/download').response!.safeParse({ location: { type: 'remoteURL', value: 'https://x' }, resource: lr.resource }).success).toBe(
      false,
    );
  });

  it('accepts upload bodies and answers the bare Resource / Source', () => {
    expect(ep('/component-version/upload').request.safeParse(JSON.parse(uploadCv)).success).toBe(true);
    expect(ep('/component-version/upload').response).toBeUndefined();
    expect(ep('/local-resource/upload').request.safeParse(JSON.parse(uploadResource)).success).toBe(true);
    const body = JSON.parse(uploadResource) as Record<string, unknown>;
    expect(ep('/local-resource/upload').response!.safeParse(body.resource).success).toBe(true);
    expect(ep('/local-resource/upload').response!.safeParse({ resource: body.resource }).success).toBe(false);
    expect(ep('/local-resource/upload').request.safeParse({ ...body, resourceLocation: undefined }).success).toBe(false);
    expect(ep('/local-resource/upload').request.safeParse({ ...body, name: 7 }).success).toBe(false);
    const src = {
      repository: body.repository,
      name: 'acme.org/demo',
      version: '1.0.0',
      sourceLocation: { type: 'localFile', value: '/tmp/source1' },
      source: { name: 's', version: '1', type: 'git', access: null },
    };
    expect(ep('/local-source/upload').request.safeParse(src).success).toBe(true);
    expect(ep('/local-source/upload').response!.safeParse(src.source).success).toBe(true);
    expect(ep('/identity').request.safeParse(JSON.parse('{"type":{"baseUrl":"https://repo.example","type":"MyRepository/v1"}}')).success).toBe(true);
    expect(ep('/identity').response!.safeParse(JSON.parse('{"identity":{"hostname":"repo.example","scheme":"https","type":"MyRepository/v1"}}')).success).toBe(
      true,
    );
    expect(ep('/identity').response!.safeParse({ identity: { hostname: 'repo.example' } }).success).toBe(false);
    expect(ep('/component-version/check-health').request.safeParse({ repository: { type: 'MyRepository/v1' } }).success).toBe(true);
  });
});
