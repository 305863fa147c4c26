/**
 * `ocm-plugin doctor` against real executables: it passes on every example (installed the way users install
 * them: an extension-less symlink) and on the dev launcher, and names the fault of each broken fixture.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { examplePlugins } from '../../../scripts/examples.js';
import { doctorCommand } from '../../src/cli/doctor.js';
import { runDoctor, type DoctorReport, type Finding } from '../../src/dev/doctor.js';
import { ROOT, copyProject, dev } from './support.js';

const FIXTURES = join(import.meta.dirname, 'fixtures', 'broken');

/** Installs a fixture into a fresh plugin directory under an extension-less name. */
function install(fixture: string, name = fixture): string {
  const dir = mkdtempSync(join(tmpdir(), 'ocmkit-doctor-'));
  const path = join(dir, name);
  symlinkSync(join(FIXTURES, `${fixture}.mjs`), path);
  return path;
}

const failures = (r: DoctorReport): Finding[] => r.findings.filter((f) => f.status === 'fail');
const explain = (r: DoctorReport): string => r.findings.map((f) => `${f.status} ${f.check}: ${f.summary}`).join('\n');

describe('ocm-plugin doctor', () => {
  it.each(examplePlugins().map((p) => [p.id, p] as const))('passes on the example %s installed as an extension-less symlink', async (id, p) => {
    const dir = mkdtempSync(join(tmpdir(), 'ocmkit-doctor-'));
    symlinkSync(p.executable, join(dir, id));
    const report = await runDoctor(join(dir, id));
    expect(failures(report), explain(report)).toEqual([]);
    for (const check of ['name', 'file', 'capabilities', 'handshake', 'schemas', 'reserved names', 'start', 'socket', 'healthz', 'stdout', 'shutdown', 'logs', 'size', 'NODE_OPTIONS', 'tcp']) {
      expect(report.findings.map((f) => f.check), `check ${check} ran`).toContain(check);
    }
    expect(report.measurements.capabilitiesMs).toBeGreaterThan(0);
    expect(report.measurements.locationMs).toBeGreaterThan(0);
    // The SDK falls back to /tmp when TMPDIR is too long for a socket path.
    expect(report.findings.find((f) => f.check === 'socket')!.summary).toContain('not under the long TMPDIR');
  });

  it('passes on a dev launcher', async () => {
    const p = copyProject(join(ROOT, 'sdk/test/dev/fixtures/slow-input'));
    expect((await dev(['install', join(p.dir, 'src/main.ts'), '--plugin-dir', p.pluginDir, '--cache-dir', p.cacheDir])).code).toBe(0);
    const report = await runDoctor(join(p.pluginDir, 'slow-input'));
    expect(failures(report), explain(report)).toEqual([]);
    expect(report.findings.find((f) => f.check === 'format')!.summary).toContain('/bin/sh');
  });

  it('passes on a healthy hand-written plugin, and the command exits 0 and prints one line per check', async () => {
    let out = '';
    const sink = new Writable({ write: (c: Buffer, _e, cb) => ((out += c.toString()), cb()) });
    const code = await doctorCommand([install('healthy', 'healthy-fixture')], sink, sink);
    expect(code, out).toBe(0);
    expect(out).toMatch(/^ok {3}name/m);
    expect(out).toMatch(/0 failures/);
  });

  const faults: Array<[fixture: string, check: string, pattern: RegExp]> = [
    ['noisy-capabilities', 'capabilities', /stdout holds more than the JSON document/],
    ['capabilities-exit', 'capabilities', /exits 3: every ocm command fails/],
    ['schema-not-json', 'schemas', /not one JSON document/],
    ['schema-invalid', 'schemas', /does not compile/],
    ['schema-lookahead', 'schemas', /look-around, which Go RE2 cannot compile/],
    ['schema-rejects-type', 'schemas', /rejects a spec's own "type" field/],
    ['reserved-type', 'reserved names', /inputRepository File\/v1/],
    ['head-only-kind', 'handshake', /credentialPlugin is only known to the upstream HEAD manager/],
    ['socket-in-tmpdir', 'socket', /over the 107-byte limit/],
    ['stdout-after-location', 'stdout', /after the location line/],
    ['numeric-log-level', 'logs', /non-string msg\/level/],
    ['tcp-ignored', 'tcp', /with "type":"tcp" it printed "http\+unix:/],
  ];
  it.each(faults)('names the fault of %s (%s)', async (fixture, check, pattern) => {
    const report = await runDoctor(install(fixture));
    expect(report.failed, explain(report)).toBe(true);
    const hit = failures(report).find((f) => f.check === check && pattern.test(f.summary));
    expect(hit, explain(report)).toBeDefined();
    expect(hit!.fix).toBeTruthy();
  });

  const CONFORMANCE = join(ROOT, 'conformance/test/fixtures');
  it.skipIf(!existsSync(join(CONFORMANCE, 'well-behaved')))('agrees with the conformance fixtures: well-behaved passes, stdout-noise and wrong-envelope fail where they break', async () => {
    const good = await runDoctor(join(CONFORMANCE, 'well-behaved'));
    // The raw fixtures put their socket under os.tmpdir() with no fallback, so the long-TMPDIR start may flag the
    // socket path; every other check passes.
    expect(failures(good).filter((f) => f.check !== 'socket'), explain(good)).toEqual([]);
    const noise = await runDoctor(join(CONFORMANCE, 'stdout-noise'));
    expect(failures(noise).map((f) => f.check), explain(noise)).toContain('capabilities');
    const envelope = await runDoctor(join(CONFORMANCE, 'wrong-envelope'));
    expect(failures(envelope).find((f) => f.check === 'handshake' && /inputRepository\/v1.*unversioned/.test(f.summary)), explain(envelope)).toBeDefined();
    expect(failures(envelope).find((f) => f.check === 'schemas' && /not a base64 string/.test(f.summary)), explain(envelope)).toBeDefined();
  });

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

  it('exits 1 on a failure and 2 without an executable', async () => {
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    expect(await doctorCommand([install('noisy-capabilities')], sink, sink)).toBe(1);
    expect(await doctorCommand([], sink, sink)).toBe(2);
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
});
