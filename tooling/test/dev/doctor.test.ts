/**
 * `ocm-plugin doctor` against real executables: it passes on every example (installed the way users install
 * them: an extension-less symlink) and on the dev launcher, and names the fault of each broken fixture.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { examplePlugins } from '../../../scripts/examples.js';
import { doctorCommand, type DoctorSummary } from '../../src/commands/doctor.js';
import { runDoctor as runDoctorWithBudgets, type DoctorOptions, type DoctorReport, type Finding } from '../../src/doctor/checks.js';
import { ROOT, copyProject, dev } from './support.js';

/**
 * Doctor's time budgets have tests of their own, which set them; everywhere else a loaded machine must not turn a
 * slow start into a finding, so the budgets are roomy unless a test names them.
 */
const ROOMY = { capabilitiesBudgetMs: 600_000, startBudgetMs: 600_000 };
const runDoctor = (path: string, options: DoctorOptions = {}) => runDoctorWithBudgets(path, { ...ROOMY, ...options });
const ROOMY_FLAGS = ['--capabilities-budget', String(ROOMY.capabilitiesBudgetMs), '--start-budget', String(ROOMY.startBudgetMs)];

const FIXTURES = join(import.meta.dirname, 'fixtures', 'broken');

/** Installs a fixture into a fresh plugin directory under an extension-less name. */
function install(fixture: string, name = fixture): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocmkit-doctor-'));
  const path = join(dir, name);
  symlinkSync(join(FIXTURES, `${fixture}.mjs`), path);
  return path;
}

const failures = (r: DoctorReport): Finding[] => r.findings.filter((f) => f.status === 'fail');
const warnings = (r: DoctorReport): Finding[] => r.findings.filter((f) => f.status === 'warn');

/** `ocm-plugin doctor <args>` run in `cwd`, as typed there. */
async function command(args: string[], cwd: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const sink = (append: (s: string) => void) =>
    new Writable({
      write: (c: Buffer, _e, cb) => {
        append(c.toString());
        cb();
      },
    });
  const code = await doctorCommand(
    [...args, ...ROOMY_FLAGS],
    sink((t) => (out += t)),
    sink((t) => (err += t)),
    cwd,
  );
  return { code, out, err };
}

/** A script plugin directory entry with the given first line, running the healthy fixture otherwise. */
function script(firstLine: string, name = 'plugin'): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocmkit-doctor-'));
  writeFileSync(join(dir, name), `${firstLine}\nimport(${JSON.stringify(join(FIXTURES, 'healthy.mjs'))});\n`, { mode: 0o755 });
  return join(dir, name);
}
const explain = (r: DoctorReport): string => r.findings.map((f) => `${f.status} ${f.check}: ${f.summary}`).join('\n');

