#!/usr/bin/env node
/**
 * Release rehearsal: publish every public package of this checkout to a throwaway registry and follow the README's
 * quick start against it, as a user on a fresh machine would.
 *
 *   1. `npm pack` each package (its `prepack` builds it, the tooling's also the five native launchers) and check the
 *      tarballs: no `file:`/workspace dependency, internal ranges that admit the versions released together, every
 *      bin and exports target present, the launchers for every target, every template file.
 *   2. Start verdaccio on 127.0.0.1 with its storage in a temp directory and the configured npm registry as uplink;
 *      the kit's package names are served only from what this run publishes.
 *   3. `npm publish` the tarballs.
 *   4. In an empty directory outside the checkout, for each kind: `npm create ocm-plugin@latest <name> -- --kind <k>
 *      --yes`, `npm install`, `npm test`, `npm run build -- --targets host`; the production dependency tree must hold
 *      no build tooling.
 *   5. Put the inputRepository plugin's executable into an `ocm` plugin directory and run `ocm add cv` with it, then
 *      read the blob back with `ocm download resource`.
 * verdaccio is stopped at the end, whatever happened. Prints a summary (tarball sizes, production tree, step times).
 *
 *   node scripts/release/rehearse.mjs [--kinds inputRepository,signingHandler] [--keep] [--json <file>]
 *
 * The `ocm` CLI comes from $OCM_CLI, .tools/bin/ocm (npm run setup) or PATH; without it step 5 is skipped with the
 * reason printed, except under CI=true, where that fails the rehearsal.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { parse as parseYaml } from 'yaml';
import { internalRangeProblems, tarballProblems } from './package-checks.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
/** Published packages, in the order they depend on each other. */
const PACKAGES = ['sdk', 'tooling', 'conformance', 'create-ocm-plugin'];
/** Packages a plugin's production dependency tree must not hold: they belong to the tooling. */
const TOOLING_ONLY = ['esbuild', 'postject', 'ajv'];
const STRICT = process.env.CI === 'true' || process.env.CI === '1';

const { values: opts } = parseArgs({
  options: { kinds: { type: 'string', default: 'inputRepository,signingHandler' }, keep: { type: 'boolean' }, json: { type: 'string' } },
});
const kinds = opts.kinds.split(',').filter(Boolean);

const t0 = Date.now();
const steps = [];
const say = (m) => process.stderr.write(`== rehearsal: ${m}\n`);
async function step(name, fn) {
  const start = Date.now();
  say(`${name} …`);
  const result = await fn();
  const seconds = (Date.now() - start) / 1000;
  steps.push({ name, seconds });
  say(`${name}: ${seconds.toFixed(1)} s`);
  return result;
}

class RehearsalError extends Error {}

/**
 * Runs a command and returns its stdout; stderr (and, unless captured, stdout) is echoed to this process's stderr.
 * Throws with the command and the tail of its output on failure.
 */
function run(cmd, args, { cwd, env, capture = false } = {}) {
  const r = spawnSync(cmd, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (!capture) process.stderr.write(r.stdout ?? '');
  process.stderr.write(r.stderr ?? '');
  lastOutput = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.status !== 0) {
    const tail = lastOutput.split('\n').slice(-40).join('\n');
    throw new RehearsalError(
      `\`${cmd} ${args.join(' ')}\` in ${cwd ?? process.cwd()} failed (${r.status ?? r.signal ?? r.error?.message})${tail ? `:\n${tail}` : ''}`,
    );
  }
  return r.stdout ?? '';
}
let lastOutput = '';

/** Packages npm warned about as unsupported on this Node.js (`EBADENGINE`), except the given project itself. */
function badEngines(output, project) {
  const found = new Set();
  for (const m of output.matchAll(/EBADENGINE\s+package: '([^']+)'/g)) if (!m[1].startsWith(`${project}@`)) found.add(m[1]);
  return [...found];
}

function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => ok(port));
    });
  });
}

function filesUnder(dir, base = dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), base) : [relative(base, join(dir, e.name))],
  );
}

