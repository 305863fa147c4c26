/**
 * `create-ocm-plugin update`: projects generated from the kept previous release, edited the way authors do, then
 * updated. The edits survive, untouched files take the new output, conflicts are marked and listed, a second run
 * changes nothing, and projects it must not touch are left alone. One project also runs its own `npm test` after the
 * update, against this repository's packages (the template gate's scratch workspace); the rest are checked on their
 * files.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { update, type UpdateOptions } from '../src/commands/update.js';
import { HISTORY_DIR, keepRelease, keptRelease, type Release } from '../src/release.js';
import { STAMP_FILE } from '../src/stamp.js';
import { buildCli, runCli } from './support/cli.js';
import { current, generate, inputsFor, nextRelease, previousVersion, scratchDir, snapshot, syntheticAfter } from './support/releases.js';
import { createWorkspace, type Workspace } from './support/workspace.js';

const exec = promisify(execFile);

let scratch: string;
let next: Release;
let synthetic: boolean;
let previous: Release;

beforeAll(() => {
  scratch = scratchDir('ocm-update-');
  ({ release: next, synthetic } = nextRelease(scratch));
  previous = keptRelease(previousVersion(current()), HISTORY_DIR)!;
  console.info(`update ${previous.version} → ${next.version}${synthetic ? ' (synthetic: the package version is kept already)' : ''}`);
});
afterAll(() => {
  if (scratch && !process.env.KEEP_GATE) rmSync(scratch, { recursive: true, force: true });
});

async function run(dir: string, opts: Partial<UpdateOptions> = {}, release: Release = next, extra: { historyDir?: string; today?: Date } = {}) {
  let out = '';
  let err = '';
  const code = await update(
    { dryRun: false, force: false, ...opts },
    {
      cwd: dir,
      out: (t) => (out += t),
      err: (t) => (err += t),
      current: release,
      historyDir: extra.historyDir ?? HISTORY_DIR,
      ...(extra.today ? { today: extra.today } : {}),
    },
  );
  return { code, out, err };
}

const README_NOTE = '\n## Our release checklist\n\nTag, then let CI publish. (Kept across template updates.)\n';
const HANDLER_NOTE = "// Local rule: errors name the spec's type (kept across template updates).";

/** A test of the author's own, on the test context the templates provide (a migration may move its import). */
const OWN_TEST = [
  "import { describe, expect, it } from 'vitest';",
  "import { testContext } from './support/context.js';",
  '',
  "describe('our own test', () => {",
  "  it('gets a test context with a blob directory', async () => {",
  "    const ctx = await testContext({ type: 'Own.acme.org/v1' });",
  '    expect(ctx.dir).toBeTruthy();',
  '  });',
  '});',
  '',
].join('\n');

