/** credentialRepository and credentialPlugin served by one real process (HEAD target): same paths, different bodies. */
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPlugin, type PluginProcess } from '../../../scripts/plugin-process.js';
import { bundleFixture } from '../support.js';

describe('credential kinds in one process', () => {
  let plugin: PluginProcess;
  let executable: string;
  beforeAll(async () => {
    executable = await bundleFixture('credential-kinds-plugin');
    plugin = await startPlugin(executable, { id: 'credential-kinds' });
  });
  afterAll(async () => {
    plugin.kill('SIGINT');
    await plugin.exited;
  });

  it('advertises both kinds, with customCredentialTypes and supportedConsumerIdentityTypes: null on the repository', () => {
    const out = execFileSync(executable, ['capabilities'], { encoding: 'utf8' });
    const caps = (JSON.parse(out) as { capabilities: Array<Record<string, unknown>> }).capabilities;
    expect(caps.map((c) => c.type)).toEqual(['credentialRepository', 'credentialPlugin']);
    expect(out).toContain('{"customCredentialTypes":[{"aliases":null,"jsonSchema":null,"type":"FixtureToken/v1"}],"supportedConsumerIdentityTypes":null,');
  });

  it('answers /consumer-identity with a bare identity for each kind', async () => {
    const repo = await plugin.request('POST', '/consumer-identity', { body: { config: { type: 'FixtureVault/v1', url: 'https://vault.example:8200' } } });
    expect(repo.status, repo.body).toBe(200);
    expect(JSON.parse(repo.body)).toEqual({ type: 'FixtureVault', hostname: 'vault.example' });
    const cred = await plugin.request('POST', '/consumer-identity', { body: { credential: { type: 'FixtureVaultSecret/v1', path: 'secret/data/oci' } } });
    expect(cred.status, cred.body).toBe(200);
    expect(JSON.parse(cred.body)).toEqual({ type: 'FixtureVaultSecret/v1', path: 'secret/data/oci' });
  });

  it('routes /resolve by body shape and passes Authorization through', async () => {
    const repo = await plugin.request('POST', '/resolve', {
      headers: { Authorization: '{"type":"Credentials/v1","properties":{"token":"login"}}' },
      body: { config: { type: 'FixtureVault/v1', url: 'https://vault.example' }, identity: { type: 'OCIRegistry', hostname: 'ghcr.io' } },
    });
    expect(repo.status, repo.body).toBe(200);
    expect(JSON.parse(repo.body)).toEqual({ type: 'Credentials/v1', properties: { username: 'repo', password: 'with-login' } });
    const cred = await plugin.request('POST', '/resolve', {
      headers: { Authorization: '{"path":"secret/data/oci","type":"FixtureVaultSecret/v1"}' },
      body: { identity: { type: 'OCIRegistry', hostname: 'ghcr.io' } },
    });
    expect(cred.status, cred.body).toBe(200);
    expect(JSON.parse(cred.body)).toEqual({ type: 'Credentials/v1', properties: { username: 'ghcr.io', password: 'from-plugin:FixtureVaultSecret/v1' } });
  });

  it('answers "nothing stored" with 404, handler errors with 500, bad requests with 400/401', async () => {
    const none = await plugin.request('POST', '/resolve', {
      body: { config: { type: 'FixtureVault/v1', url: 'https://v' }, identity: { type: 'OCIRegistry', hostname: 'docker.io' } },
    });
    expect(none.status).toBe(404);
    expect(none.body).toBe('plugin credential-kinds: POST /resolve: no credentials stored for consumer identity hostname=docker.io,type=OCIRegistry\n');
    const noCreds = await plugin.request('POST', '/resolve', { body: { identity: { type: 'OCIRegistry' } } });
    expect(noCreds.status).toBe(404);
    const sealed = await plugin.request('POST', '/resolve', {
      body: { config: { type: 'FixtureVault/v1', url: 'https://v' }, identity: { type: 'OCIRegistry', hostname: 'boom.example' } },
    });
    expect(sealed.status).toBe(500);
    expect(sealed.body).toBe('plugin credential-kinds: POST /resolve: vault sealed\n');
    const neither = await plugin.request('POST', '/resolve', { body: { something: 1 } });
    expect(neither.status).toBe(400);
    const nonString = await plugin.request('POST', '/resolve', { body: { config: { type: 'FixtureVault/v1', url: 'https://v' }, identity: { port: 443 } } });
    expect(nonString.status).toBe(400);
    const badConfig = await plugin.request('POST', '/consumer-identity', { body: { config: { type: 'FixtureVault/v1' } } });
    expect(badConfig.status).toBe(400);
    expect(badConfig.body).toContain('invalid credential repository config of type FixtureVault/v1');
    const nullConfig = await plugin.request('POST', '/consumer-identity', { body: { config: null } });
    expect(nullConfig.status).toBe(400);
    const badAuth = await plugin.request('POST', '/resolve', { headers: { Authorization: '"x"' }, body: { identity: { type: 'OCIRegistry' } } });
    expect(badAuth.status).toBe(401);
  });
});
