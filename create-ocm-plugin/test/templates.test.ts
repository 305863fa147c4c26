/**
 * Quality gate for the templates: generate a project for every kind (and a multi-kind one) with the real CLI, install
 * it against this repository's packages (sdk, tooling and conformance compiled and laid out as npm publishes them, in one
 * scratch workspace shared by all projects), then run the project's own scripts: `npm test` (typecheck, unit tests,
 * conformance suite against the bundled plugins) and `npm run bundle`, ask each bundle for `capabilities`, and run
 * `npm run doctor` on what was built.
 * Projects run three at a time (GATE_PARALLEL); each aspect is reported as its own test.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify, stripVTControlCharacters } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCli, catalogue, runCli, type CatalogueEntry } from './support/cli.js';
import { createWorkspace, type Workspace } from './support/workspace.js';
import { toolOrSkip } from '../../scripts/tools.js';
import { locateHarness } from '../../conformance/src/hosts/go-build.js';

const exec = promisify(execFile);
const kinds = (await catalogue()).available;
/** Projects checked at once: most of a conformance run is waiting (idle exits, slow clients), not CPU. */
const PARALLEL = Number(process.env.GATE_PARALLEL ?? 3);
/** The project whose single executable is built (one target, from the local cache: the other targets only add time). */
const BINARY_PROJECT = 'p-input';

/**
 * `npm run conformance -- --host all` in every project, as the generated workflow's real-host job runs it: the ocm
 * CLI from `npm run setup` (or OCM_CLI) and the Go harness built from the shipped sources into the user cache, with
 * the module proxies of `npm run setup` (scripts/test-global-setup.ts puts them into this run's environment).
 */
const OCM_CLI = toolOrSkip('ocmCli', 'the generated projects in the real hosts (npm run conformance -- --host all)');
/** Why the real-host step cannot run here, or undefined when it can. */
let realHostSkip: string | undefined = OCM_CLI ? undefined : 'no ocm CLI';

interface Project {
  readonly name: string;
  readonly kinds: CatalogueEntry[];
}
const only = process.env.GATE_ONLY?.split(',');
const projects: Project[] = [
  ...kinds.map((k) => ({ name: `p-${k.dir}`, kinds: [k] })),
  { name: 'p-multi', kinds: kinds.filter((k) => k.kind === 'resourceRepository' || k.kind === 'digestProcessorRepository') },
].filter((p) => !only || only.includes(p.name));

interface VitestJson {
  testResults: { name: string; status: string; assertionResults: { fullName: string; status: string; failureMessages: string[] }[] }[];
}
interface Outcome {
  test: { ok: boolean; output: string };
  vitest?: VitestJson;
  bundle: { ok: boolean; output: string };
  capabilities: Record<string, { ok: boolean; output: string }>;
  /** `npm run doctor -- --json` after `npm run bundle`. */
  doctor: { ok: boolean; output: string };
  /** `npm run build -- --targets linux-x64 --offline` and the binary's `capabilities` (one project only). */
  binary?: {
    build: { ok: boolean; output: string };
    capabilities?: { ok: boolean; output: string };
    conformance?: { ok: boolean; output: string };
    doctor?: { ok: boolean; output: string };
  };
  /** `npm run conformance -- --host all` and how long it took. */
  realHost?: { ok: boolean; output: string; seconds: number };
  seconds: number;
}

/**
 * Doctor's start and capabilities budgets are wall-clock limits; projects here run side by side with conformance
 * suites, so the gate lifts them and judges only what is not a matter of speed.
 */
const DOCTOR_BUDGETS = ['--capabilities-budget', '60000', '--start-budget', '60000'];

/** The part of `ocm-plugin doctor --json` (several plugins) the gate reads. */
interface DoctorJson {
  plugins: { id: string; role: string; path: string; report: { findings: { check: string; status: string; summary: string }[] } }[];
  notes: { id: string; finding: { check: string; status: string } }[];
  failed: boolean;
}
const doctorJson = (output: string): DoctorJson => JSON.parse(output.slice(output.indexOf('{'))) as DoctorJson;
const flagged = (p: DoctorJson['plugins'][number]) =>
  p.report.findings.filter((f) => f.status === 'fail' || f.status === 'warn').map((f) => `${f.status} ${f.check}`);

