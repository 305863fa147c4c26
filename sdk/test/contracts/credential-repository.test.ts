import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { KINDS, RELEASED_KINDS, type Endpoint, credentialRepositoryContract } from '../../src/contracts/index.js';
import { credentialRepository, type CredentialRepositoryHandler } from '../../src/contracts/credential-repository.js';
import { capabilityObject, handshakeJson } from '../../src/handshake.js';
import { definePlugin } from '../../src/plugin.js';
import { DummyRepository } from './upstream-dummy.js';

const ep = (path: string): Endpoint => credentialRepositoryContract.endpoints.find((e) => e.path === path)!;
const noHandler = {} as CredentialRepositoryHandler<unknown>;

describe('credentialRepository contract', () => {
  it('is registered, released, answers the bare identity and emits supportedConsumerIdentityTypes: null', () => {
    expect(KINDS.credentialRepository).toBe(credentialRepositoryContract);
    expect(RELEASED_KINDS).toContain('credentialRepository');
    expect(credentialRepositoryContract.endpoints.map((e: Endpoint) => `${e.method} ${e.path} ${e.auth} ${e.specAt?.join('.')} ${e.identity ?? '-'}`)).toEqual([
      'POST /consumer-identity never config bare',
      'POST /resolve optional config -',
    ]);
    const cap = credentialRepository({ types: { 'AcmeVault/v1': z.object({ type: z.string() }) }, handler: noHandler });
    expect(capabilityObject(cap)).toMatchObject({ supportedConsumerIdentityTypes: null, type: 'credentialRepository' });
    expect(capabilityObject(cap)).not.toHaveProperty('customCredentialTypes');
  });

  it('answers capabilities byte-identical to the upstream test plugin binary (sdk/docs/protocol.md §5 shape)', () => {
    const fixture = readFileSync(join(import.meta.dirname, '../fixtures/upstream/test-plugin-credential-repository.json'), 'utf8');
    const cap = credentialRepository({ types: { 'DummyRepository/v1': DummyRepository }, customCredentialTypes: { 'DummyToken/v1': {} }, handler: noHandler });
    expect(handshakeJson([cap])).toBe(fixture);
    expect(fixture).toContain(
      '{"customCredentialTypes":[{"aliases":null,"jsonSchema":null,"type":"DummyToken/v1"}],"supportedConsumerIdentityTypes":null,"supportedCredentialRepositorySpecTypes":[',
    );
  });

  it('emits aliases and a schema for custom credential types when given', () => {
    const cap = credentialRepository({
      types: { 'AcmeVault/v1': z.object({ type: z.string() }) },
      customCredentialTypes: { 'com.acme.StoreToken/v1': { aliases: ['com.acme.StoreToken'], schema: z.object({ type: z.string(), token: z.string() }) } },
      handler: noHandler,
    });
    const entry = (capabilityObject(cap).customCredentialTypes as Array<Record<string, unknown>>)[0]!;
    expect(entry.type).toBe('com.acme.StoreToken/v1');
    expect(entry.aliases).toEqual(['com.acme.StoreToken']);
    expect(JSON.parse(Buffer.from(entry.jsonSchema as string, 'base64').toString())).toMatchObject({ required: ['type', 'token'] });
  });

  it('refuses built-in and malformed credential type names', () => {
    expect(() => credentialRepository({ types: { 'A/v1': z.object({}) }, customCredentialTypes: { 'OCICredentials/v1': {} }, handler: noHandler })).toThrow(
      /built into the ocm CLI/,
    );
    expect(() =>
      credentialRepository({ types: { 'A/v1': z.object({}) }, customCredentialTypes: { 'X/v1': { aliases: ['Credentials'] } }, handler: noHandler }),
    ).toThrow(/built into/);
    expect(() => credentialRepository({ types: { 'A/v1': z.object({}) }, customCredentialTypes: { 'a/b/c': {} }, handler: noHandler })).toThrow(
      /Name\/version/,
    );
  });

  it('accepts the manager example bodies and answers of sdk/docs/protocol.md §3.4', () => {
    expect(ep('/consumer-identity').request.safeParse(JSON.parse('{"config":{"type":"AcmeVault/v1","url":"https://vault.example"}}')).success).toBe(true);
    expect(ep('/consumer-identity').response!.safeParse(JSON.parse('{"hostname":"vault.example","type":"AcmeVault"}')).success).toBe(true);
    expect(
      ep('/resolve').request.safeParse(
        JSON.parse('{"config":{"type":"AcmeVault/v1","url":"https://vault.example"},"identity":{"hostname":"ghcr.io","type":"OCIRegistry"}}'),
      ).success,
    ).toBe(true);
    expect(ep('/resolve').response!.safeParse(JSON.parse('{"type":"Credentials/v1","properties":{"username":"u","password":"p"}}')).success).toBe(true);
  });

  it('rejects wrong shapes, including typeless credentials (the Go SDK defect)', () => {
    expect(ep('/consumer-identity').request.safeParse({}).success).toBe(false);
    expect(ep('/consumer-identity').request.safeParse({ config: null }).success).toBe(false);
    expect(ep('/resolve').request.safeParse({ config: { type: 'AcmeVault/v1' } }).success).toBe(false);
    expect(ep('/resolve').request.safeParse({ config: { type: 'AcmeVault/v1' }, identity: { port: 443 } }).success).toBe(false);
    expect(ep('/consumer-identity').response!.safeParse({ identity: { type: 'x' } }).success).toBe(false);
    expect(ep('/resolve').response!.safeParse({ token: 'resolved' }).success).toBe(false);
    expect(ep('/resolve').response!.safeParse(null).success).toBe(false);
  });

  it('can be registered in a v0.13.0 plugin', () => {
    expect(() => definePlugin({ name: 'c', capabilities: [credentialRepository({ types: { 'A/v1': z.object({}) }, handler: noHandler })] })).not.toThrow();
  });
});
