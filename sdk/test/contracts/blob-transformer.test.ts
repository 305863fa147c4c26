import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KINDS, RELEASED_KINDS, blobTransformerContract } from '../../src/contracts/index.js';
import { blobTransformer, type BlobTransformerHandler } from '../../src/contracts/blob-transformer.js';
import { capabilityObject } from '../../src/handshake.js';

const ep = (path: string) => {
  const found = blobTransformerContract.endpoints.find((e) => e.path === path);
  if (!found) throw new Error(`no endpoint ${path}`);
  return found;
};

describe('blobTransformer contract', () => {
  it('is registered with its handshake field and endpoints', () => {
    expect(KINDS.blobTransformer).toBe(blobTransformerContract);
    expect(RELEASED_KINDS).toContain('blobTransformer');
    expect(blobTransformerContract.typesField).toBe('supportedTransformerSpecTypes');
    expect(blobTransformerContract.endpoints.map((e) => `${e.method} ${e.path} ${e.auth} ${e.specAt?.join('.')}`)).toEqual([
      'POST /identity never type',
      'POST /blob/transform optional specification',
    ]);
    const cap = blobTransformer({ types: { 'AcmeTransform/v1': z.object({}) }, handler: {} as BlobTransformerHandler<unknown> });
    expect(capabilityObject(cap)).toMatchObject({ type: 'blobTransformer', supportedTransformerSpecTypes: [{ type: 'AcmeTransform/v1', aliases: null }] });
  });

  it('accepts the manager example bodies (sdk/docs/protocol.md §3.8)', () => {
    const transform = JSON.parse(
      '{"location":{"type":"localFile","value":"/tmp/blob2750117832"},"specification":{"format":"oci-layout","type":"AcmeTransform/v1"}}',
    );
    expect(ep('/blob/transform').request.safeParse(transform).success).toBe(true);
    // /identity carries the real spec under `type` (the Go SDK ignores it; the kit decodes it).
    const identity = JSON.parse('{"type":{"format":"oci-layout","type":"AcmeTransform/v1"}}');
    const parsed = ep('/identity').request.safeParse(identity);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(identity);
  });

  it('rejects wrong request shapes', () => {
    const spec = { type: 'AcmeTransform/v1' };
    expect(ep('/blob/transform').request.safeParse({ specification: spec }).success).toBe(false);
    expect(ep('/blob/transform').request.safeParse({ location: { type: 'remoteURL', value: 'https://x' }, specification: spec }).success).toBe(false);
    expect(ep('/blob/transform').request.safeParse({ location: { type: 'localFile', value: '/tmp/b' }, specification: 'AcmeTransform/v1' }).success).toBe(
      false,
    );
    expect(ep('/identity').request.safeParse({ type: 'AcmeTransform/v1' }).success).toBe(false);
  });

  it('accepts a localFile answer and rejects what the manager cannot read', () => {
    const res = ep('/blob/transform').response!;
    expect(res.safeParse({ location: { type: 'localFile', value: '/tmp/acme-out-1/out.tar', mediaType: 'application/x-tar' } }).success).toBe(true);
    expect(res.safeParse({}).success).toBe(false);
    expect(res.safeParse({ location: { type: 'unixNamedPipe', value: '/tmp/p' } }).success).toBe(false);
    expect(ep('/identity').response!.safeParse({ identity: { hostname: 'x' } }).success).toBe(false);
  });
});
