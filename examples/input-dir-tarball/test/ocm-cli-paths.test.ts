/** Where the real `ocm` CLI v0.13.0 resolves a relative path in an input spec (sdk/docs/ocm-cli.md §3, §14 #10). */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { examplePlugin } from '../../../scripts/examples.js';
import { ocmWorkspace } from '../../../scripts/ocm-cli.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { DIR_TARBALL } from '../src/spec.js';

const ocm = toolOrSkip('ocmCli', 'dir-tarball path resolution inside the real ocm CLI');

describe.skipIf(!ocm)('dir-tarball relative paths with ocm CLI v0.13.0', () => {
  it("resolves `path: ./data` against the directory ocm runs in, not the constructor file's directory", () => {
    const ws = ocmWorkspace(ocm!);
    ws.install('dir-tarball', examplePlugin('dir-tarball').executable);
    for (const [dir, marker] of [
      ['data', 'working directory'],
      ['sub/data', 'constructor directory'],
    ] as const) {
      mkdirSync(join(ws.dir, dir), { recursive: true });
      writeFileSync(join(ws.dir, dir, 'which'), marker);
    }
    ws.write(
      'sub/constructor.yaml',
      `name: acme.org/paths\nversion: 1.0.0\nprovider:\n  name: acme.org\nresources:\n  - name: data\n    type: blob\n    input:\n      type: ${DIR_TARBALL}\n      path: ./data\n`,
    );
    const add = ws.run(['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', './sub/constructor.yaml']);
    expect(add.status, add.stderr).toBe(0);
    const dl = ws.run([
      'download',
      'resource',
      'ctf::./ctf//acme.org/paths:1.0.0',
      '--identity',
      'name=data',
      '--output',
      'data.tgz',
      '--extraction-policy',
      'disable',
    ]);
    expect(dl.status, dl.stderr).toBe(0);
    const tar = gunzipSync(readFileSync(join(ws.dir, 'data.tgz'))).toString('latin1');
    expect(tar).toContain('working directory');
    expect(tar).not.toContain('constructor directory');
  });
});
