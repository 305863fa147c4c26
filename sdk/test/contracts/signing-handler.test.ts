import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KINDS, RELEASED_KINDS, signingHandlerContract } from '../../src/contracts/index.js';
import { signingHandler, type SigningHandler } from '../../src/contracts/signing-handler.js';
import { capabilityObject } from '../../src/handshake.js';
import { loadHandler } from '../../src/server/routes.js';

const ep = (path: string) => {
  const found = signingHandlerContract.endpoints.find((e) => e.path === path);
  if (!found) throw new Error(`no endpoint ${path}`);
  return found;
};

// Bodies exactly as sdk/docs/protocol.md §3.6 gives them (Go field order, the manager's JSON).
const digest = { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'jsonNormalisation/v4alpha1', value: '5e1fc0' };
const config = { keyRef: 'prod', type: 'AcmeSigner/v1' };
const signatureInfo = { algorithm: 'ACME-ED25519', value: '9a0b', mediaType: 'application/vnd.acme.signature.ed25519', issuer: 'CN=acme' };
const signIdentityBody = `{"digest":${JSON.stringify(digest)},"config":{"keyRef":"prod","type":"AcmeSigner/v1"},"name":"default"}`;
const verifyBody = `{"signature":{"name":"default","digest":${JSON.stringify(digest)},"signature":${JSON.stringify(signatureInfo)}},"config":{"keyRef":"prod","type":"AcmeSigner/v1"}}`;

describe('signingHandler contract', () => {
  it('is registered under its handshake name and field, usable with the v0.13.0 manager', () => {
    expect(KINDS.signingHandler).toBe(signingHandlerContract);
    expect(RELEASED_KINDS).toContain('signingHandler');
    expect(signingHandlerContract.typesField).toBe('supportedSigningSpecTypes');
    expect(signingHandlerContract.endpoints.map((e) => `${e.method} ${e.path} ${e.auth}`)).toEqual([
      'POST /sign/identity never',
      'POST /sign always',
      'POST /verify/identity never',
      'POST /verify always',
    ]);
    for (const e of signingHandlerContract.endpoints) expect(e.specAt).toEqual(['config']);
  });

  it('writes the handshake entry the manager reads', () => {
    const cap = signingHandler({ types: { 'AcmeSigner/v1': z.object({ type: z.literal('AcmeSigner/v1') }) }, handler: {} as SigningHandler<unknown> });
    const obj = capabilityObject(cap) as { type: string; supportedSigningSpecTypes: Array<{ type: string; aliases: null; jsonSchema: string }> };
    expect(obj.type).toBe('signingHandler');
    expect(obj.supportedSigningSpecTypes[0]).toMatchObject({ type: 'AcmeSigner/v1', aliases: null });
    expect(JSON.parse(Buffer.from(obj.supportedSigningSpecTypes[0]!.jsonSchema, 'base64').toString())).toMatchObject({ type: 'object' });
  });

  it('accepts the manager example bodies', () => {
    expect(ep('/sign/identity').request.safeParse(JSON.parse(signIdentityBody)).success).toBe(true);
    expect(ep('/sign').request.safeParse({ digest, config }).success).toBe(true);
    expect(ep('/verify/identity').request.safeParse(JSON.parse(verifyBody)).success).toBe(true);
    expect(ep('/verify').request.safeParse(JSON.parse(verifyBody)).success).toBe(true);
  });

  it('rejects wrong request shapes', () => {
    expect(ep('/sign/identity').request.safeParse({ digest, config }).success).toBe(false); // no name
    expect(ep('/sign').request.safeParse({ digest: { value: 'x' }, config }).success).toBe(false);
    expect(ep('/sign').request.safeParse({ digest, config: 'AcmeSigner/v1' }).success).toBe(false);
    expect(ep('/verify').request.safeParse({ signature: { name: 'default', digest }, config }).success).toBe(false);
  });

  it('accepts the example responses and rejects what the manager cannot use', () => {
    expect(ep('/sign/identity').response!.safeParse({ identity: { signature: 'default', type: 'AcmeSigner/v1' } }).success).toBe(true);
    expect(ep('/sign/identity').response!.safeParse({ identity: { signature: 'default' } }).success).toBe(false);
    expect(ep('/sign').response!.safeParse({ signature: signatureInfo }).success).toBe(true);
    expect(ep('/sign').response!.safeParse({ signature: null }).success).toBe(false);
    expect(ep('/sign').response!.safeParse({}).success).toBe(false);
    expect(ep('/verify').response!.safeParse({}).success).toBe(true);
    expect(ep('/verify').response!.safeParse(undefined).success).toBe(false);
  });

  it('still reports a handler without sign or verify as a definition error', async () => {
    await expect(
      loadHandler(
        signingHandler({
          types: { 'AcmeSigner/v1': z.object({}) },
          handler: { sign: () => ({ signature: signatureInfo }) } as unknown as SigningHandler<unknown>,
        }),
      ),
    ).rejects.toThrow(/lacks verify/);
  });
});
