/**
 * The published package: `npm run build` compiles the bin and copies the top-level templates into the package, and
 * `npm pack` ships both. Built into a scratch copy of the package, so the working tree stays clean.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputPath } from '../src/templates.js';
import { PACKAGE_ROOT, REPO_ROOT, runCli } from './support/cli.js';

let scratch: string;
let pkg: string;

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'create-ocm-plugin-pack-'));
  // The package next to a `templates/` sibling, as in the repository; node_modules resolve from the repository.
  pkg = join(scratch, 'create-ocm-plugin');
  mkdirSync(pkg);
  for (const f of ['package.json', 'tsconfig.build.json', 'src', 'template-history']) cpSync(join(PACKAGE_ROOT, f), join(pkg, f), { recursive: true });
  cpSync(join(PACKAGE_ROOT, 'README.md'), join(pkg, 'README.md'));
  cpSync(join(REPO_ROOT, 'templates'), join(scratch, 'templates'), { recursive: true });
  cpSync(join(REPO_ROOT, 'tsconfig.base.json'), join(scratch, 'tsconfig.base.json'));
  symlinkSync(join(REPO_ROOT, 'node_modules'), join(scratch, 'node_modules'));
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: pkg, stdio: 'pipe' });
}, 120_000);

afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('npm package', () => {
  it('packs the compiled bin, every template file and the README', () => {
    const [packed] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: pkg, encoding: 'utf8' })) as [
      { files: { path: string }[] },
    ];
    const files = packed.files.map((f) => f.path);
    expect(files).toContain('dist/bin.js');
    expect(files).toContain('README.md');
    expect(files).toContain('templates/base/_gitignore');
    expect(files).toContain('templates/base/package.json.hbs');
    expect(files).toContain('templates/base/.github/workflows/ci.yml.hbs');
    expect(files).toContain('templates/versions.json');
    // update regenerates a project's base from the kept template releases.
    expect(files).toContain('template-history/0.1.0/release.json');
    expect(files).toContain('template-history/0.1.0/base/package.json.hbs');
    for (const kind of ['inputRepository', 'signingHandler']) expect(files).toContain(`templates/${kind}/kind.json`);
    expect(files.some((f) => f.startsWith('src/') || f.startsWith('test/'))).toBe(false);
  });

  it('the built bin generates from the templates inside the package', async () => {
    rmSync(join(scratch, 'templates'), { recursive: true });
    rmSync(join(pkg, 'src'), { recursive: true }); // as installed from npm
    const cwd = mkdtempSync(join(scratch, 'w-'));
    const r = await runCli(join(pkg, 'dist/bin.js'), ['gen', '--yes'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(cwd, 'gen/.gitignore'))).toBe(true);
    expect(readFileSync(join(cwd, 'gen/package.json'), 'utf8')).toContain('"@ocm-plugin-kit/sdk"');
    expect(outputPath('_gitignore')).toBe('.gitignore');
  });
});
