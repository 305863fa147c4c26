/**
 * The scaffolder as users run it: a real process, real directories. Help and version, the file list per kind, every
 * kind of bad argument (non-zero exit, a message that says how to fix it, nothing written), --force, arguments that
 * npm took for itself, the package manager hint, and the interactive path under a real terminal (`script`).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectNodeLines } from '@ocm-plugin-kit/sdk/runtime-lines';
import { templateFiles, templatesDir } from '../src/templates.js';
import { buildCli, catalogue, PACKAGE_ROOT, runCli } from './support/cli.js';

const root = templatesDir();
const cat = await catalogue();
const kinds = cat.available;
let bin: string;
let scratch: string;

function listTree(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else out.push(relative(dir, abs));
    }
  };
  walk(dir);
  return out.sort();
}

/** A fresh empty working directory for one test. */
function workdir(): string {
  return mkdtempSync(join(scratch, 'w-'));
}

beforeAll(async () => {
  bin = await buildCli();
  scratch = mkdtempSync(join(tmpdir(), 'create-ocm-plugin-cli-'));
});
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
  rmSync(bin, { force: true });
});

describe('catalogue', () => {
  it('has a template for every kind the SDK implements and ocm CLI v0.13.0 accepts', () => {
    expect(cat.withoutTemplate).toEqual([]);
    expect(kinds.map((k) => k.kind)).toEqual(cat.released);
    expect(kinds.length).toBe(8);
  });

  it('offers no kind the v0.13.0 CLI rejects', () => {
    for (const k of cat.headOnly) expect(kinds.map((t) => t.kind)).not.toContain(k);
  });
});

