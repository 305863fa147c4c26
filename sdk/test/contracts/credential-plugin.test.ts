import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KINDS, RELEASED_KINDS, type Endpoint, credentialPluginContract } from '../../src/contracts/index.js';
import { credentialPlugin, type CredentialPluginHandler } from '../../src/contracts/credential-plugin.js';
import { capabilityObject } from '../../src/handshake.js';
import { definePlugin } from '../../src/plugin.js';

const ep = (path: string): Endpoint => credentialPluginContract.endpoints.find((e) => e.path === path)!;
const cap = () =>
  credentialPlugin({ types: { 'AcmeVaultCredential/v1': z.object({ type: z.string(), path: z.string() }) }, handler: {} as CredentialPluginHandler<unknown> });

describe('credentialPlugin contract (HEAD only)', () => {
  it('is known but never released to v0.13.0', () => {
    expect(KINDS.credentialPlugin).toBe(credentialPluginContract);
    expect(credentialPluginContract.headOnly).toBe(true);
    expect(RELEASED_KINDS).not.toContain('credentialPlugin');
    expect(credentialPluginContract.endpoints.map((e: Endpoint) => `${e.method} ${e.path} ${e.auth} ${e.specAt?.join('.')} ${e.identity ?? '-'}`)).toEqual([
      'POST /consumer-identity never credential bare',
      'POST /resolve optional undefined -',
    ]);
  });

  it('is refused by definePlugin unless the target is head', () => {
    expect(() => definePlugin({ name: 'v', capabilities: [cap()] })).toThrow(/only understood by the upstream HEAD plugin manager/);
    const plugin = definePlugin({ name: 'v', target: 'head', capabilities: [cap()] });
    expect(JSON.parse(plugin.handshake())).toMatchObject({
      capabilities: [{ type: 'credentialPlugin', supportedCredentialPluginTypes: [{ type: 'AcmeVaultCredential/v1', aliases: null }] }],
    });
    expect(capabilityObject(cap())).not.toHaveProperty('supportedConsumerIdentityTypes');
  });

  it('accepts the manager example bodies and answers of sdk/docs/protocol.md §3.5', () => {
    expect(ep('/consumer-identity').request.safeParse(JSON.parse('{"credential":{"path":"secret/data/oci","type":"AcmeVaultCredential/v1"}}')).success).toBe(
      true,
    );
    expect(ep('/consumer-identity').response!.safeParse(JSON.parse('{"path":"secret/data/oci","type":"AcmeVaultCredential/v1"}')).success).toBe(true);
    expect(ep('/resolve').request.safeParse(JSON.parse('{"identity":{"hostname":"ghcr.io","type":"OCIRegistry"}}')).success).toBe(true);
    expect(ep('/resolve').response!.safeParse(JSON.parse('{"type":"Credentials/v1","properties":{"username":"u","password":"p"}}')).success).toBe(true);
  });

  it('rejects wrong shapes', () => {
    expect(ep('/consumer-identity').request.safeParse({ config: {} }).success).toBe(false);
    expect(ep('/consumer-identity').response!.safeParse({ path: 'x' }).success).toBe(false);
    expect(ep('/resolve').request.safeParse({}).success).toBe(false);
    expect(ep('/resolve').response!.safeParse({ username: 'u' }).success).toBe(false);
  });
});
