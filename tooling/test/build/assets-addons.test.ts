/**
 * Runtime assets in source, bundle and packaged modes, and the native-addon patterns the bundler recognises, with
 * the refusals for targets that have no binary. The fake addons are copies of a real N-API binary (the keyring
 * example's), so they load for real.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addonsForTarget, type AddonSlot } from '../../src/build/addons.js';
import { bundlePlugin } from '../../src/build/bundle.js';
import { buildPlugin } from '../../src/build/package.js';
import { TARGETS, hostTarget } from '../../src/build/targets.js';
import { projectPlan } from '../../src/doctor/targets.js';
import { ROOT } from '../../../scripts/examples.js';
import { readAll } from '../fixtures/assets-plugin/src/read.js';

const FIXTURE = join(ROOT, 'tooling', 'test', 'fixtures', 'assets-plugin');
const EXPECTED = { greeting: 'grüße from an asset\n', answer: 42, sum: 5 };
const temp = mkdtempSync(join(tmpdir(), 'ocmkit-assets-'));
afterAll(() => rmSync(temp, { recursive: true, force: true }));
const target = (name: string) => TARGETS.find((t) => t.name === name)!;

describe('readAsset reads the declared assets identically', () => {
  it('from source, and refuses an undeclared file naming ocmPlugin.assets', async () => {
    const r = await readAll();
    expect(r).toMatchObject(EXPECTED);
    expect(r.undeclared).toContain('asset "undeclared.txt" is not declared: add a glob that matches it to ocmPlugin.assets');
  });

  it('from a bundle, with the assets copied beside it', async () => {
    const out = join(temp, 'bundle', 'assets-fixture.cjs');
    const b = await bundlePlugin({ entry: join(FIXTURE, 'src', 'main.ts'), outfile: out });
    expect(b.assets).toEqual(['assets/greeting.txt', 'assets/nested/data.json', 'wasm/add.wasm']);
    const r = JSON.parse(execFileSync(process.execPath, [out, 'assets'], { encoding: 'utf8' })) as typeof EXPECTED & { undeclared: string };
    expect(r).toMatchObject(EXPECTED);
    expect(r.undeclared).toContain('undeclared.txt');
  });

  const host = hostTarget();
  it.skipIf(host?.name !== 'linux-x64')(
    'from a packaged executable, embedded',
    async () => {
      const outDir = join(temp, 'bin');
      const built = await buildPlugin({
        entry: join(FIXTURE, 'src', 'main.ts'),
        id: 'assets-fixture',
        outDir,
        targets: [host!],
        node: '26.10.0',
        log: () => {},
      });
      expect(built.failed).toEqual([]);
      // Moved away from the project and the bundle: only the embedded copies can answer.
      const env = { ...process.env, OCM_PLUGIN_KIT_CACHE: join(temp, 'run') };
      const r = JSON.parse(execFileSync(built.artifacts[0]!.path, ['assets'], { encoding: 'utf8', cwd: temp, env })) as typeof EXPECTED & {
        undeclared: string;
      };
      expect(r).toMatchObject(EXPECTED);
      expect(r.undeclared).toContain('this executable carries no asset "undeclared.txt"');
    },
    300_000,
  );
});

describe('native addons kept out of the bundle', () => {
  // Inside the repository's node_modules, so the entry resolves @ocm-plugin-kit/sdk; the fakes sit in its own node_modules.
  const project = join(ROOT, 'node_modules', '.cache', `ocmkit-addon-probe-${process.pid}`);
  afterAll(() => rmSync(project, { recursive: true, force: true }));
  const real = join(ROOT, 'node_modules', '@napi-rs', 'keyring-linux-x64-gnu', 'keyring.linux-x64-gnu.node');
  const pkg = (name: string, files: Record<string, string>, extra: object = {}) => {
    const dir = join(project, 'node_modules', name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, version: '1.2.3', main: 'index.js', ...extra }));
    for (const [f, content] of Object.entries(files)) {
      mkdirSync(join(dir, f, '..'), { recursive: true });
      if (content === '<addon>') copyFileSync(real, join(dir, f));
      else writeFileSync(join(dir, f), content);
    }
  };
  let slots: AddonSlot[] = [];
  const out = join(project, 'dist', 'probe.cjs');
  beforeAll(async () => {
    mkdirSync(project, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'probe', private: true, bin: { probe: 'dist/probe.cjs' } }));
    pkg('plain-addon', { 'index.js': "module.exports = require('./lib/plain.node');", 'lib/plain.node': '<addon>' });
    pkg('prebuilt-addon', {
      'index.js': "module.exports = require('node-gyp-build')(__dirname);",
      'prebuilds/linux-x64/prebuilt-addon.napi.node': '<addon>',
      'prebuilds/linux-x64/prebuilt-addon.musl.node': 'x',
    });
    pkg('gyp-addon', { 'index.js': "module.exports = require('bindings')('gyp_addon');", 'binding.gyp': '{}', 'build/Release/gyp_addon.node': '<addon>' });
    writeFileSync(
      join(project, 'main.js'),
      `const { definePlugin, runPlugin, signingHandler } = require('@ocm-plugin-kit/sdk');
const { z } = require('zod');
if (process.argv[2] === 'probe') {
  const loaded = { 'plain-addon': require('plain-addon'), 'prebuilt-addon': require('prebuilt-addon'), 'gyp-addon': require('gyp-addon') };
  for (const [m, e] of Object.entries(loaded)) console.log(m, typeof e.Entry);
} else {
  const Spec = z.object({ type: z.literal('Probe.fixture/v1') });
  void runPlugin(definePlugin({ name: 'addon-probe', version: '0.1.0', capabilities: [signingHandler({ types: { 'Probe.fixture/v1': Spec }, handler: async () => ({ default: { sign: async () => { throw new Error('unused'); }, verify: async () => {} } }) })] }));
}
`,
    );
    slots = (await bundlePlugin({ entry: join(project, 'main.js'), outfile: out })).addons;
  }, 60_000);

  it('finds plain .node requires, prebuildify and bindings, and loads them from beside the bundle', () => {
    expect(slots.map((s) => [s.key, s.kind]).sort()).toEqual([
      ['gyp-addon:bindings/gyp_addon.node', 'bindings'],
      ['plain-addon/lib/plain.node', 'file'],
      ['prebuilt-addon:prebuild', 'prebuild'],
    ]);
    if (hostTarget()?.name !== 'linux-x64') return;
    expect(readdirSync(join(project, 'dist', 'probe.addons')).sort()).toEqual([
      'coverage.json',
      'gyp-addon_bindings_gyp_addon.node',
      'plain-addon_lib_plain.node',
      'prebuilt-addon_prebuild.node',
    ]);
    expect(execFileSync(process.execPath, [out, 'probe'], { encoding: 'utf8' })).toBe('plain-addon function\nprebuilt-addon function\ngyp-addon function\n');
  });

  it('refuses a target without a binary, naming package, target and the ways out; source-only node-gyp addons say so', async () => {
    const arm = await addonsForTarget(slots, target('linux-arm64'), { cacheDir: join(temp, 'cache'), fetch: false });
    expect(arm.binaries).toEqual([]);
    const byPkg = (p: string) => arm.problems.find((m) => m.startsWith(p)) ?? '';
    expect(byPkg('gyp-addon@1.2.3')).toContain(
      'is a native addon built from source by node-gyp (binding.gyp, no prebuilt binaries), so there is no linux-arm64 binary to embed',
    );
    expect(byPkg('prebuilt-addon@1.2.3')).toContain('has no prebuilt native addon for linux-arm64');
    expect(byPkg('prebuilt-addon@1.2.3')).toContain('prebuilds/linux-arm64/ (absent)');
    expect(byPkg('plain-addon@1.2.3')).toContain('looked at: ');
    expect(byPkg('plain-addon@1.2.3')).toContain('(ELF x64)');
    for (const m of arm.problems) expect(m).toMatch(/Ways out: .*leave the target out \(--targets linux-x64,darwin-x64,darwin-arm64,win-x64\)/);
    const x64 = await addonsForTarget(slots, target('linux-x64'), { cacheDir: join(temp, 'cache'), fetch: false });
    expect(x64.problems).toEqual([]);
    expect(x64.binaries.map((b) => b.name).sort()).toEqual(['gyp_addon.node', 'plain.node', 'prebuilt-addon.napi.node']);
  });

  it('doctor lists each addon package and the targets it covers', () => {
    const notes = projectPlan(project)
      .notes.filter((n) => n.finding.check === 'native addon')
      .map((n) => [n.finding.status, n.finding.summary]);
    expect(notes).toEqual([
      [
        'warn',
        'gyp-addon@1.2.3 (built from source by node-gyp): binaries for linux-x64; none for linux-arm64, darwin-x64, darwin-arm64, win-x64, so `ocm-plugin build` fails those targets',
      ],
      ['warn', 'plain-addon@1.2.3: binaries for linux-x64; none for linux-arm64, darwin-x64, darwin-arm64, win-x64, so `ocm-plugin build` fails those targets'],
      [
        'warn',
        'prebuilt-addon@1.2.3: binaries for linux-x64; none for linux-arm64, darwin-x64, darwin-arm64, win-x64, so `ocm-plugin build` fails those targets',
      ],
    ]);
  });

  it("doctor: the keychain example's addon covers every target", async () => {
    const example = join(ROOT, 'examples', 'signing-keyring');
    await bundlePlugin({ entry: join(example, 'src', 'main.ts'), outfile: join(example, 'dist', 'keyring-signer.cjs') });
    const notes = projectPlan(example)
      .notes.filter((n) => n.finding.check === 'native addon')
      .map((n) => [n.finding.status, n.finding.summary]);
    expect(notes).toEqual([['pass', '@napi-rs/keyring@2.1.2: binaries for linux-x64, linux-arm64, darwin-x64, darwin-arm64, win-x64']]);
  }, 60_000);

  it.skipIf(hostTarget()?.name !== 'linux-x64')(
    'packages: the target without a binary fails with the reasons, the other builds and loads all three from its SEA assets',
    async () => {
      const r = await buildPlugin({
        entry: join(project, 'main.js'),
        id: 'addon-probe',
        outDir: join(temp, 'probe-bin'),
        targets: [target('linux-x64'), target('linux-arm64')],
        node: '26.10.0',
        launcher: 'none',
        log: () => {},
      });
      expect(r.failed.map((f) => f.target.name)).toEqual(['linux-arm64']);
      expect(r.failed[0]!.reason).toContain('gyp-addon@1.2.3 is a native addon built from source by node-gyp');
      expect(r.artifacts.map((a) => a.target.name)).toEqual(['linux-x64']);
      expect(r.artifacts[0]!.addons!.map((a) => a.key).sort()).toEqual([
        'gyp-addon:bindings/gyp_addon.node',
        'plain-addon/lib/plain.node',
        'prebuilt-addon:prebuild',
      ]);
      // Away from node_modules and the bundle: the binaries can only come out of the executable.
      const env = { ...process.env, OCM_PLUGIN_KIT_CACHE: join(temp, 'probe-run') };
      expect(execFileSync(r.artifacts[0]!.path, ['probe'], { encoding: 'utf8', cwd: temp, env })).toBe(
        'plain-addon function\nprebuilt-addon function\ngyp-addon function\n',
      );
      // The three fakes are the same binary: one content-hash directory holding three names.
      expect(readdirSync(join(temp, 'probe-run', 'run', 'addons')).length).toBe(1);
    },
    300_000,
  );
});
