/** The input contract's remaining surface on the real process: /identity, dispatch without `type`, bad requests. */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { examplePlugin } from '../../../scripts/examples.js';
import { startPlugin, type PluginProcess } from '../../../scripts/plugin-process.js';
import { DIR_TARBALL } from '../src/spec.js';

describe('dir-tarball input plugin: identity and bad requests (real process)', () => {
  let plugin: PluginProcess;
  const work = mkdtempSync(join(tmpdir(), 'dir-tarball-req-'));

  beforeAll(async () => {
    mkdirSync(join(work, 'd'));
    writeFileSync(join(work, 'd', 'f'), 'x');
    mkdirSync(join(work, 'empty'));
    plugin = await startPlugin(examplePlugin('dir-tarball').executable, { id: 'dir-tarball' });
  });
  afterAll(async () => {
    plugin.kill('SIGINT');
    await plugin.exited;
  });

  it('serves /identity (the Go SDK answers 404 page not found): the spec is decoded and checked; no credentials needed → 404 with a reason', async () => {
    const ok = await plugin.request('POST', '/identity', { body: { type: { path: join(work, 'd'), type: DIR_TARBALL } } });
    expect(ok.status).toBe(404);
    expect(ok.body).toContain(`no credential consumer identity for type ${DIR_TARBALL}; the host continues without credentials`);
    const bad = await plugin.request('POST', '/identity', { body: { type: { type: DIR_TARBALL } } });
    expect(bad.status).toBe(400);
    expect(bad.body).toContain('invalid input spec');
  });

  it('dispatches an input without `type` (the manager does not guarantee it) to the only declared type, whose schema then names what is missing', async () => {
    const res = await plugin.request('POST', '/resource/process', {
      body: {
        resource: { name: 'r', version: '1.0.0', type: 'blob', relation: 'local', options: { ownershipPolicy: 'Always' }, input: { path: join(work, 'd') } },
      },
    });
    // The schema requires `type: DirTarball…`, so the missing type is reported as such, not as "type unsupported".
    expect(res.status).toBe(400);
    expect(res.body).toContain(`invalid resource input of type ${DIR_TARBALL}`);
  });

  it('answers bad requests with non-200 text the ocm user sees', async () => {
    const cases: Array<[string, object | string, number, string]> = [
      [
        '/resource/process',
        { resource: { name: 'r', type: 'blob', input: { type: DIR_TARBALL, path: join(work, 'd'), compress: true } } },
        400,
        'invalid resource input',
      ],
      [
        '/resource/process',
        { resource: { name: 'r', type: 'blob', input: { type: 'File/v1', path: 'x' } } },
        400,
        'type File/v1 is not served by this plugin (it serves: DirTarball.examples.ocmkit.dev/v1)',
      ],
      ['/resource/process', { source: { name: 'r', type: 'blob', input: { type: DIR_TARBALL, path: '.' } } }, 400, 'invalid request'],
      ['/source/process', { source: { name: 's', type: 'filesystem', input: { type: DIR_TARBALL, path: join(work, 'missing') } } }, 400, 'is not a directory'],
      ['/resource/process', '{"resource":', 400, 'not valid JSON'],
      [
        '/resource/process',
        { resource: { name: 'r', type: 'blob', input: { type: DIR_TARBALL, path: join(work, 'empty') } } },
        400,
        `nothing to pack: ${join(work, 'empty')} is empty`,
      ],
      [
        '/resource/process',
        { resource: { name: 'r', type: 'blob', input: { type: DIR_TARBALL, path: join(work, 'd'), include: ['nope'] } } },
        400,
        'has no entries left after include ["nope"]',
      ],
    ];
    for (const [path, body, status, text] of cases) {
      const res = await plugin.request('POST', path, { body });
      expect(res.status, `${path} ${JSON.stringify(body)}: ${res.body}`).toBe(status);
      expect(res.body).toContain(text);
      expect(res.body).toContain(`plugin dir-tarball: POST ${path}`);
    }
    const auth = await plugin.request('POST', '/resource/process', {
      body: { resource: { name: 'r', type: 'blob', input: { type: DIR_TARBALL, path: join(work, 'd') } } },
      headers: { Authorization: '[1]' },
    });
    expect(auth.status).toBe(401);
  });
});