/** Typical edits: a line in a handler body, a README section, a dependency, a test of their own. Returns the handler path. */
function editLikeAnAuthor(dir: string, kindDir: string): string {
  writeFileSync(join(dir, 'test/own.test.ts'), OWN_TEST);
  const handler = `src/${kindDir}/handler.ts`;
  const lines = readFileSync(join(dir, handler), 'utf8').split('\n');
  const at = lines.findIndex((l) => /^\s{2,}(async |const |return |throw |ctx\.|for )/.test(l));
  const indent = /^\s*/.exec(lines[at]!)![0];
  lines.splice(at, 0, `${indent}${HANDLER_NOTE}`);
  writeFileSync(join(dir, handler), lines.join('\n'));
  writeFileSync(join(dir, 'README.md'), readFileSync(join(dir, 'README.md'), 'utf8') + README_NOTE);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  pkg.dependencies.yaml = '^2.8.0';
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`);
  return handler;
}

function expectEditsKept(dir: string, handler: string) {
  expect(readFileSync(join(dir, handler), 'utf8')).toContain(HANDLER_NOTE);
  expect(readFileSync(join(dir, 'README.md'), 'utf8').endsWith(README_NOTE)).toBe(true);
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  expect(pkg.dependencies.yaml).toBe('^2.8.0');
  const own = readFileSync(join(dir, 'test/own.test.ts'), 'utf8');
  // Where the templates dropped test/support/context.ts, the import moved to the SDK's testing export.
  expect(own).toBe(existsSync(join(dir, 'test/support/context.ts')) ? OWN_TEST : OWN_TEST.replace("'./support/context.js'", "'@ocm-plugin-kit/sdk/testing'"));
}

describe('update from the kept previous release, every kind', () => {
  it.each(current().kinds.map((k) => [k.kind, k.dir] as const))(
    '%s: edits survive, the rest is the new template output, a second run changes nothing',
    async (kind, kindDir) => {
      const parent = join(scratch, 'kinds');
      const dir = await generate(previous, inputsFor(previous, `p-${kindDir}`, [kind]), parent);
      const handler = editLikeAnAuthor(dir, kindDir);

      const r = await run(dir);
      expect(r.code, r.out + r.err).toBe(0);
      expectEditsKept(dir, handler);
      expect(r.out).not.toContain('CONFLICT');
      expect(r.out).toMatch(/merge +README\.md/);

      // Untouched files are exactly what the new templates make for this project.
      const fresh = await generate(next, { ...inputsFor(next, `p-${kindDir}`, [kind]) }, join(scratch, 'fresh', kind));
      const want = snapshot(fresh);
      const got = snapshot(dir);
      const edited = [handler, 'README.md', 'package.json', 'test/own.test.ts'];
      for (const path of Object.keys(want)) if (!edited.includes(path)) expect(got[path], path).toBe(want[path]);
      for (const path of Object.keys(got)) expect(want[path] !== undefined || edited.includes(path), `${path} left over`).toBe(true);
      // The merged files are the new output plus the author's edit.
      expect(got['README.md']).toBe(want['README.md'] + README_NOTE);
      const pkg = JSON.parse(got['package.json']!) as Record<string, Record<string, string>>;
      const wantPkg = JSON.parse(want['package.json']!) as Record<string, Record<string, string>>;
      expect(pkg).toEqual({ ...wantPkg, dependencies: { ...wantPkg.dependencies, yaml: '^2.8.0' } });
      expect(JSON.parse(got[STAMP_FILE]!)).toMatchObject({
        templateVersion: next.version,
        kinds: [kind],
        inputs: { name: `p-${kindDir}`, domain: 'acme.org' },
      });

      const before = snapshot(dir);
      const again = await run(dir);
      expect(again.code).toBe(0);
      expect(again.out).toMatch(/up to date/);
      expect(snapshot(dir)).toEqual(before);
    },
  );
});

describe("update, then the project's own npm test", () => {
  let ws: Workspace;
  beforeAll(async () => {
    ws = await createWorkspace();
  }, 180_000);
  afterAll(() => {
    if (ws && !process.env.KEEP_GATE) rmSync(ws.root, { recursive: true, force: true });
  });

  // One project: the others differ from it in files the every-kind test above compares with fresh output.
  it('an inputRepository project passes `npm test` after the update, with the edits in place', async () => {
    const projects = [{ name: 'p-input', kinds: ['inputRepository'], dirs: ['input'] }];
    const results = await Promise.all(
      projects.map(async (p) => {
        const dir = await generate(previous, inputsFor(previous, p.name, p.kinds), ws.projects);
        const handlers = p.dirs.map((d) => editLikeAnAuthor(dir, d));
        const r = await run(dir);
        expect(r.code, r.out + r.err).toBe(0);
        for (const h of handlers) expectEditsKept(dir, h);
        const env: NodeJS.ProcessEnv = { ...ws.env, CI: '1', NO_COLOR: '1' };
        for (const k of Object.keys(env)) if (k.startsWith('VITEST') || k === 'NODE_ENV' || k.startsWith('npm_')) delete env[k];
        const t0 = performance.now();
        try {
          await exec('npm', ['test'], { cwd: dir, env, timeout: 240_000, maxBuffer: 32 * 1024 * 1024 });
          return { name: p.name, ok: true, output: '', seconds: (performance.now() - t0) / 1000 };
        } catch (err) {
          const e = err as { stdout?: string; stderr?: string; message: string };
          return { name: p.name, ok: false, output: `${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`.slice(-6000), seconds: (performance.now() - t0) / 1000 };
        }
      }),
    );
    for (const r of results) {
      console.info(`${r.name}: npm test after update in ${r.seconds.toFixed(0)} s`);
      expect(r.ok, `${r.name}\n${r.output}`).toBe(true);
    }
  }, 300_000);
});

describe('a stamp that records the answers', () => {
  it('renders the base exactly, whatever the day: an untouched project only takes new output, the Node.js lines move on', async () => {
    const own = current();
    const history = join(scratch, 'history');
    keepRelease(own, history);
    const after = syntheticAfter(own, scratch);
    const generated = new Date('2025-06-01T00:00:00Z');
    const dir = await generate(own, inputsFor(own, 'p-dated', ['signingHandler', 'blobTransformer'], generated), join(scratch, 'dated'));
    expect(readFileSync(join(dir, '.github/workflows/ci.yml'), 'utf8')).toContain('node: [20, 22]');

    const r = await run(dir, {}, after, { historyDir: history, today: new Date('2027-06-01T00:00:00Z') });
    expect(r.code, r.out + r.err).toBe(0);
    expect(r.out).not.toMatch(/^ {2}(merge|CONFLICT|keep) /m);
    expect(r.out).toMatch(/^ {2}update +\.github\/workflows\/ci\.yml$/m);
    expect(readFileSync(join(dir, '.github/workflows/ci.yml'), 'utf8')).toContain('node: [24, 26]');
    const stamp = JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8')) as { templateVersion: string; inputs: { node: { majors: number[] } } };
    expect(stamp.templateVersion).toBe(after.version);
    expect(stamp.inputs.node.majors).toEqual([24, 26]);
    const fresh = await generate(
      after,
      inputsFor(after, 'p-dated', ['signingHandler', 'blobTransformer'], new Date('2027-06-01T00:00:00Z')),
      join(scratch, 'dated-fresh'),
    );
    expect(snapshot(dir)).toEqual(snapshot(fresh));
  });
});

describe('a project linking a kit checkout (--kit-dir)', () => {
  it('keeps linking the checkout, with every kit package of the new release', async () => {
    const kit = join(scratch, 'kit-checkout');
    const dir = await generate(previous, { ...inputsFor(previous, 'p-linked', ['inputRepository']), kitDir: kit }, join(scratch, 'linked'));
    const r = await run(dir);
    expect(r.code, r.out + r.err).toBe(0);
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
      devDependencies: Record<string, string>;
    };
    const all = { ...pkg.dependencies, ...pkg.devDependencies };
    for (const key of Object.keys(next.kit)) expect(all[`@ocm-plugin-kit/${key}`], key).toBe(`file:${join(kit, key)}`);
  });
});

describe('conflicts', () => {
  it('an edit of a line the templates changed gets markers, is listed, exits 1, and bumps the stamp', async () => {
    const dir = await generate(previous, inputsFor(previous, 'p-clash', ['inputRepository']), join(scratch, 'clash'));
    // The first line the new templates change in README.md, edited by the author too.
    const base = readFileSync(join(dir, 'README.md'), 'utf8').split('\n');
    const fresh = await generate(next, inputsFor(next, 'p-clash', ['inputRepository']), join(scratch, 'clash-fresh'));
    const theirs = readFileSync(join(fresh, 'README.md'), 'utf8').split('\n');
    const at = base.findIndex((line, i) => line !== theirs[i]);
    expect(at, 'the next release changes README.md').toBeGreaterThanOrEqual(0);
    const edited = [...base];
    edited[at] = `${base[at]} (our wording)`;
    writeFileSync(join(dir, 'README.md'), edited.join('\n'));

    const r = await run(dir);
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/CONFLICT +README\.md/);
    expect(r.err).toMatch(/1 file\(s\) need your decision:\n {2}README\.md/);
    const merged = readFileSync(join(dir, 'README.md'), 'utf8');
    expect(merged).toContain('<<<<<<< yours (README.md)');
    expect(merged).toContain(`${base[at]} (our wording)`);
    expect(merged).toContain(`||||||| template ${previous.version}`);
    expect(merged).toContain(`>>>>>>> template ${next.version}`);
    expect(JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8')).templateVersion).toBe(next.version);
  });

  it("a dependency both sides changed keeps the project's range and is listed", async () => {
    const dir = await generate(previous, inputsFor(previous, 'p-range', ['inputRepository']), join(scratch, 'range'));
    const fresh = await generate(next, inputsFor(next, 'p-range', ['inputRepository']), join(scratch, 'range-fresh'));
    type Pkg = Record<string, Record<string, string> | string>;
    const base = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Pkg;
    const theirs = JSON.parse(readFileSync(join(fresh, 'package.json'), 'utf8')) as Pkg;
    const section = (['dependencies', 'devDependencies'] as const).find((s) => JSON.stringify(base[s]) !== JSON.stringify(theirs[s]))!;
    const deps = base[section] as Record<string, string>;
    const name = Object.keys(deps).find(
      (d) => deps[d] !== (theirs[section] as Record<string, string>)[d] && (theirs[section] as Record<string, string>)[d] !== undefined,
    )!;
    deps[name] = '>=0.0.1-ours';
    writeFileSync(join(dir, 'package.json'), `${JSON.stringify(base, null, 2)}\n`);

    const r = await run(dir);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`${section}.${name}: you have ">=0.0.1-ours"`);
    expect((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Pkg)[section]).toMatchObject({ [name]: '>=0.0.1-ours' });
  });
});

describe('what update leaves alone', () => {
  it('--dry-run prints the plan and the diffs and writes nothing', async () => {
    const dir = await generate(previous, inputsFor(previous, 'p-dry', ['signingHandler']), join(scratch, 'dry'));
    editLikeAnAuthor(dir, 'signing');
    const before = snapshot(dir);
    const r = await run(dir, { dryRun: true });
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/Would update .* from template .* to /);
    expect(r.out).toMatch(/^--- a\/package\.json\n\+\+\+ b\/package\.json$/m);
    expect(r.out).toMatch(/^@@ .* @@/m);
    expect(r.out).toContain('Dry run: nothing was written.');
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a git working tree with uncommitted changes unless --force', async () => {
    const dir = await generate(previous, inputsFor(previous, 'p-git', ['inputRepository']), join(scratch, 'git'));
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: 'pipe' });
    git('init', '-q');
    git('add', '.');
    git('-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit', '-qm', 'generated');
    writeFileSync(join(dir, 'README.md'), `${readFileSync(join(dir, 'README.md'), 'utf8')}\nwork in progress\n`);
    const before = snapshot(dir);
    const refused = await run(dir);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/uncommitted changes:\n +M README\.md\nCommit or stash them first.*--force\. Nothing was changed\./s);
    expect(snapshot(dir)).toEqual(before);
    const forced = await run(dir, { force: true });
    expect(forced.code, forced.err).toBe(0);
    expect(readFileSync(join(dir, 'README.md'), 'utf8')).toContain('work in progress');
  });

  describe('through the command line', () => {
    let bin: string;
    beforeAll(async () => {
      bin = await buildCli();
    });
    afterAll(() => rmSync(bin, { force: true }));

    it('a project without a stamp: says why, exit 1, nothing changed', async () => {
      const dir = await generate(previous, inputsFor(previous, 'p-nostamp', ['inputRepository']), join(scratch, 'nostamp'));
      rmSync(join(dir, STAMP_FILE));
      const before = snapshot(dir);
      const r = await runCli(bin, ['update'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/has no \.ocm-plugin\/template\.json, so it was not generated by create-ocm-plugin.*Nothing was changed\./s);
      expect(snapshot(dir)).toEqual(before);
    });

    it('a stamp newer than the kit: says which to use, exit 1, nothing changed', async () => {
      const dir = await generate(previous, inputsFor(previous, 'p-newer', ['inputRepository']), join(scratch, 'newer'));
      const stamp = JSON.parse(readFileSync(join(dir, STAMP_FILE), 'utf8')) as Record<string, unknown>;
      writeFileSync(join(dir, STAMP_FILE), JSON.stringify({ ...stamp, templateVersion: '99.0.0' }));
      const before = snapshot(dir);
      const r = await runCli(bin, ['update', '--dry-run'], { cwd: dir });
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/by create-ocm-plugin 99\.0\.0, newer than this one \(.*\); run `npx create-ocm-plugin@latest update`.*Nothing was changed\./s);
      expect(snapshot(dir)).toEqual(before);
    });

    it('a project generated by this version is up to date; `update <directory>` works from outside', async () => {
      const parent = join(scratch, 'cli');
      mkdirSync(parent, { recursive: true });
      const gen = await runCli(bin, ['fresh', '--kind', 'inputRepository', '--yes'], { cwd: parent });
      expect(gen.code, gen.stderr).toBe(0);
      const stamp = JSON.parse(readFileSync(join(parent, 'fresh', STAMP_FILE), 'utf8')) as { inputs: Record<string, unknown> };
      expect(stamp.inputs).toMatchObject({
        name: 'fresh',
        kinds: ['inputRepository'],
        domain: 'example.com',
        types: { inputRepository: 'Greeting.example.com/v1' },
      });
      const r = await runCli(bin, ['update', 'fresh'], { cwd: parent });
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/up to date/);
      expect(existsSync(join(parent, 'update'))).toBe(false);
      const wrong = await runCli(bin, ['update', 'fresh', '--kind', 'signingHandler'], { cwd: parent });
      expect(wrong.code).toBe(2);
      expect(wrong.stderr).toContain('--kind only apply when creating a project');
    });
  });
});
