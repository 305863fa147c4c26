import { createHash } from 'node:crypto';
import { mkdtempSync, mkdirSync, readFileSync, writeFileSync, chmodSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as tar from 'tar';
import { examplePlugin } from '../../../scripts/examples.js';
import { startPlugin, type PluginProcess } from '../../../scripts/plugin-process.js';
import { DIR_TARBALL } from '../src/spec.js';

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function makeTree(root: string, mtime: Date): void {
  mkdirSync(join(root, 'conf/nested'), { recursive: true });
  writeFileSync(join(root, 'conf/app.yaml'), 'replicas: 3\n');
  writeFileSync(join(root, 'conf/nested/run.sh'), '#!/bin/sh\necho hi\n');
  chmodSync(join(root, 'conf/nested/run.sh'), 0o755);
  writeFileSync(join(root, 'README'), 'bundle\n');
  for (const p of ['conf/app.yaml', 'conf/nested/run.sh', 'README']) utimesSync(join(root, p), mtime, mtime);
}

describe('dir-tarball input plugin (real process)', () => {
  let plugin: PluginProcess;
  const work = mkdtempSync(join(tmpdir(), 'dir-tarball-test-'));

  beforeAll(async () => {
    plugin = await startPlugin(examplePlugin('dir-tarball').executable, { id: 'dir-tarball' });
  });
  afterAll(async () => {
    plugin.kill('SIGINT');
    await plugin.exited;
  });

  it('packs the same tree into the same bytes regardless of file times', async () => {
    const a = join(work, 'a');
    const b = join(work, 'b');
    makeTree(a, new Date('2020-01-01T00:00:00Z'));
    makeTree(b, new Date('2024-06-01T12:00:00Z'));
    const run = async (path: string) => {
      const res = await plugin.request('POST', '/resource/process', {
        body: { resource: { name: 'config', version: '1.0.0', type: 'blob', relation: 'local', input: { type: DIR_TARBALL, path } } },
      });
      expect(res.status, res.body).toBe(200);
      return JSON.parse(res.body) as { location: { type: string; value: string; mediaType: string } };
    };
    const ra = await run(a);
    const rb = await run(b);
    expect(ra.location.type).toBe('localFile');
    expect(ra.location.mediaType).toBe('application/vnd.ocmkit.dir.v1.tar+gzip');
    expect(sha256(ra.location.value)).toBe(sha256(rb.location.value));

    const names: string[] = [];
    await tar.t({ file: ra.location.value, onReadEntry: (e) => names.push(`${e.path}:${(e.mode ?? 0).toString(8)}`) });
    expect(names).toEqual(['README:644', 'conf/:755', 'conf/app.yaml:644', 'conf/nested/:755', 'conf/nested/run.sh:755']);
  });

  it('serves source inputs and echoes the source', async () => {
    const res = await plugin.request('POST', '/source/process', {
      body: { source: { name: 'src', version: '1.0.0', type: 'filesystem', input: { type: DIR_TARBALL, path: join(work, 'a'), include: ['conf/'] } } },
    });
    expect(res.status, res.body).toBe(200);
    const out = JSON.parse(res.body) as { source: Record<string, unknown>; location: { value: string } };
    expect(out.source).toMatchObject({ name: 'src', version: '1.0.0', type: 'filesystem', access: null });
    expect(out.source).not.toHaveProperty('input');
  });

  it('answers a missing directory with a 400 that names the path', async () => {
    const res = await plugin.request('POST', '/resource/process', {
      body: { resource: { name: 'config', version: '1.0.0', type: 'blob', input: { type: DIR_TARBALL, path: join(work, 'nope') } } },
    });
    expect(res.status).toBe(400);
    expect(res.body).toContain(join(work, 'nope'));
    expect(res.body).toContain('is not a directory');
  });
});