function dirSize(dir) {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += dirSize(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}

const mib = (n) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;

function findOcm() {
  for (const c of [process.env.OCM_CLI, join(ROOT, '.tools', 'bin', 'ocm')]) if (c && existsSync(c)) return c;
  for (const d of (process.env.PATH ?? '').split(delimiter)) if (d && existsSync(join(d, 'ocm'))) return join(d, 'ocm');
  return undefined;
}

const scratch = mkdtempSync(join(tmpdir(), 'ocm-kit-rehearsal-'));
let registry;
const summary = { tarballs: [], projects: [], steps, ocm: undefined };

async function main() {
  const tarballDir = join(scratch, 'tarballs');
  mkdirSync(tarballDir);
  const manifests = Object.fromEntries(PACKAGES.map((p) => [p, JSON.parse(readFileSync(join(ROOT, p, 'package.json'), 'utf8'))]));
  const versions = Object.fromEntries(Object.values(manifests).map((m) => [m.name, m.version]));

  const packed = await step('pack and check the tarballs', async () => {
    const { TARGETS } = await import(join(ROOT, 'tooling', 'dist', 'build', 'targets.js'));
    const required = {
      tooling: {
        files: TARGETS.map((t) => `dist/launcher/${t.os}-${t.arch}${t.suffix}`),
        because: 'prepack builds the native launchers with Go; without them every packaged plugin boots Node.js for `capabilities`',
      },
      'create-ocm-plugin': {
        files: filesUnder(join(ROOT, 'templates')).map((f) => `templates/${f}`),
        because: 'a template file the scaffolder would not find',
      },
    };
    const problems = [];
    const out = [];
    for (const pkg of PACKAGES) {
      const json = run('npm', ['pack', '--json', '--pack-destination', tarballDir, '--workspace', pkg], { cwd: ROOT, capture: true });
      const [info] = JSON.parse(json.slice(json.indexOf('[')));
      const manifest = manifests[pkg];
      problems.push(
        ...tarballProblems(
          manifest,
          info.files.map((f) => f.path),
          { versions, required: required[pkg]?.files, requiredBecause: required[pkg]?.because },
        ),
        ...internalRangeProblems(manifest, versions),
      );
      out.push({
        pkg,
        name: manifest.name,
        version: manifest.version,
        file: join(tarballDir, info.filename),
        size: info.size,
        unpackedSize: info.unpackedSize,
        entries: info.entryCount,
      });
    }
    if (problems.length > 0) throw new RehearsalError(`the release would be broken:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    return out;
  });
  summary.tarballs = packed.map(({ name, version, size, unpackedSize, entries }) => ({ name, version, size, unpackedSize, entries }));

  const url = await step('start verdaccio', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const home = join(scratch, 'verdaccio');
    mkdirSync(home);
    const uplink = run('npm', ['config', 'get', 'registry'], { capture: true }).trim() || 'https://registry.npmjs.org/';
    const own = PACKAGES.map((p) => manifests[p].name);
    writeFileSync(
      join(home, 'config.yaml'),
      [
        `storage: ${join(home, 'storage')}`,
        'auth:',
        '  htpasswd:',
        `    file: ${join(home, 'htpasswd')}`,
        '    max_users: 10',
        'uplinks:',
        '  npmjs:',
        `    url: ${uplink}`,
        '    timeout: 60s',
        // One rehearsal asks for each package document several times; verdaccio re-reads the uplink only after this.
        '    maxage: 30m',
        'packages:',
        // The kit's names come only from this run's publishes, never from the uplink.
        ...own.flatMap((n) => [`  '${n}':`, '    access: $all', '    publish: $authenticated']),
        "  '**':",
        '    access: $all',
        '    publish: $authenticated',
        '    proxy: npmjs',
        'log: { type: stdout, format: pretty, level: warn }',
        'web: { enable: false }',
        '',
      ].join('\n'),
    );
    const bin = join(ROOT, 'node_modules', 'verdaccio', 'bin', 'verdaccio');
    registry = spawn(process.execPath, [bin, '--config', join(home, 'config.yaml'), '--listen', `127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    registry.stdout.on('data', (d) => (log += d));
    registry.stderr.on('data', (d) => (log += d));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (registry.exitCode !== null) throw new RehearsalError(`verdaccio exited (${registry.exitCode}):\n${log}`);
      const ok = await fetch(`${url}-/ping`).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new RehearsalError(`verdaccio did not answer ${url}-/ping within 60 s:\n${log}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    return url;
  });

  const npmEnv = await step('log in', async () => {
    const res = await fetch(`${url}-/user/org.couchdb.user:rehearsal`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'rehearsal', password: 'rehearsal-only', type: 'user', roles: [], date: new Date().toISOString() }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok || !body.token) throw new RehearsalError(`verdaccio refused the user: ${res.status} ${JSON.stringify(body)}`);
    const host = url.replace(/^http:/, '');
    const npmrc = join(scratch, 'npmrc');
    writeFileSync(npmrc, `registry=${url}\n${host}:_authToken=${body.token}\nfund=false\naudit=false\nupdate-notifier=false\n`);
    // The user's npm cache (warm from installing this checkout: a cold one triples the rehearsal's time). Package
    // documents are cached by registry URL, and the port is new each run, so none is stale; but `npm create` would
    // reuse a create-ocm-plugin it installed in an earlier rehearsal: same version, other content.
    const cache = run('npm', ['config', 'get', 'cache'], { capture: true }).trim();
    forgetNpxInstalls(cache, manifests['create-ocm-plugin'].name);
    const env = { ...process.env, npm_config_userconfig: npmrc, npm_config_registry: url };
    for (const k of Object.keys(env)) if (/^npm_(package|lifecycle)_/.test(k) || k === 'npm_config_workspace' || k === 'INIT_CWD') delete env[k];
    return env;
  });

  await step('publish', async () => {
    for (const t of packed) run('npm', ['publish', t.file, '--access', 'public', '--tag', 'latest'], { cwd: scratch, env: npmEnv });
  });

  const work = join(scratch, 'work');
  mkdirSync(work);
  for (const kind of kinds) {
    const name = `my-${kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    const dir = join(work, name);
    const project = { kind, name };
    await step(`${kind}: npm create ocm-plugin@latest ${name} -- --kind ${kind} --yes`, () =>
      run('npm', ['create', 'ocm-plugin@latest', name, '--', '--kind', kind, '--yes'], { cwd: work, env: npmEnv }),
    );
    await step(`${kind}: npm install`, () => run('npm', ['install'], { cwd: dir, env: npmEnv }));
    // The kit supports Node.js 20.19+: a dependency it brings in must too. (The generated project's own `engines`
    // follows the LTS lines of the day, which may be newer than the Node.js running this.)
    const unsupported = badEngines(lastOutput, name);
    if (unsupported.length > 0)
      throw new RehearsalError(
        `${kind}: npm install on Node.js ${process.version} warns that ${unsupported.join(', ')} do not support it (EBADENGINE); pin a version that does`,
      );
    await step(`${kind}: npm test`, () => run('npm', ['test'], { cwd: dir, env: npmEnv }));
    const built = await step(`${kind}: npm run build -- --targets host`, () =>
      run('npm', ['run', '--silent', 'build', '--', '--targets', 'host'], { cwd: dir, env: npmEnv, capture: true }),
    );
    project.executable = built
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.includes(`${name}-`) && existsSync(resolve(dir, l)));
    if (!project.executable) throw new RehearsalError(`${kind}: \`npm run build -- --targets host\` named no executable:\n${built}`);
    project.executable = resolve(dir, project.executable);
    project.executableSize = statSync(project.executable).size;
    const tree = JSON.parse(run('npm', ['ls', '--omit=dev', '--all', '--json'], { cwd: dir, env: npmEnv, capture: true }));
    const names = new Set();
    const leaks = [];
    const viaFastify = new Set();
    const walk = (deps, path) => {
      for (const [n, d] of Object.entries(deps ?? {})) {
        names.add(n);
        const here = [...path, n];
        if (TOOLING_ONLY.includes(n)) {
          if (here.includes('fastify')) viaFastify.add(here.join(' > '));
          else leaks.push(here.join(' > '));
        }
        walk(d.dependencies, here);
      }
    };
    walk(tree.dependencies, []);
    if (leaks.length > 0)
      throw new RehearsalError(
        `${kind}: the production dependency tree holds build tooling (npm ls --omit=dev --all): ${leaks.join('; ')}; it belongs to @ocm-plugin-kit/tooling`,
      );
    // fastify lists ajv for route schemas; the server gives it none, so ajv is installed but never loaded.
    project.onlyThroughFastify = [...viaFastify];
    const paths = run('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: dir, env: npmEnv, capture: true })
      .split('\n')
      .filter((p) => p && p !== dir);
    project.productionPackages = names.size;
    project.productionSize = [...new Set(paths)].reduce((n, p) => n + (existsSync(p) ? dirSize(p) - nestedModules(p) : 0), 0);
    summary.projects.push(project);
  }

  const input = summary.projects.find((p) => p.kind === 'inputRepository');
  const ocm = findOcm();
  if (!input) {
    say('no inputRepository project: the real `ocm` command is not run');
  } else if (!ocm) {
    const why = 'no ocm CLI (npm run setup installs it; or set OCM_CLI)';
    if (STRICT) throw new RehearsalError(`${why}; CI runs the real command`);
    say(`skipped the real \`ocm\` command: ${why}`);
    summary.ocm = { skipped: why };
  } else {
    summary.ocm = await step(`${input.name}: ocm add cv with the built executable, ocm download resource`, () =>
      realCommand(ocm, input, join(work, input.name)),
    );
  }
}

/** Removes the `npm exec` installs (`<cache>/_npx/<hash>/`) that hold the given package. */
function forgetNpxInstalls(cache, name) {
  const npx = join(cache, '_npx');
  if (!existsSync(npx)) return;
  for (const hash of readdirSync(npx)) {
    if (existsSync(join(npx, hash, 'node_modules', name, 'package.json'))) rmSync(join(npx, hash), { recursive: true, force: true });
  }
}

/** Bytes of the nested node_modules of a package directory (counted as packages of their own). */
function nestedModules(dir) {
  const nm = join(dir, 'node_modules');
  return existsSync(nm) ? dirSize(nm) : 0;
}

function realCommand(ocm, project, dir) {
  const home = join(scratch, 'ocm');
  const plugins = join(home, 'plugins');
  mkdirSync(plugins, { recursive: true });
  mkdirSync(join(home, 'home'));
  const installed = join(plugins, project.name);
  copyFileSync(project.executable, installed);
  chmodSync(installed, 0o755);
  const samples = parseYaml(readFileSync(join(dir, 'conformance.samples.yaml'), 'utf8'));
  const sample = samples.samples.find((s) => s.endpoint === 'processResource' && s.expect !== 'error');
  if (!sample) throw new RehearsalError(`${project.name}: conformance.samples.yaml has no processResource sample to build a component from`);
  const resource = sample.request.resource;
  writeFileSync(
    join(home, 'constructor.yaml'),
    JSON.stringify({ name: 'acme.org/rehearsal', version: '1.0.0', provider: { name: 'acme.org' }, resources: [resource] }, null, 2),
  );
  const env = { PATH: process.env.PATH, HOME: join(home, 'home'), TMPDIR: tmpdir() };
  const ocmRun = (...args) => run(ocm, [...args, '--plugin-directory', plugins], { cwd: home, env, capture: true });
  ocmRun('add', 'cv', '--repository', 'ctf::./ctf', '--constructor', './constructor.yaml');
  ocmRun('download', 'resource', 'ctf::./ctf//acme.org/rehearsal:1.0.0', '--identity', `name=${resource.name}`, '--output', './downloaded');
  const got = readFileSync(join(home, 'downloaded'), 'utf8');
  const want = resource.input.text;
  if (typeof want === 'string' && got !== want)
    throw new RehearsalError(`${project.name}: ocm download resource returned ${JSON.stringify(got)}, the input plugin was given ${JSON.stringify(want)}`);
  return { command: 'ocm add cv; ocm download resource', blob: got };
}

function stopRegistry() {
  if (registry && registry.exitCode === null) registry.kill('SIGTERM');
}
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    stopRegistry();
    process.exit(130);
  });
}

let failed;
try {
  await main();
} catch (err) {
  failed = err;
} finally {
  stopRegistry();
  if (!opts.keep) rmSync(scratch, { recursive: true, force: true });
  else say(`kept ${scratch}`);
}

summary.seconds = (Date.now() - t0) / 1000;
if (opts.json) writeFileSync(opts.json, `${JSON.stringify(summary, null, 2)}\n`);
const lines = ['', 'release rehearsal'];
for (const t of summary.tarballs) lines.push(`  tarball ${t.name}@${t.version}: ${kib(t.size)} (${kib(t.unpackedSize)} unpacked, ${t.entries} files)`);
for (const p of summary.projects) {
  lines.push(`  ${p.name}: production tree ${p.productionPackages} packages, ${mib(p.productionSize)}; executable ${mib(p.executableSize)}`);
  if (p.onlyThroughFastify.length > 0) lines.push(`    installed only as fastify's (never loaded): ${p.onlyThroughFastify.join('; ')}`);
}
if (summary.ocm) lines.push(`  real ocm: ${summary.ocm.skipped ? `skipped: ${summary.ocm.skipped}` : summary.ocm.command}`);
for (const s of steps) lines.push(`  ${s.seconds.toFixed(1).padStart(6)} s  ${s.name}`);
lines.push(`  ${summary.seconds.toFixed(1).padStart(6)} s  in all`);
process.stderr.write(`${lines.join('\n')}\n`);
if (failed) {
  process.stderr.write(`\nrehearsal failed: ${failed instanceof RehearsalError ? failed.message : (failed.stack ?? failed)}\n`);
  process.exit(1);
}