let bin: string;
let ws: Workspace;
const outcomes = new Map<string, Outcome>();

const strip = (s: string) => stripVTControlCharacters(s);

/** The environment of a command in a generated project: no trace of this vitest run. */
function projectEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...ws.env, CI: '1', NO_COLOR: '1' };
  for (const k of Object.keys(env))
    if (k.startsWith('VITEST') || k === 'TEST' || k === 'NODE_ENV' || k === 'FORCE_COLOR' || k.startsWith('npm_')) delete env[k];
  return env;
}

async function inProject(project: string, command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<{ ok: boolean; output: string }> {
  try {
    const r = await exec(command, args, {
      cwd: join(ws.projects, project),
      env: { ...projectEnv(), ...extraEnv },
      timeout: 300_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { ok: true, output: strip(r.stdout + r.stderr) };
  } catch (err) {
    const e = err as { stdout?: string; stderr?: string; message: string };
    return { ok: false, output: strip(`${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`) };
  }
}

async function check(p: Project): Promise<Outcome> {
  const started = performance.now();
  const report = join(ws.root, `vitest-${p.name}.json`);
  const test = await inProject(p.name, 'npm', ['test', '--', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`]);
  const vitest = existsSync(report) ? (JSON.parse(readFileSync(report, 'utf8')) as VitestJson) : undefined;
  const bundle = await inProject(p.name, 'npm', ['run', 'bundle', '--silent']);
  const capabilities: Outcome['capabilities'] = {};
  const pkg = JSON.parse(readFileSync(join(ws.projects, p.name, 'package.json'), 'utf8')) as { bin: Record<string, string> };
  for (const [id, file] of Object.entries(pkg.bin)) capabilities[id] = await inProject(p.name, join(ws.projects, p.name, file), ['capabilities']);
  const doctor = await inProject(p.name, 'npm', ['run', 'doctor', '--silent', '--', '--json', ...DOCTOR_BUDGETS]);
  let binary: Outcome['binary'];
  if (p.name === BINARY_PROJECT) {
    const build = await inProject(p.name, 'npm', ['run', 'build', '--', '--targets', 'linux-x64', '--offline']);
    const exe = join(ws.projects, p.name, 'dist/bin', `${p.name}-linux-amd64`);
    binary = {
      build,
      capabilities: existsSync(exe) ? await inProject(p.name, exe, ['capabilities']) : undefined,
      // What users install is what must conform: the suite against the single executable, with the project's samples.
      conformance: existsSync(exe)
        ? await inProject(p.name, 'npx', ['ocm-plugin-conformance', exe, '--id', p.name, '--samples', 'conformance.samples.yaml'])
        : undefined,
      doctor: existsSync(exe) ? await inProject(p.name, 'npm', ['run', 'doctor', '--silent', '--', '--json', ...DOCTOR_BUDGETS]) : undefined,
    };
  }
  let realHost: Outcome['realHost'];
  if (!realHostSkip) {
    const t0 = performance.now();
    const r = await inProject(p.name, 'npm', ['run', 'conformance', '--', '--host', 'all'], { ...process.env, OCM_CLI: OCM_CLI! });
    realHost = { ...r, seconds: Math.round((performance.now() - t0) / 1000) };
  }
  return { test, vitest, bundle, capabilities, doctor, binary, realHost, seconds: Math.round((performance.now() - started) / 1000) };
}

beforeAll(async () => {
  [bin, ws] = await Promise.all([buildCli(), createWorkspace()]);
  // Built once here (the projects share the user cache) rather than by three projects at once.
  if (!realHostSkip) {
    try {
      locateHarness({ ...process.env, OCM_GO_HARNESS: '' });
    } catch (err) {
      realHostSkip = (err as Error).message;
    }
  }
  for (const p of projects) {
    const r = await runCli(bin, [p.name, '--kind', p.kinds.map((k) => k.kind).join(','), '--domain', 'acme.org', '--yes'], { cwd: ws.projects });
    if (r.code !== 0) throw new Error(`generating ${p.name} failed: ${r.stderr}`);
  }
  const queue = [...projects];
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let p = queue.shift(); p; p = queue.shift()) outcomes.set(p.name, await check(p));
    }),
  );
}, 900_000);

afterAll(() => {
  if (ws && !process.env.KEEP_GATE) rmSync(ws.root, { recursive: true, force: true });
  if (bin) rmSync(bin, { force: true });
});

function fileResult(o: Outcome, suffix: string) {
  return o.vitest?.testResults.find((t) => t.name.endsWith(suffix));
}

function failures(file: ReturnType<typeof fileResult>): string {
  return (file?.assertionResults ?? [])
    .filter((a) => a.status === 'failed')
    .map((a) => `${a.fullName}\n${a.failureMessages.join('\n')}`)
    .join('\n\n');
}

describe.skipIf(process.platform !== 'linux' || process.arch !== 'x64' || !projects.some((p) => p.name === BINARY_PROJECT))(
  'single executable',
  { tags: ['packaging'] },
  () => {
    it(`\`npm run build\` in ${BINARY_PROJECT} builds linux-x64, and the binary answers \`capabilities\` like the bundle`, () => {
      const o = outcomes.get(BINARY_PROJECT)!;
      expect(o.binary?.build.ok, o.binary?.build.output).toBe(true);
      // The generated plugin starts at build time, so its code cache covers start-up (no fallback warning).
      expect(o.binary?.build.output).not.toContain('code cache holds top-level code only');
      expect(o.binary?.capabilities?.ok, o.binary?.capabilities?.output ?? 'no binary').toBe(true);
      expect(JSON.parse(o.binary!.capabilities!.output)).toEqual(JSON.parse(o.capabilities[BINARY_PROJECT]!.output));
    });
    it(`the ${BINARY_PROJECT} linux-x64 executable passes the conformance suite`, () => {
      const o = outcomes.get(BINARY_PROJECT)!;
      expect(o.binary?.conformance?.ok, o.binary?.conformance?.output.slice(-6000) ?? 'no binary').toBe(true);
    });
    it(`\`npm run doctor\` after \`npm run build\` reports nothing on the ${BINARY_PROJECT} linux-x64 executable`, () => {
      const o = outcomes.get(BINARY_PROJECT)!;
      expect(o.binary?.doctor?.ok, o.binary?.doctor?.output.slice(-6000) ?? 'no binary').toBe(true);
      const exe = doctorJson(o.binary!.doctor!.output).plugins.find((x) => x.role === 'single executable linux-amd64');
      expect(exe?.path).toBe(`dist/bin/${BINARY_PROJECT}-linux-amd64`);
      expect(flagged(exe!), JSON.stringify(exe, null, 2)).toEqual([]);
    });
  },
);

describe.each(projects)('generated project $name', (p) => {
  it('`npm test` exits 0 (typecheck, unit tests, conformance)', () => {
    const o = outcomes.get(p.name)!;
    console.info(`${p.name}: npm test + bundle + capabilities in ${o.seconds} s`);
    expect(o.test.ok, o.test.output.slice(-6000)).toBe(true);
  });

  it.each(p.kinds.map((k) => k.dir))('unit tests of %s pass', (dir) => {
    const o = outcomes.get(p.name)!;
    const file = fileResult(o, `test/${dir}.test.ts`);
    expect(file, `no vitest result for test/${dir}.test.ts (did the typecheck fail?)\n${o.test.output.slice(-4000)}`).toBeDefined();
    expect(file!.status, failures(file)).toBe('passed');
    expect(file!.assertionResults.length).toBeGreaterThanOrEqual(2);
  });

  it('the conformance suite passes against dist/plugins', () => {
    const o = outcomes.get(p.name)!;
    const file = fileResult(o, 'test/conformance.test.ts');
    expect(file, `no vitest result for test/conformance.test.ts\n${o.test.output.slice(-4000)}`).toBeDefined();
    expect(file!.status, failures(file)).toBe('passed');
  });

  it('`npm run doctor` after `npm run bundle` checks every plugin and reports only true findings', () => {
    const o = outcomes.get(p.name)!;
    expect(o.doctor.ok, o.doctor.output.slice(-6000)).toBe(true);
    const d = doctorJson(o.doctor.output);
    expect(d.plugins.map((x) => `${x.id} ${x.role}`).sort()).toEqual(
      Object.keys(o.capabilities)
        .map((id) => `${id} bundle`)
        .sort(),
    );
    // The bundle's .cjs name (installed without it by npm run dev or cp) and NODE_OPTIONS (it is a Node.js script).
    for (const x of d.plugins) expect(flagged(x), JSON.stringify(x, null, 2)).toEqual(['warn name', 'warn NODE_OPTIONS']);
    expect(
      d.notes.filter((n) => n.finding.status !== 'skip'),
      JSON.stringify(d.notes),
    ).toEqual([]);
  });

  it('`npm run conformance -- --host all` passes: reference host, Go plugin manager, ocm CLI', { tags: ['ocm-cli'] }, (ctx) => {
    if (realHostSkip) {
      if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`the real hosts cannot run: ${realHostSkip}`);
      console.warn(`[skipped] ${p.name} in the real hosts: ${realHostSkip}`);
      return ctx.skip();
    }
    const o = outcomes.get(p.name)!;
    console.info(`${p.name}: npm run conformance -- --host all in ${o.realHost!.seconds} s`);
    expect(o.realHost!.ok, o.realHost!.output.slice(-8000)).toBe(true);
    expect(o.realHost!.output).toMatch(/hosts\n {2}reference: .*\n {2}go: plugin manager v0\.0\.17.*\n {2}ocm: ocm 0\.13\.0/);
  });

  it('`npm run bundle` works and every bundle answers `capabilities` with its kind and type', () => {
    const o = outcomes.get(p.name)!;
    expect(o.bundle.ok, o.bundle.output).toBe(true);
    expect(Object.keys(o.capabilities)).toHaveLength(p.kinds.length);
    for (const [id, caps] of Object.entries(o.capabilities)) {
      expect(caps.ok, caps.output).toBe(true);
      const handshake = JSON.parse(caps.output) as { capabilities: { type: string }[] };
      const kind = p.kinds.length === 1 ? p.kinds[0]! : p.kinds.find((k) => id.endsWith(`-${k.dir}`))!;
      expect(
        handshake.capabilities.map((c) => c.type),
        id,
      ).toEqual([kind.kind]);
      expect(caps.output).toContain(`"${kind.typeBase}.acme.org/${kind.typeVersion}"`);
    }
  });
});

/**
 * The generated plugins inside the real `ocm` CLI v0.13.0 (from `npm run setup`, or `OCM_CLI`), hermetic: empty HOME, explicit --config
 * and --plugin-directory. Bundles are installed extension-less, as the CLI's discovery requires.
 */
const OCM = OCM_CLI;
const has = (name: string) => projects.some((p) => p.name === name);

describe.skipIf(!OCM || !has('p-input') || !has('p-signing') || !has('p-digest'))(
  'generated plugins in the real ocm CLI v0.13.0',
  { tags: ['ocm-cli'] },
  () => {
    let dir: string;
    const ocm = async (...args: string[]) => {
      try {
        const r = await exec(OCM!, [...args, '--config', join(dir, 'ocmconfig.yaml'), '--plugin-directory', join(dir, 'plugins')], {
          cwd: dir,
          env: { PATH: process.env.PATH, HOME: join(dir, 'home'), TMPDIR: tmpdirOf(dir) },
          timeout: 120_000,
        });
        return { ok: true, output: r.stdout + r.stderr, stdout: r.stdout };
      } catch (err) {
        const e = err as { stdout?: string; stderr?: string; message: string };
        return { ok: false, output: `${e.message}\n${e.stdout ?? ''}${e.stderr ?? ''}`, stdout: e.stdout ?? '' };
      }
    };
    const config = (key: string) =>
      writeFileSync(
        join(dir, 'ocmconfig.yaml'),
        [
          'type: generic.config.ocm.software/v1',
          'configurations:',
          '  - type: credentials.config.ocm.software',
          '    consumers:',
          '      - identity: { type: HmacSigner.acme.org/v1alpha1, keyName: release }',
          '        credentials:',
          `          - { type: Credentials/v1, properties: { key: ${key} } }`,
          '',
        ].join('\n'),
      );

    beforeAll(() => {
      dir = mkdtempSync(join(ws.root, 'ocm-'));
      mkdirSync(join(dir, 'plugins'));
      mkdirSync(join(dir, 'home'));
      for (const [project, id] of [
        ['p-input', 'p-input'],
        ['p-signing', 'p-signing'],
        ['p-digest', 'p-digest'],
      ]) {
        copyFileSync(join(ws.projects, project!, 'dist', `${id}.cjs`), join(dir, 'plugins', id!));
        chmodSync(join(dir, 'plugins', id!), 0o755);
      }
      writeFileSync(join(dir, 'payload.bin'), 'the payload\n');
      writeFileSync(
        join(dir, 'constructor.yaml'),
        [
          'name: acme.org/demo',
          'version: 1.0.0',
          'provider: { name: acme.org }',
          'resources:',
          '  - name: greeting',
          '    type: plainText',
          '    input: { type: Greeting.acme.org/v1, text: hello }',
          '  - name: payload',
          '    type: blob',
          '    version: 1.0.0',
          `    access: { type: HttpBlob.acme.org/v1, url: "file://${join(dir, 'payload.bin')}" }`,
          'sources:',
          '  - name: greeting-src',
          '    type: blob',
          '    input: { type: Greeting.acme.org/v1, text: source }',
          '',
        ].join('\n'),
      );
      writeFileSync(join(dir, 'signer.yaml'), 'type: HmacSigner.acme.org/v1alpha1\nkeyName: release\n');
      config('first-key');
    });

    it('ocm add cv: the input plugin makes the blobs, the digest processor digests the access', async () => {
      const add = await ocm('add', 'cv', '--repository', 'ctf::./ctf', '--constructor', './constructor.yaml');
      expect(add.ok, add.output).toBe(true);
      const down = await ocm('download', 'resource', 'ctf::./ctf//acme.org/demo:1.0.0', '--identity', 'name=greeting', '--output', './greeting.txt');
      expect(down.ok, down.output).toBe(true);
      expect(readFileSync(join(dir, 'greeting.txt'), 'utf8')).toBe('hello');
      const get = await ocm('get', 'cv', 'ctf::./ctf//acme.org/demo:1.0.0', '-o', 'json');
      expect(get.ok, get.output).toBe(true);
      const sha = createHash('sha256').update('the payload\n').digest('hex');
      expect(get.stdout).toContain(sha);
    });

    it('ocm sign cv / ocm verify cv with the signing plugin; another key does not verify', async () => {
      const sign = await ocm('sign', 'cv', 'ctf::./ctf//acme.org/demo:1.0.0', '--signer-spec', './signer.yaml', '--signature', 'acme');
      expect(sign.ok, sign.output).toBe(true);
      const verify = await ocm('verify', 'cv', 'ctf::./ctf//acme.org/demo:1.0.0', '--verifier-spec', './signer.yaml', '--signature', 'acme');
      expect(verify.ok, verify.output).toBe(true);
      config('another-key');
      const wrong = await ocm('verify', 'cv', 'ctf::./ctf//acme.org/demo:1.0.0', '--verifier-spec', './signer.yaml', '--signature', 'acme');
      expect(wrong.ok, wrong.output).toBe(false);
      expect(wrong.output).toMatch(/does not match/);
    });
  },
);

/** A short TMPDIR for the plugins' sockets (the workspace path may be long). */
function tmpdirOf(dir: string): string {
  const t = join(dir, 't');
  mkdirSync(t, { recursive: true });
  return t;
}