describe('ocm-plugin doctor', () => {
  it.each(examplePlugins().map((p) => [p.id, p] as const))('passes on the example %s installed as an extension-less symlink', async (id, p) => {
    const dir = mkdtempSync(join(tmpdir(), 'ocmkit-doctor-'));
    symlinkSync(p.executable, join(dir, id));
    const report = await runDoctor(join(dir, id));
    expect(failures(report), explain(report)).toEqual([]);
    for (const check of [
      'name',
      'file',
      'capabilities',
      'handshake',
      'schemas',
      'reserved names',
      'start',
      'socket',
      'healthz',
      'stdout',
      'shutdown',
      'logs',
      'size',
      'NODE_OPTIONS',
      'tcp',
    ]) {
      expect(
        report.findings.map((f) => f.check),
        `check ${check} ran`,
      ).toContain(check);
    }
    expect(report.measurements.capabilitiesMs).toBeGreaterThan(0);
    expect(report.measurements.locationMs).toBeGreaterThan(0);
    // The SDK falls back to /tmp when TMPDIR is too long for a socket path.
    expect(report.findings.find((f) => f.check === 'socket')!.summary).toContain('not under the long TMPDIR');
  });

  it('passes on a dev launcher', async () => {
    const p = copyProject(join(ROOT, 'tooling/test/dev/fixtures/slow-input'));
    expect((await dev(['install', join(p.dir, 'src/main.ts'), '--plugin-dir', p.pluginDir, '--cache-dir', p.cacheDir])).code).toBe(0);
    const report = await runDoctor(join(p.pluginDir, 'slow-input'));
    expect(failures(report), explain(report)).toEqual([]);
    expect(report.findings.find((f) => f.check === 'format')!.summary).toContain('/bin/sh');
    // Over budget, a dev launcher only warns: checking the sources on every run is its job, and the advice fits.
    const slow = await runDoctor(join(p.pluginDir, 'slow-input'), { capabilitiesBudgetMs: 1, startBudgetMs: 1 });
    expect(failures(slow), explain(slow)).toEqual([]);
    for (const check of ['capabilities', 'start']) {
      expect(
        slow.findings.find((f) => f.check === check),
        explain(slow),
      ).toMatchObject({ status: 'warn', fix: expect.stringContaining('the dev launcher checks the sources on every run') });
    }
  });

  it('passes on a healthy hand-written plugin, and the command exits 0 and prints one line per check', async () => {
    let out = '';
    const sink = new Writable({
      write: (c: Buffer, _e, cb) => {
        out += c.toString();
        cb();
      },
    });
    const code = await doctorCommand([install('healthy', 'healthy-fixture'), ...ROOMY_FLAGS], sink, sink);
    expect(code, out).toBe(0);
    expect(out).toMatch(/^ok {3}name/m);
    expect(out).toMatch(/0 failures/);
  });

  const faults: Array<[fixture: string, check: string, pattern: RegExp]> = [
    ['noisy-capabilities', 'capabilities', /stdout holds more than the JSON document/],
    ['capabilities-exit', 'capabilities', /exits 3 \(its stderr ends as shown\): every ocm command fails/],
    ['start-crash', 'start', /with the default TMPDIR: exited with code 1 .* without printing a location line; its stderr ends as shown/],
    ['schema-not-json', 'schemas', /not one JSON document/],
    ['schema-invalid', 'schemas', /does not compile/],
    ['schema-lookahead', 'schemas', /negative look-ahead \(\?!…\), which Go RE2 cannot compile/],
    ['schema-rejects-type', 'schemas', /rejects a spec's own "type" field/],
    ['reserved-type', 'reserved names', /"File\/v1" is a built-in type of the ocm CLI/],
    ['head-only-kind', 'handshake', /credentialPlugin is only known to the upstream HEAD manager/],
    ['socket-in-tmpdir', 'socket', /over the 107-byte limit/],
    ['stdout-after-location', 'stdout', /after the location line/],
    ['numeric-log-level', 'logs', /non-string "level" \(30\): the manager's type assertion panics/],
    ['tcp-ignored', 'tcp', /with "type":"tcp" it printed "http\+unix:/],
  ];
  it.each(faults)('names the fault of %s (%s), and only that', async (fixture, check, pattern) => {
    const report = await runDoctor(install(fixture));
    expect(report.failed, explain(report)).toBe(true);
    const hit = failures(report).find((f) => f.check === check && pattern.test(f.summary));
    expect(hit, explain(report)).toBeDefined();
    expect(hit!.fix).toBeTruthy();
    // Nothing false: the one fault fails its check and no other.
    expect(new Set(failures(report).map((f) => f.check)), explain(report)).toEqual(new Set([check]));
  });

  const CONFORMANCE = join(ROOT, 'conformance/test/fixtures');
  it.skipIf(!existsSync(join(CONFORMANCE, 'well-behaved')))(
    'agrees with the conformance fixtures: well-behaved passes, stdout-noise and wrong-envelope fail where they break',
    async () => {
      const good = await runDoctor(join(CONFORMANCE, 'well-behaved'));
      // The raw fixtures put their socket under os.tmpdir() with no fallback, so the long-TMPDIR start may flag the
      // socket path; every other check passes.
      expect(
        failures(good).filter((f) => f.check !== 'socket'),
        explain(good),
      ).toEqual([]);
      const noise = await runDoctor(join(CONFORMANCE, 'stdout-noise'));
      expect(
        failures(noise).map((f) => f.check),
        explain(noise),
      ).toContain('capabilities');
      const envelope = await runDoctor(join(CONFORMANCE, 'wrong-envelope'));
      expect(
        failures(envelope).find((f) => f.check === 'handshake' && /unsupported type: inputRepository\/v1/.test(f.summary) && /unversioned/.test(f.fix ?? '')),
        explain(envelope),
      ).toBeDefined();
      expect(
        failures(envelope).find((f) => f.check === 'schemas' && /jsonSchema is an object: .* a standard base64 string/.test(f.summary)),
        explain(envelope),
      ).toBeDefined();
    },
  );

  it('fails a file name with an extension and a file without the executable bit', async () => {
    const named = await runDoctor(install('healthy', 'plugin.js'));
    expect(failures(named).map((f) => f.check)).toContain('name');
    expect(failures(named).find((f) => f.check === 'name')!.summary).toContain('".js"');

    const dir = mkdtempSync(join(tmpdir(), 'ocmkit-doctor-'));
    copyFileSync(join(FIXTURES, 'healthy.mjs'), join(dir, 'plain'));
    chmodSync(join(dir, 'plain'), 0o644);
    const plain = await runDoctor(join(dir, 'plain'));
    const f = failures(plain).find((x) => x.check === 'file');
    expect(f?.summary).toMatch(/not executable/);
    expect(f?.fix).toContain('chmod +x');
  });

  it('exits 1 on a failure, and 2 without a plugin to check (no package.json, or no "bin" in it)', async () => {
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    expect(await doctorCommand([install('noisy-capabilities'), ...ROOMY_FLAGS], sink, sink)).toBe(1);
    const empty = mkdtempSync(join(tmpdir(), 'ocmkit-doctor-'));
    const none = await command([], empty);
    expect(none.code).toBe(2);
    expect(none.err).toContain(`no package.json in ${empty}`);
    writeFileSync(join(empty, 'package.json'), '{"name":"x"}');
    expect((await command([], empty)).err).toContain('declares no "bin"');
  });

  /** A minimal 64-bit Mach-O header with one segment and, if asked, an LC_CODE_SIGNATURE command. */
  function machO(cputype: number, signed: boolean): Buffer {
    const cmds: Buffer[] = [];
    const seg = Buffer.alloc(72);
    seg.writeUInt32LE(0x19, 0);
    seg.writeUInt32LE(72, 4);
    seg.write('__TEXT', 8);
    cmds.push(seg);
    if (signed) {
      const sig = Buffer.alloc(16);
      sig.writeUInt32LE(0x1d, 0);
      sig.writeUInt32LE(16, 4);
      cmds.push(sig);
    }
    const body = Buffer.concat(cmds);
    const head = Buffer.alloc(32);
    head.writeUInt32LE(0xfeedfacf, 0);
    head.writeUInt32LE(cputype, 4);
    head.writeUInt32LE(2, 12);
    head.writeUInt32LE(cmds.length, 16);
    head.writeUInt32LE(body.length, 20);
    return Buffer.concat([head, body, Buffer.alloc(256)]);
  }

  it.skipIf(process.platform === 'darwin')('reads the Mach-O code signature load command and does not try to run a macOS binary here', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocmkit-doctor-'));
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a', 'mac-plugin'), machO(0x0100000c, false), { mode: 0o755 });
    writeFileSync(join(dir, 'b', 'mac-plugin'), machO(0x0100000c, true), { mode: 0o755 });
    const unsigned = await runDoctor(join(dir, 'a', 'mac-plugin'));
    expect(unsigned.findings.find((f) => f.check === 'signature')).toMatchObject({ status: 'fail' });
    expect(unsigned.findings.find((f) => f.check === 'signature')!.summary).toContain('arm64 unsigned');
    expect(unsigned.findings.find((f) => f.check === 'run')).toMatchObject({ status: 'skip' });
    const signed = await runDoctor(join(dir, 'b', 'mac-plugin'));
    expect(signed.findings.find((f) => f.check === 'signature')).toMatchObject({ status: 'pass' });
    expect(signed.failed).toBe(false);
  });

  describe('as a newcomer runs it: from the project root, relative paths, no argument', () => {
    // An example is a plugin project like a generated one: package.json "bin" → dist/<id>.cjs, bundled by the setup.
    const example = examplePlugins().find((p) => p.id === 'ed25519-signer')!;
    const bundle = relative(example.dir, example.executable);

    it('a relative path resolves against the directory doctor runs in, not the one the plugin runs in', async () => {
      const report = await runDoctor(relative(process.cwd(), example.executable));
      // Not known as a project's bundle here, so the extension is the one failure: true, the CLI skips the file.
      expect(
        failures(report).map((f) => f.check),
        explain(report),
      ).toEqual(['name']);
      expect(failures(report)[0]!.fix).toBe(
        `install it without the extension: cp ${example.executable} <plugin dir>/${example.id} (or a symlink of that name)`,
      );
      expect(report.findings.find((f) => f.check === 'start')!.status).toBe('pass');
    });

    it('a project bundle by its relative path: true findings only, the extension names the kit commands that install it', async () => {
      const r = await command([bundle], example.dir);
      expect(r.code, r.out).toBe(0);
      expect(r.out).not.toMatch(/^FAIL/m);
      expect(r.out).toContain(`WARN name`);
      expect(r.out).toContain(`fix: install it as ${example.id}: cp ${bundle} plugins/${example.id}`);
      // Run under its plugin id, the way it runs once installed.
      expect(r.out).toMatch(new RegExp(`socket +/tmp/ocm-${example.id}-`));
    });

    it('no argument: every plugin of package.json, one summary each; the exit code follows the worst finding', async () => {
      const r = await command([], example.dir);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(new RegExp(`^WARN ${example.id} \\(bundle\\) ${bundle.replace('.', '\\.')} +0 failures, 2 warnings$`, 'm'));
      expect(r.out).toMatch(new RegExp(`^skip ${example.id} \\(single executable\\) +none in dist/bin/`, 'm'));
      expect(r.out).toMatch(/^1 plugin file checked: 0 failures, 2 warnings$/m);
      expect((await command(['--strict'], example.dir)).code).toBe(1);
    });

    it('no argument in a project with a broken bundle and one not built: exit 1, each named with its fix', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ocmkit-doctor-'));
      mkdirSync(join(dir, 'dist'));
      symlinkSync(join(FIXTURES, 'capabilities-exit.mjs'), join(dir, 'dist', 'broken.cjs'));
      writeFileSync(
        join(dir, 'package.json'),
        JSON.stringify({
          name: 'p',
          bin: { broken: 'dist/broken.cjs', later: 'dist/later.cjs' },
          scripts: { bundle: 'ocm-plugin bundle …', build: 'ocm-plugin build' },
        }),
      );
      const r = await command([], dir);
      expect(r.code, r.out).toBe(1);
      expect(r.out).toMatch(/^FAIL broken \(bundle\) dist\/broken\.cjs +1 failure, 1 warning$/m);
      expect(r.out).toMatch(/^FAIL later \(built\) +nothing built: neither dist\/later\.cjs nor a single executable in dist\/bin\/$/m);
      expect(r.out).toContain('later: fix: npm run bundle, or npm run build -- --targets host');
      const json = JSON.parse((await command(['--json'], dir)).out) as DoctorSummary;
      expect(json.failed).toBe(true);
      expect(json.plugins.map((p) => [p.id, p.role])).toEqual([['broken', 'bundle']]);
    });

    it('--plugin-dir: every file the ocm CLI would run, names with an extension noted as skipped', async () => {
      const p = copyProject(join(ROOT, 'tooling/test/dev/fixtures/slow-input'));
      expect((await dev(['install', join(p.dir, 'src/main.ts'), '--plugin-dir', p.pluginDir, '--cache-dir', p.cacheDir])).code).toBe(0);
      writeFileSync(join(p.pluginDir, 'README.md'), 'notes');
      const r = await command(['--plugin-dir', 'plugins'], p.dir);
      expect(r.code, r.out).toBe(0);
      expect(r.out).toMatch(/^(ok {2}|WARN) slow-input \(installed\) plugins\/slow-input +0 failures/m);
      expect(r.out).toMatch(/^skip README\.md \(skipped\) +plugins\/README\.md: the ocm CLI skips names with an extension$/m);
      const missing = await command(['--plugin-dir', 'nowhere'], p.dir);
      expect(missing.code).toBe(1);
      expect(missing.out).toContain('fix: npm run dev installs');
    });
  });

  describe('every static cause, named for what it is', () => {
    it('a missing file: its resolved path, nothing run', async () => {
      const report = await runDoctor('dist/no-such-plugin');
      expect(failures(report).map((f) => f.summary)).toEqual([
        `${join(process.cwd(), 'dist/no-such-plugin')} does not exist (dist/no-such-plugin resolved against ${process.cwd()})`,
      ]);
      expect(report.environment).toBe('not run');
    });

    it('an interpreter env cannot find: the #! line and the PATH searched; no run, so nothing blamed on NODE_OPTIONS or TMPDIR', async () => {
      const report = await runDoctor(script('#!/usr/bin/env ocm-doctor-no-such-interpreter'));
      expect(
        failures(report).map((f) => f.check),
        explain(report),
      ).toEqual(['interpreter']);
      const f = failures(report)[0]!;
      expect(f.summary).toContain(
        '#!/usr/bin/env ocm-doctor-no-such-interpreter: env finds no "ocm-doctor-no-such-interpreter" on the plugin\'s PATH (searched ',
      );
      expect(f.summary).toContain(process.env.PATH!);
      expect(report.findings.find((x) => x.check === 'run')).toMatchObject({ status: 'skip' });
      expect(warnings(report), explain(report)).toEqual([]);
    });

    it('node missing from the PATH the plugin gets, and an absolute interpreter that does not exist', async () => {
      const noNode = await runDoctor(install('healthy'), { path: '/nonexistent/bin' });
      expect(
        failures(noNode).map((f) => f.summary),
        explain(noNode),
      ).toEqual([
        '#!/usr/bin/env node: env finds no "node" on the plugin\'s PATH (searched /nonexistent/bin); running it fails, which fails every ocm command',
      ]);
      expect(failures(noNode)[0]!.fix).toContain('npm run build -- --targets host');
      const absolute = await runDoctor(script('#!/opt/ocm-doctor-none/bin/node'));
      expect(
        failures(absolute).map((f) => f.summary),
        explain(absolute),
      ).toEqual([
        '#!/opt/ocm-doctor-none/bin/node: the #! line names /opt/ocm-doctor-none/bin/node, which does not exist on this machine; running it fails, which fails every ocm command',
      ]);
    });

    it('a file that is neither native nor #!: the Go manager cannot execute it, so doctor does not run it through /bin/sh', async () => {
      const report = await runDoctor(script('echo not a plugin'));
      expect(
        failures(report).map((f) => f.check),
        explain(report),
      ).toEqual(['format']);
      expect(report.findings.find((x) => x.check === 'run')).toMatchObject({ status: 'skip' });
    });

    it('a dangling symlink and a symlink to a directory', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ocmkit-doctor-'));
      symlinkSync(join(dir, 'gone'), join(dir, 'dangling'));
      symlinkSync(tmpdir(), join(dir, 'folder'));
      expect(failures(await runDoctor(join(dir, 'dangling')))[0]!.summary).toContain('dangling symlink');
      expect(failures(await runDoctor(join(dir, 'folder')))[0]!.summary).toContain('a symlink to a directory');
    });

    it('capabilities that exit non-zero leave NODE_OPTIONS unjudged', async () => {
      const report = await runDoctor(install('capabilities-exit'));
      expect(report.findings.find((f) => f.check === 'NODE_OPTIONS')).toMatchObject({ status: 'skip' });
      expect(report.findings.find((f) => f.check === 'capabilities')!.detail).toContain('refusing to start');
    });

    it('a slow first start alone (a runtime unpacked once into the empty HOME) is not held against the start budget', async () => {
      const report = await runDoctor(install('slow-first-start'), { startBudgetMs: 2500 });
      const start = report.findings.find((f) => f.check === 'start')!;
      expect(start.status, explain(report)).toBe('pass');
      expect(start.summary).toMatch(/the first start took \d+ ms \(once after installing/);
    });

    it('a start that fails whatever the TMPDIR shows its stderr tail and is not blamed on the long TMPDIR', async () => {
      const report = await runDoctor(install('start-crash'));
      const start = failures(report).filter((f) => f.check === 'start');
      expect(start, explain(report)).toHaveLength(1);
      expect(start[0]!.summary).not.toContain('TMPDIR of');
      expect(start[0]!.detail).toContain("open '/etc/fixture/signing-key.pem'");
      expect(start[0]!.fix).toContain('fix what its stderr says');
    });
  });
});
