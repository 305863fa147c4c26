import { describe, expect, it } from 'vitest';
import { exportTargets, internalRangeProblems, rangeAdmits, tarballProblems } from '../release/package-checks.mjs';

const manifest = {
  name: '@ocm-plugin-kit/tooling',
  version: '0.2.0',
  bin: { 'ocm-plugin': 'bin/ocm-plugin.js' },
  exports: { '.': { source: './src/index.ts', types: './dist/index.d.ts', default: './dist/index.js' }, './package.json': './package.json' },
  dependencies: { '@ocm-plugin-kit/sdk': '^0.2.0', esbuild: '^0.28.2' },
};
const files = ['package.json', 'bin/ocm-plugin.js', 'dist/index.js', 'dist/index.d.ts', 'dist/launcher/linux-amd64'];
const versions = { '@ocm-plugin-kit/sdk': '0.2.0', '@ocm-plugin-kit/tooling': '0.2.0' };

describe('tarball checks before publishing', () => {
  it('pass a complete tarball', () => {
    expect(tarballProblems(manifest, files, { versions, required: ['dist/launcher/linux-amd64'] })).toEqual([]);
    expect(internalRangeProblems(manifest, versions)).toEqual([]);
  });

  it('name a file: dependency and the fix', () => {
    const problems = tarballProblems({ ...manifest, dependencies: { '@ocm-plugin-kit/sdk': 'file:../sdk' } }, files, { versions });
    expect(problems).toEqual([
      expect.stringMatching(
        /^@ocm-plugin-kit\/tooling@0\.2\.0: dependencies\.@ocm-plugin-kit\/sdk is "file:\.\.\/sdk", which exists only on this machine; use a version range/,
      ),
    ]);
  });

  it('name a missing launcher, template file, bin and exports target', () => {
    const problems = tarballProblems(manifest, ['package.json'], {
      versions,
      required: ['dist/launcher/darwin-arm64', 'templates/base/package.json.hbs'],
      requiredBecause: 'needed at run time',
    });
    expect(problems).toEqual([
      '@ocm-plugin-kit/tooling@0.2.0: bin bin/ocm-plugin.js is not in the tarball; add it to "files"',
      '@ocm-plugin-kit/tooling@0.2.0: exports/main target ./dist/index.d.ts is not in the tarball; build before packing (prepack) or fix "files"',
      '@ocm-plugin-kit/tooling@0.2.0: exports/main target ./dist/index.js is not in the tarball; build before packing (prepack) or fix "files"',
      '@ocm-plugin-kit/tooling@0.2.0: dist/launcher/darwin-arm64 is missing from the tarball (needed at run time)',
      '@ocm-plugin-kit/tooling@0.2.0: templates/base/package.json.hbs is missing from the tarball (needed at run time)',
    ]);
  });

  it('refuse "*" for a package released together and a range that misses the release', () => {
    expect(tarballProblems({ ...manifest, dependencies: { '@ocm-plugin-kit/sdk': '*' } }, files, { versions })).toEqual([
      expect.stringContaining('dependencies.@ocm-plugin-kit/sdk is "*"; pin it to the release (^0.2.0)'),
    ]);
    expect(internalRangeProblems({ ...manifest, dependencies: { '@ocm-plugin-kit/sdk': '^0.1.0' } }, versions)).toEqual([
      expect.stringContaining('dependencies.@ocm-plugin-kit/sdk is "^0.1.0", which does not admit 0.2.0 published with it; run `npm run version-packages`'),
    ]);
  });

  it('read exports maps without the workspace-only source condition', () => {
    expect(exportTargets(manifest.exports).sort()).toEqual(['./dist/index.d.ts', './dist/index.js', './package.json']);
  });

  it.each([
    ['^0.2.0', '0.2.0', true],
    ['^0.2.0', '0.2.5', true],
    ['^0.2.0', '0.3.0', false],
    ['^0.1.0', '0.2.0', false],
    ['^1.2.0', '1.9.0', true],
    ['^1.2.0', '2.0.0', false],
    ['~1.2.0', '1.2.9', true],
    ['~1.2.0', '1.3.0', false],
    ['1.2.0', '1.2.0', true],
    ['^0.0.3', '0.0.4', false],
  ])('%s admits %s: %s', (range, version, admits) => {
    expect(rangeAdmits(range, version)).toBe(admits);
  });
});