describe('help and version', () => {
  it('--help lists every kind with the commands that reach it, and the options', async () => {
    const r = await runCli(bin, ['--help'], { cwd: scratch });
    expect(r.code).toBe(0);
    for (const k of kinds) {
      expect(r.stdout).toContain(k.kind);
      expect(r.stdout.replace(/\s+/g, ' ')).toContain(k.reachedBy);
    }
    for (const flag of ['--kind', '--name', '--type', '--domain', '--yes', '--force', '--overwrite', '--interactive', '--package-name'])
      expect(r.stdout).toContain(flag);
    expect(readdirSync(scratch).filter((f) => !f.startsWith('w-'))).toEqual([]);
  });

  it('--version prints the package version', async () => {
    const r = await runCli(bin, ['--version'], { cwd: scratch });
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe((JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version);
  });
});

describe('generation', () => {
  it.each(kinds.map((k) => k.kind))('%s: the project holds exactly base + kind templates', async (kind) => {
    const cwd = workdir();
    const r = await runCli(bin, ['proj', '--kind', kind, '--domain', 'acme.org', '--yes'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const k = kinds.find((t) => t.kind === kind)!;
    expect(listTree(join(cwd, 'proj'))).toEqual([...templateFiles(root, [{ kind, folder: k.folder }]).keys()].sort());
    expect(readdirSync(cwd)).toEqual(['proj']);
    const stamp = JSON.parse(readFileSync(join(cwd, 'proj/.ocm-plugin/template.json'), 'utf8')) as { templateVersion: string; kinds: string[] };
    expect(stamp.kinds).toEqual([kind]);
    const spec = readFileSync(join(cwd, `proj/src/${k.dir}/spec.ts`), 'utf8');
    expect(spec).toContain(`'${k.typeBase}.acme.org/${k.typeVersion}'`);
  });

  it('a multi-kind project gets one executable per kind and explains why', async () => {
    const cwd = workdir();
    const r = await runCli(bin, ['store', '--kind', 'resourceRepository,digestProcessorRepository', '--yes'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    const pkg = JSON.parse(readFileSync(join(cwd, 'store/package.json'), 'utf8')) as {
      bin: Record<string, string>;
      ocmPlugin: { entries: Record<string, string> };
    };
    expect(pkg.bin).toEqual({ 'store-resource': 'dist/store-resource.cjs', 'store-digest': 'dist/store-digest.cjs' });
    expect(pkg.ocmPlugin.entries).toEqual({ 'store-resource': 'src/resource/main.ts', 'store-digest': 'src/digest/main.ts' });
    expect(readFileSync(join(cwd, 'store/README.md'), 'utf8')).toContain('exec: already started');
  });

  it('takes --type per kind, --name, --package-name and --description', async () => {
    const cwd = workdir();
    const r = await runCli(
      bin,
      [
        'x',
        '--kind',
        'inputRepository',
        '--kind',
        'signingHandler',
        '--type',
        'signingHandler=Ed25519.acme.org/v1',
        '--type',
        'Tarball.acme.org/v2',
        '--name',
        'acme',
        '--package-name',
        '@acme/ocm-acme',
        '--description',
        "Acme's plugins",
        '--yes',
      ],
      { cwd },
    );
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'x/src/input/spec.ts'), 'utf8')).toContain("'Tarball.acme.org/v2'");
    expect(readFileSync(join(cwd, 'x/src/signing/spec.ts'), 'utf8')).toContain("'Ed25519.acme.org/v1'");
    const pkg = JSON.parse(readFileSync(join(cwd, 'x/package.json'), 'utf8')) as { name: string; description: string; bin: Record<string, string> };
    expect(pkg).toMatchObject({ name: '@acme/ocm-acme', description: "Acme's plugins" });
    expect(Object.keys(pkg.bin)).toEqual(['acme-input', 'acme-signing']);
    expect(readFileSync(join(cwd, 'x/README.md'), 'utf8')).toContain("Acme's plugins");
  });

  it('pins the versions the kit is developed with', async () => {
    const cwd = workdir();
    expect((await runCli(bin, ['v', '--yes'], { cwd })).code).toBe(0);
    const pkg = JSON.parse(readFileSync(join(cwd, 'v/package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const repo = JSON.parse(readFileSync(join(PACKAGE_ROOT, '../package.json'), 'utf8')) as { devDependencies: Record<string, string> };
    const sdk = JSON.parse(readFileSync(join(PACKAGE_ROOT, '../sdk/package.json'), 'utf8')) as { version: string; dependencies: Record<string, string> };
    expect(pkg.dependencies).toEqual({ '@ocm-plugin-kit/sdk': `^${sdk.version}`, zod: sdk.dependencies.zod });
    expect(pkg.devDependencies).toMatchObject({
      typescript: repo.devDependencies.typescript,
      vitest: repo.devDependencies.vitest,
      '@types/node': repo.devDependencies['@types/node'],
    });
  });

  it('tests the project on the supported Node.js LTS lines and declares them in engines', async () => {
    const cwd = workdir();
    expect((await runCli(bin, ['n', '--yes'], { cwd })).code).toBe(0);
    const lines = projectNodeLines(new Date());
    const workflow = readFileSync(join(cwd, 'n/.github/workflows/ci.yml'), 'utf8');
    expect(workflow).toContain(`node: [${lines.majors.join(', ')}]`);
    // The test matrix, then the real-host, build and publish jobs on the newest line.
    expect(workflow.match(/node-version: (\S+)/g)).toEqual(['node-version: ${{', ...Array(3).fill(`node-version: ${lines.newest}`)]);
    const pkg = JSON.parse(readFileSync(join(cwd, 'n/package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(lines.engines);
    // On 2026-12-03: 22, 24 and 26, from 22.12.0 on.
    expect(projectNodeLines(new Date('2026-12-03'))).toEqual({ majors: [22, 24, 26], newest: 26, engines: '>=22.12.0' });
  });

  it('names the package manager that ran it in the closing instructions', async () => {
    const cwd = workdir();
    const r = await runCli(bin, ['pm', '--yes'], { cwd, env: { npm_config_user_agent: 'pnpm/9.12.0 npm/? node/v20.19.0 linux x64' } });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('pnpm install');
    expect(r.stdout).toContain('pnpm test');
    expect(r.stdout).toContain('cd pm');
  });
});

describe('bad arguments: non-zero exit, a message that says how to fix it, nothing written', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown kind', ['p', '--kind', 'inputRepo', '--yes'], /unknown kind "inputRepo"; did you mean --kind inputRepository\?/],
    ['HEAD-only kind', ['p', '--kind', 'credentialPlugin', '--yes'], /unknown kind "credentialPlugin".*Choose from: inputRepository/],
    ['plugin name with a dot', ['p', '--name', 'my.plugin', '--yes'], /invalid plugin name "my.plugin".*no dots.*Try --name my-plugin/],
    ['plugin name in upper case', ['p', '--name', 'MyPlugin', '--yes'], /invalid plugin name "MyPlugin".*Try --name myplugin/],
    ['type without a version', ['p', '--type', 'Greeting.acme.org', '--yes'], /has no version; append one, e.g. Greeting.acme.org\/v1/],
    ['type without a domain', ['p', '--type', 'Greeting/v1', '--yes'], /not qualified by a domain; use a name like Greeting.acme.org\/v1/],
    ['type with a hyphen', ['p', '--type', 'my-input.acme.org/v1', '--yes'], /invalid type name "my-input.acme.org\/v1".*no hyphens/],
    ['type with a bad version', ['p', '--type', 'Greeting.acme.org/1.0', '--yes'], /invalid type name.*\/v<N>/],
    ['built-in type name', ['p', '--kind', 'digestProcessorRepository', '--type', 'LocalBlob/v1', '--yes'], /LocalBlob\/v1/],
    [
      'built-in type name with a domain-like name',
      ['p', '--kind', 'blobTransformer', '--type', 'extract.oci.artifact.ocm.software/v1alpha1', '--yes'],
      /collides with the ocm CLI's built-in type/,
    ],
    ['bad domain', ['p', '--domain', 'acme', '--yes'], /invalid --domain "acme"/],
    ['bad package name', ['p', '--package-name', 'Acme Plugin', '--yes'], /invalid npm package name/],
    [
      '--type for a kind not chosen',
      ['p', '--kind', 'inputRepository', '--type', 'signingHandler=Sig.acme.org/v1', '--yes'],
      /signingHandler is not one of the chosen kinds/,
    ],
    ['more types than kinds', ['p', '--type', 'A.acme.org/v1', '--type', 'B.acme.org/v1', '--yes'], /2 --type values for 1 kind/],
    ['unknown option', ['p', '--kinds', 'inputRepository', '--yes'], /Unknown argument: kinds/],
    ['--interactive without a terminal', ['p', '--interactive'], /--interactive needs a terminal/],
  ];
  it.each(cases)('%s', async (_name, args, message) => {
    const cwd = workdir();
    const r = await runCli(bin, args, { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('several problems are reported together', async () => {
    const cwd = workdir();
    const r = await runCli(bin, ['p', '--name', 'A.B', '--domain', 'x', '--type', 'bad', '--yes'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/3 problems/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('refuses a non-empty target directory and leaves it alone', async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, 'taken'));
    writeFileSync(join(cwd, 'taken/notes.txt'), 'mine');
    const r = await runCli(bin, ['taken', '--yes'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is not empty; choose another directory, or pass --overwrite \(alias --force\)/);
    expect(listTree(join(cwd, 'taken'))).toEqual(['notes.txt']);
    expect(readdirSync(cwd)).toEqual(['taken']);
  });

  it('refuses a target that is a file', async () => {
    const cwd = workdir();
    writeFileSync(join(cwd, 'file'), 'x');
    const r = await runCli(bin, ['file', '--yes'], { cwd });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exists and is not a directory/);
  });
});

describe('existing directories', () => {
  it('uses an empty directory, and one holding only .git', async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, 'empty'));
    mkdirSync(join(cwd, 'repo/.git'), { recursive: true });
    writeFileSync(join(cwd, 'repo/.git/HEAD'), 'ref: refs/heads/main\n');
    expect((await runCli(bin, ['empty', '--yes'], { cwd })).code).toBe(0);
    expect((await runCli(bin, ['repo', '--yes'], { cwd })).code).toBe(0);
    expect(existsSync(join(cwd, 'empty/package.json'))).toBe(true);
    expect(readFileSync(join(cwd, 'repo/.git/HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
  });

  it('--force replaces the contents but keeps .git', async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, 'old/.git'), { recursive: true });
    writeFileSync(join(cwd, 'old/.git/HEAD'), 'x');
    writeFileSync(join(cwd, 'old/stale.txt'), 'stale');
    const r = await runCli(bin, ['old', '--force', '--yes'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(cwd, 'old/stale.txt'))).toBe(false);
    expect(existsSync(join(cwd, 'old/.git/HEAD'))).toBe(true);
    expect(existsSync(join(cwd, 'old/package.json'))).toBe(true);
    expect(readdirSync(cwd)).toEqual(['old']);
  });

  it('generates into the current directory with "."', async () => {
    const cwd = join(workdir(), 'here-plugin');
    mkdirSync(cwd);
    const r = await runCli(bin, ['.', '--yes'], { cwd });
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'))).toMatchObject({ name: 'here-plugin', bin: { 'here-plugin': 'dist/here-plugin.cjs' } });
  });
});

describe('arguments after `npm create` without "--"', () => {
  // What npm 11 hands over for `npm create ocm-plugin my-dir --kind signingHandler --domain acme.org --yes`
  // (measured: npm exec with a local package, see src/npm-args.ts).
  it('recovers values npm left behind as positionals', async () => {
    const cwd = workdir();
    const r = await runCli(bin, ['signer', 'signingHandler', 'acme.org'], {
      cwd,
      env: { npm_command: 'exec', npm_config_kind: 'true', npm_config_domain: 'true', npm_config_yes: 'true' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toContain("npm's environment");
    expect(readFileSync(join(cwd, 'signer/src/signing/spec.ts'), 'utf8')).toContain("'HmacSigner.acme.org/v1alpha1'");
  });

  it('takes --option=value forms from npm_config_*', async () => {
    const cwd = workdir();
    const r = await runCli(bin, ['gz'], {
      cwd,
      env: { npm_command: 'init', npm_config_kind: 'blobTransformer', npm_config_type: 'Zstd.acme.org/v1', npm_config_interactive: '' },
    });
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(join(cwd, 'gz/src/transformer/spec.ts'), 'utf8')).toContain("'Zstd.acme.org/v1'");
  });

  it('asks for "--" when values cannot be told apart', async () => {
    const cwd = workdir();
    const r = await runCli(bin, ['d', 'x1', 'x2'], {
      cwd,
      env: { npm_command: 'exec', npm_config_name: 'true', npm_config_description: 'true', npm_config_yes: 'true' },
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/Put "--" before the options/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('ignores npm_config_* when npm did not run it', async () => {
    const cwd = workdir();
    const r = await runCli(bin, ['plain', '--yes'], { cwd, env: { npm_config_kind: 'signingHandler' } });
    expect(r.code, r.stderr).toBe(0);
    expect(existsSync(join(cwd, 'plain/src/input/spec.ts'))).toBe(true);
  });
});

/** Drives the CLI in a real pseudo-terminal (util-linux `script`), answering each prompt when it appears. */
function runInTerminal(cwd: string, args: string[], script: [RegExp, string][]): Promise<{ code: number | null; output: string }> {
  return new Promise((done, reject) => {
    const command = [process.execPath, bin, ...args].map((a) => `'${a.replace(/'/g, "'\\''")}'`).join(' ');
    const env: NodeJS.ProcessEnv = { ...process.env, TERM: 'xterm', COLUMNS: '120', LINES: '40' };
    for (const k of Object.keys(env)) if (k.startsWith('npm_')) delete env[k];
    const child = spawn('script', ['-qec', command, '/dev/null'], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let step = 0;
    let seen = 0;
    const onData = (d: Buffer) => {
      output += d.toString();
      const plain = stripVTControlCharacters(output);
      const next = script[step];
      if (next?.[0].test(plain.slice(seen))) {
        seen = plain.length;
        step++;
        setTimeout(() => child.stdin.write(next[1]), 50);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      done({ code, output });
    });
  });
}

describe.skipIf(spawnSync('script', ['--version']).status !== 0)('interactive, under a real terminal', () => {
  it('asks for what the flags left open and generates the answers', async () => {
    const cwd = workdir();
    const down = '\x1b[B';
    const r = await runInTerminal(
      cwd,
      [],
      [
        [/Project directory/, 'tty-plugin\r'],
        [/Plugin name/, '\r'], // default: from the directory
        [/Capability kinds/, `${down}${' '}\r`], // inputRepository is preselected; add the second kind
        [/Your domain/, 'acme.org\r'],
        [/Description/, 'Made in a terminal\r'],
        [/Type name of the input spec/, '\r'],
        [/Type name of the /, 'Other.acme.org/v2\r'],
      ],
    );
    expect(r.code, r.output).toBe(0);
    const pkg = JSON.parse(readFileSync(join(cwd, 'tty-plugin/package.json'), 'utf8')) as { name: string; description: string; bin: Record<string, string> };
    expect(pkg.name).toBe('tty-plugin');
    expect(pkg.description).toBe('Made in a terminal');
    const second = kinds[1]!;
    expect(Object.keys(pkg.bin)).toEqual(['tty-plugin-input', `tty-plugin-${second.dir}`]);
    expect(readFileSync(join(cwd, 'tty-plugin/src/input/spec.ts'), 'utf8')).toContain("'Greeting.acme.org/v1'");
    expect(readFileSync(join(cwd, `tty-plugin/src/${second.dir}/spec.ts`), 'utf8')).toContain("'Other.acme.org/v2'");
  });

  it('re-asks after an invalid answer instead of failing', async () => {
    const cwd = workdir();
    const r = await runInTerminal(
      cwd,
      ['tty2', '--kind', 'inputRepository', '--description', 'x'],
      [
        [/Plugin name/, 'Bad.Name\r'],
        [/invalid plugin name/, '\x15good-name\r'],
        [/Your domain/, 'acme.org\r'],
        [/Type name of the input spec/, 'nodomain/v1\r'],
        [/not qualified by a domain/, '\x15Fine.acme.org/v1\r'],
      ],
    );
    expect(r.code, r.output).toBe(0);
    expect(Object.keys((JSON.parse(readFileSync(join(cwd, 'tty2/package.json'), 'utf8')) as { bin: Record<string, string> }).bin)).toEqual(['good-name']);
    expect(readFileSync(join(cwd, 'tty2/src/input/spec.ts'), 'utf8')).toContain("'Fine.acme.org/v1'");
  });

  it('re-asks for the directory when the answer names a non-empty one', async () => {
    const cwd = workdir();
    mkdirSync(join(cwd, 'busy'));
    writeFileSync(join(cwd, 'busy/keep.txt'), 'x');
    const r = await runInTerminal(
      cwd,
      ['--kind', 'inputRepository', '--domain', 'acme.org', '--description', 'd'],
      [
        [/Project directory/, 'busy\r'],
        [/is not empty/, '\x15free\r'],
        [/Plugin name/, '\r'],
        [/Type name of the input spec/, '\r'],
      ],
    );
    expect(r.code, r.output).toBe(0);
    expect(readdirSync(join(cwd, 'busy'))).toEqual(['keep.txt']);
    expect(existsSync(join(cwd, 'free/package.json'))).toBe(true);
  });

  it('Ctrl-C at a prompt writes nothing', async () => {
    const cwd = workdir();
    const r = await runInTerminal(cwd, [], [[/Project directory/, '\x03']]);
    expect(r.code).not.toBe(0);
    expect(r.output).toMatch(/cancelled; nothing was written/);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('--yes asks nothing even in a terminal', async () => {
    const cwd = workdir();
    const r = await runInTerminal(cwd, ['quiet', '--yes'], []);
    expect(r.code, r.output).toBe(0);
    expect(existsSync(join(cwd, 'quiet/package.json'))).toBe(true);
  });
});
