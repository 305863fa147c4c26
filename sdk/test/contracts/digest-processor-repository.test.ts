import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KINDS, RELEASED_KINDS, digestProcessorRepositoryContract } from '../../src/contracts/index.js';
import { digestProcessorRepository, type DigestProcessorHandler } from '../../src/contracts/digest-processor-repository.js';
import { capabilityObject } from '../../src/handshake.js';

const ep = (path: string) => {
  const found = digestProcessorRepositoryContract.endpoints.find((e) => e.path === path);
  if (!found) throw new Error(`no endpoint ${path}`);
  return found;
};

// sdk/docs/protocol.md §3.9, verbatim.
const requestBody =
  '{"resource":{"name":"app","version":"1.0.0","type":"blob","relation":"external","access":{"type":"AcmeAccess/v1","url":"https://files.example/app.tgz"}}}';
const responseBody =
  '{"resource":{"name":"app","version":"1.0.0","type":"blob","relation":"external","access":{"type":"AcmeAccess/v1","url":"https://files.example/app.tgz"},"digest":{"hashAlgorithm":"SHA-256","normalisationAlgorithm":"genericBlobDigest/v1","value":"ab12"}}}';

describe('digestProcessorRepository contract', () => {
  it('is registered with access types and dispatches on resource.access', () => {
    expect(KINDS.digestProcessorRepository).toBe(digestProcessorRepositoryContract);
    expect(RELEASED_KINDS).toContain('digestProcessorRepository');
    expect(digestProcessorRepositoryContract.typesField).toBe('supportedAccessTypes');
    expect(digestProcessorRepositoryContract.endpoints.map((e) => `${e.method} ${e.path} ${e.auth} ${e.specAt?.join('.')}`)).toEqual([
      'POST /identity never type',
      'POST /resource/digest/process optional resource.access',
    ]);
    const cap = digestProcessorRepository({ types: { 'AcmeAccess/v1': z.object({}) }, handler: {} as DigestProcessorHandler<unknown> });
    expect(capabilityObject(cap)).toMatchObject({ type: 'digestProcessorRepository', supportedAccessTypes: [{ type: 'AcmeAccess/v1' }] });
  });

  it('accepts the manager example bodies and keeps every field for echoing', () => {
    const parsed = ep('/resource/digest/process').request.safeParse(JSON.parse(requestBody));
    expect(parsed.success).toBe(true);
    const full = {
      resource: {
        name: 'app',
        version: '1.0.0',
        labels: [{ name: 'team', value: { a: 1 }, signing: true }],
        extraIdentity: { arch: 'amd64' },
        srcRefs: [{ identitySelector: { name: 'src' } }],
        type: 'blob',
        relation: 'external',
        access: { type: 'AcmeAccess/v1', url: 'https://files.example/app.tgz' },
        somethingNew: 1,
        digest: { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'genericBlobDigest/v1', value: 'ab12' },
      },
    };
    const again = ep('/resource/digest/process').request.safeParse(full);
    expect(again.success).toBe(true);
    expect(again.data).toEqual(full);
    expect(ep('/identity').request.safeParse(JSON.parse('{"type":{"type":"AcmeAccess/v1","url":"https://files.example/app.tgz"}}')).success).toBe(true);
  });

  it('rejects requests without an access', () => {
    const body = JSON.parse(requestBody) as { resource: Record<string, unknown> };
    expect(ep('/resource/digest/process').request.safeParse({ resource: { ...body.resource, access: null } }).success).toBe(false);
    expect(ep('/resource/digest/process').request.safeParse({ resource: { name: 'app' } }).success).toBe(false);
    expect(ep('/resource/digest/process').request.safeParse({}).success).toBe(false);
  });

  it('accepts the example answer and rejects answers that break `ocm add cv`', () => {
    const res = ep('/resource/digest/process').response!;
    const good = JSON.parse(responseBody) as { resource: Record<string, unknown> };
    expect(res.safeParse(good).success).toBe(true);
    expect(res.safeParse({ resource: null }).success).toBe(false);
    const noAccess = res.safeParse({ resource: { ...good.resource, access: null } });
    expect(noAccess.success).toBe(false);
    expect(JSON.stringify(noAccess.error?.issues)).toContain('no access was present');
    const { digest: _d, ...noDigest } = good.resource;
    const r = res.safeParse({ resource: noDigest });
    expect(r.success).toBe(false);
    expect(JSON.stringify(r.error?.issues)).toContain('digest');
  });
});
