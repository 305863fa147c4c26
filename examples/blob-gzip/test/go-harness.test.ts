/**
 * The blob transformer through the real Go plugin manager v0.0.17 (blobtransformer registry), via ocm-harness.
 * No `ocm` CLI command reaches external transformers, so this is the only real-host check there is.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { runHarnessCall, type HarnessCall } from '../../../conformance/src/go/harness.js';
import { examplePlugin } from '../../../scripts/examples.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { GZIP } from '../src/spec.js';

const harnessBin = toolOrSkip('goHarness', 'blob-gzip through the Go plugin manager');

function workspace(): { dir: string; plugins: string } {
  const dir = mkdtempSync(join(tmpdir(), 'harness-gzip-'));
  const plugins = join(dir, 'plugins');
  mkdirSync(plugins);
  symlinkSync(examplePlugin('blob-gzip').executable, join(plugins, 'blob-gzip'));
  return { dir, plugins };
}

function harness(dir: string, call: Omit<HarnessCall, 'kind'>): { status: number | null; json: any; stderr: string } {
  const r = runHarnessCall(harnessBin!, dir, { kind: 'blobTransformer', ...call }, { timeoutMs: 120_000 });
  return { status: r.status, json: r.status === 0 ? JSON.parse(r.stdout) : undefined, stderr: r.stderr };
}

/** The wire request of /blob/transform: the input blob as a localFile location, and the spec. */
const transform = (file: string, specification: object) => ({
  endpoint: 'transformBlob',
  request: { location: { type: 'localFile', value: file }, specification },
});

describe.skipIf(!harnessBin)('blob-gzip through the Go plugin manager v0.0.17', () => {
  it('transforms a blob the manager hands over as a temp file and reads the result back', () => {
    const ws = workspace();
    const data = Buffer.concat([randomBytes(3 << 20), Buffer.alloc(3 << 20, 'ocm')]);
    const input = join(ws.dir, 'input.bin');
    writeFileSync(input, data);
    const out = join(ws.dir, 'out.gz');
    const r = harness(ws.plugins, { ...transform(input, { type: GZIP, level: 9 }), out });
    expect(r.status, r.stderr).toBe(0);
    const gz = readFileSync(out);
    expect(r.json.blob).toMatchObject({ sha256: createHash('sha256').update(gz).digest('hex'), size: gz.length, mediaType: 'application/gzip' });
    expect(gunzipSync(gz).equals(data)).toBe(true);

    const back = join(ws.dir, 'back.bin');
    const d = harness(ws.plugins, { ...transform(out, { type: GZIP, mode: 'decompress' }), out: back });
    expect(d.status, d.stderr).toBe(0);
    expect(readFileSync(back).equals(data)).toBe(true);
    expect(d.json.blob.mediaType).toBeUndefined();
  });

  it('answers /identity through the manager\'s adapter; "no identity" reaches the caller as the plugin\'s message', () => {
    const ws = workspace();
    const r = harness(ws.plugins, { endpoint: 'identity', request: { type: { type: GZIP, level: 2 } } });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `plugin returned status code 404: additional information: plugin blob-gzip: POST /identity: no credential consumer identity for type ${GZIP}`,
    );
  });

  it('reports handler errors and specs the schema forbids', () => {
    const ws = workspace();
    const plain = join(ws.dir, 'plain.txt');
    writeFileSync(plain, 'plain text');
    const notGzip = harness(ws.plugins, transform(plain, { type: GZIP, mode: 'decompress' }));
    expect(notGzip.status).toBe(1);
    expect(notGzip.stderr).toContain('is not gzip data');
    const badSpec = harness(ws.plugins, transform(plain, { type: GZIP, level: 11 }));
    expect(badSpec.status).toBe(1);
    expect(badSpec.stderr).toMatch(/level/);
  });
});
