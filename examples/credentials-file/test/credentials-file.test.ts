import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePlugin } from '../../../scripts/examples.js';
import { startPlugin, type PluginProcess } from '../../../scripts/plugin-process.js';
import { CREDENTIALS_FILE, STORE_TOKEN } from '../src/spec.js';

const SECRETS = `# credentials for ocm, readable only by me
credentials:
  - identity: {type: OCIRegistry, hostname: ghcr.io}
    properties: {username: robot, password: "p\\u00e4ss"}
  - identity: {type: OCIRegistry, hostname: ghcr.io, path: acme/private}
    properties: {username: acme-robot, password: other}
  - identity: {type: ComponentDirectory}
    credential: {type: ${STORE_TOKEN}, token: s3cr3t-token}
`;

describe('credentials-file credential repository (real process)', () => {
  let plugin: PluginProcess;
  const dir = mkdtempSync(join(tmpdir(), 'credentials-file-'));
  const file = join(dir, 'credentials.yaml');
  const config = { type: CREDENTIALS_FILE, path: file };

  beforeAll(async () => {
    writeFileSync(file, SECRETS, { mode: 0o600 });
    chmodSync(file, 0o600);
    plugin = await startPlugin(examplePlugin('credentials-file').executable, { id: 'credentials-file' });
  });
  afterAll(async () => {
    plugin.kill('SIGINT');
    await plugin.exited;
  });

  const resolveFor = (identity: unknown, cfg: unknown = config) => plugin.request('POST', '/resolve', { body: { config: cfg, identity } as object });

  it('declares the custom credential type with its alias and keeps supportedConsumerIdentityTypes null', () => {
    const out = execFileSync(examplePlugin('credentials-file').executable, ['capabilities'], { encoding: 'utf8' });
    const cap = (JSON.parse(out) as { capabilities: Array<Record<string, unknown>> }).capabilities[0]!;
    expect(cap.type).toBe('credentialRepository');
    expect(cap.supportedConsumerIdentityTypes).toBeNull();
    expect(cap.supportedCredentialRepositorySpecTypes).toMatchObject([{ type: CREDENTIALS_FILE, aliases: null }]);
    expect(cap.customCredentialTypes).toMatchObject([{ type: STORE_TOKEN, aliases: ['StoreToken.examples.ocmkit.dev'] }]);
    expect(out).toMatch(/^\{"capabilities":\[\{"customCredentialTypes":/);
  });

  it('resolves Credentials/v1 from properties, the most specific entry winning', async () => {
    const res = await resolveFor({ type: 'OCIRegistry', hostname: 'ghcr.io', port: '443' });
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ type: 'Credentials/v1', properties: { username: 'robot', password: 'päss' } });
    const specific = await resolveFor({ type: 'OCIRegistry', hostname: 'ghcr.io', path: 'acme/private' });
    expect(JSON.parse(specific.body)).toEqual({ type: 'Credentials/v1', properties: { username: 'acme-robot', password: 'other' } });
  });

  it('returns a custom typed credential as written', async () => {
    const res = await resolveFor({ type: 'ComponentDirectory', path: '/srv/components' });
    expect(res.status, res.body).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ type: STORE_TOKEN, token: 's3cr3t-token' });
  });

  it('answers an unknown identity with 404 naming it (not the secrets)', async () => {
    const res = await resolveFor({ type: 'OCIRegistry', hostname: 'docker.io' });
    expect(res.status).toBe(404);
    expect(res.body).toBe('plugin credentials-file: POST /resolve: no credentials stored for consumer identity hostname=docker.io,type=OCIRegistry\n');
  });

  it('has no consumer identity of its own', async () => {
    const res = await plugin.request('POST', '/consumer-identity', { body: { config } });
    expect(res.status).toBe(404);
  });

  it('rejects malformed requests', async () => {
    const noIdentity = await plugin.request('POST', '/resolve', { body: { config } });
    expect(noIdentity.status).toBe(400);
    expect(noIdentity.body).toContain('identity');
    const numbers = await resolveFor({ type: 'OCIRegistry', port: 443 });
    expect(numbers.status).toBe(400);
    const badConfig = await resolveFor({ type: 'OCIRegistry' }, { type: CREDENTIALS_FILE });
    expect(badConfig.status).toBe(400);
    expect(badConfig.body).toContain(`invalid credential repository config of type ${CREDENTIALS_FILE}`);
    const otherType = await resolveFor({ type: 'OCIRegistry' }, { type: 'DockerConfig/v1' });
    expect(otherType.status).toBe(400);
    const badAuth = await plugin.request('POST', '/resolve', { body: { config, identity: { type: 'OCIRegistry' } }, headers: { Authorization: 'null' } });
    expect(badAuth.status).toBe(401);
    const notJson = await plugin.request('POST', '/resolve', { body: '{"config":' });
    expect(notJson.status).toBe(400);
  });

  it('refuses a file others can read, and says how to fix it', async () => {
    const open = join(dir, 'open.yaml');
    writeFileSync(open, SECRETS);
    chmodSync(open, 0o644);
    const res = await resolveFor({ type: 'OCIRegistry', hostname: 'ghcr.io' }, { ...config, path: open });
    expect(res.status).toBe(403);
    expect(res.body).toContain(`mode 0644); run: chmod 600 ${open}`);
    // Where modes mean nothing (SMB mounts, Windows) the check can be turned off explicitly.
    const unchecked = await resolveFor({ type: 'OCIRegistry', hostname: 'ghcr.io' }, { ...config, path: open, checkPermissions: false });
    expect(unchecked.status, unchecked.body).toBe(200);
  });

  it('reports broken files without echoing their content', async () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'credentials:\n  - identity: {type: OCIRegistry\n    properties: {password: hunter2\n', { mode: 0o600 });
    const res = await resolveFor({ type: 'OCIRegistry' }, { ...config, path: broken });
    expect(res.status).toBe(422);
    expect(res.body).toContain(`credentials file ${broken} is not valid YAML/JSON`);
    expect(res.body).not.toContain('hunter2');

    const wrong = join(dir, 'wrong.yaml');
    writeFileSync(wrong, 'credentials:\n  - identity: {hostname: x}\n    properties: {password: hunter2}\n', { mode: 0o600 });
    const bad = await resolveFor({ type: 'OCIRegistry' }, { ...config, path: wrong });
    expect(bad.status).toBe(422);
    expect(bad.body).toContain('credentials.0.identity: identity needs a type');
    expect(bad.body).not.toContain('hunter2');

    const missing = await resolveFor({ type: 'OCIRegistry' }, { ...config, path: join(dir, 'nope.yaml') });
    expect(missing.status).toBe(404);
    expect(missing.body).toContain('does not exist');
  });

  it('never logs secret values', () => {
    expect(plugin.stderr()).not.toContain('s3cr3t-token');
    expect(plugin.stderr()).not.toContain('hunter2');
  });
});
