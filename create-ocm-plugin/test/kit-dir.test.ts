/** `--kit-dir`: a project generated from a checkout of the kit links that checkout's packages. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildCli, REPO_ROOT, runCli } from './support/cli.js';

let bin: string;
let kit: string;
beforeAll(async () => {
  bin = await buildCli();
  // A stand-in checkout: package.json and a dist/ for sdk, tooling and conformance are what --kit-dir checks.
  kit = mkdtempSync(join(tmpdir(), 'kit-checkout-'));
  for (const pkg of ['sdk', 'tooling', 'conformance']) {
    mkdirSync(join(kit, pkg, 'dist'), { recursive: true });
    writeFileSync(join(kit, pkg, 'package.json'), readFileSync(join(REPO_ROOT, pkg, 'package.json')));
  }
});

describe('--kit-dir', () => {
  it("writes file: dependencies on the checkout's sdk, tooling and conformance", async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'kit-dir-'));
    const r = await runCli(bin, ['p', '--kind', 'inputRepository', '--kit-dir', kit, '--yes'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(join(cwd, 'p', 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    expect(pkg.dependencies['@ocm-plugin-kit/sdk']).toBe(`file:${join(kit, 'sdk')}`);
    expect(pkg.devDependencies['@ocm-plugin-kit/conformance']).toBe(`file:${join(kit, 'conformance')}`);
    expect(pkg.devDependencies['@ocm-plugin-kit/tooling']).toBe(`file:${join(kit, 'tooling')}`);
  });

  it.each([
    ['a directory that is no kit checkout', () => mkdtempSync(join(tmpdir(), 'not-kit-')), /is not a checkout of the OCM plugin kit \(no sdk\/package\.json\)/],
    [
      'an unbuilt checkout',
      () => {
        const d = mkdtempSync(join(tmpdir(), 'unbuilt-'));
        for (const pkg of ['sdk', 'tooling', 'conformance']) {
          mkdirSync(join(d, pkg), { recursive: true });
          writeFileSync(join(d, pkg, 'package.json'), '{}');
        }
        return d;
      },
      /sdk\/ is not built; run `npm run setup`/,
    ],
  ])('refuses %s and writes nothing', async (_name, make, message) => {
    const cwd = mkdtempSync(join(tmpdir(), 'kit-dir-bad-'));
    const r = await runCli(bin, ['p', '--kind', 'inputRepository', '--kit-dir', make(), '--yes'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(existsSync(join(cwd, 'p'))).toBe(false);
  });
});
