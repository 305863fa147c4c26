/** The input plugin through the real Go plugin manager v0.0.17 (input registry), via ocm-harness. */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runHarnessCall, type HarnessCall } from '../../../conformance/src/go/harness.js';
import { examplePlugin } from '../../../scripts/examples.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { packDirectory } from '../src/pack.js';
import { DIR_TARBALL } from '../src/spec.js';

const harnessBin = toolOrSkip('goHarness', 'dir-tarball through the Go plugin manager');

function workspace(): { dir: string; plugins: string; tree: string } {
  const dir = mkdtempSync(join(tmpdir(), 'harness-dir-tarball-'));
  const plugins = join(dir, 'plugins');
  const tree = join(dir, 'tree');
  mkdirSync(plugins);
  mkdirSync(join(tree, 'conf'), { recursive: true });
  writeFileSync(join(tree, 'conf', 'app.yaml'), 'replicas: 3\n');
  writeFileSync(join(tree, 'README'), 'bundle\n');
  symlinkSync(examplePlugin('dir-tarball').executable, join(plugins, 'dir-tarball'));
  return { dir, plugins, tree };
}

function harness(dir: string, call: Omit<HarnessCall, 'kind'>): { status: number | null; json: any; stderr: string } {
  const r = runHarnessCall(harnessBin!, dir, { kind: 'inputRepository', ...call }, { timeoutMs: 60_000 });
  return { status: r.status, json: r.status === 0 ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
}

/** The wire request of /resource/process for a constructor resource around an input spec. */
const processResource = (input: object) => ({
  endpoint: 'processResource',
  request: { resource: { name: 'bundle', version: 'v0.0.1', type: 'blob', relation: 'local', input } },
});

async function sha256OfPack(dir: string, include?: string[]): Promise<string> {
  const h = createHash('sha256');
  for await (const c of await packDirectory(dir, include)) h.update(c as Buffer);
  return h.digest('hex');
}

describe.skipIf(!harnessBin)('dir-tarball through the Go plugin manager v0.0.17', () => {
  it('processes a resource input: the manager reads back the reproducible tarball with its media type', async () => {
    const ws = workspace();
    const r = harness(ws.plugins, processResource({ type: DIR_TARBALL, path: ws.tree }));
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.blob).toMatchObject({ sha256: await sha256OfPack(ws.tree), mediaType: 'application/vnd.ocmkit.dir.v1.tar+gzip' });
    expect(r.json.resource).toBeNull();
  });

  it('processes a source input and returns the source without its input', async () => {
    const ws = workspace();
    const source = { name: 'config-src', version: '1.0.0', type: 'filesystem', input: { type: DIR_TARBALL, path: ws.tree, include: ['conf/'] } };
    const r = harness(ws.plugins, { endpoint: 'processSource', request: { source } });
    expect(r.status, r.stderr).toBe(0);
    expect(r.json.blob.sha256).toBe(await sha256OfPack(ws.tree, ['conf/']));
    expect(r.json.source).toEqual({ name: 'config-src', version: '1.0.0', type: 'filesystem', access: null });
  });

  it('answers /identity (which the Go SDK does not serve) with a reason; the registry hands it to the caller as an error', () => {
    // The constructor in `ocm add cv` then goes on without credentials (see ocm-cli.test.ts, which succeeds).
    const ws = workspace();
    const r = harness(ws.plugins, { endpoint: 'identity', request: { type: { type: DIR_TARBALL, path: ws.tree } } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      'plugin returned status code 404: additional information: plugin dir-tarball: POST /identity: no credential consumer identity for type DirTarball.examples.ocmkit.dev/v1',
    );
  });

  it("passes the plugin's error to the caller", () => {
    const ws = workspace();
    const r = harness(ws.plugins, processResource({ type: DIR_TARBALL, path: join(ws.dir, 'missing') }));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('is not a directory');
  });
});
