/**
 * The author's inner loop with real processes: `ocm-plugin dev install` puts a launcher into a plugin directory, the
 * reference host starts it, a source edit makes the serving plugin finish its work and exit, and the host's next
 * use runs the edited code, with no rebuild or restart by hand. Projects are temp copies; examples stay untouched.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createServer } from 'node:net';
import { WebSocket } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { startPlugin } from '../../../scripts/plugin-process.js';
import { ReferenceHost } from '../../../conformance/src/host/index.js';
import { ocmWorkspace } from '../../../scripts/ocm-cli.js';
import { toolOrSkip } from '../../../scripts/tools.js';
import { inputRepositoryContract } from '@ocm-plugin-kit/sdk/contracts';
import { readLauncher } from '../../src/dev/install.js';
import { ROOT, copyProject, dev, within } from './support.js';

const DIR_TARBALL = 'DirTarball.examples.ocmkit.dev/v1';
const SLOW = 'Slow.test.ocmkit.dev/v1';

const hosts: ReferenceHost[] = [];
afterEach(async () => {
  for (const h of hosts.splice(0)) await h.shutdown();
});

async function load(pluginDir: string): Promise<ReferenceHost> {
  const host = await ReferenceHost.load(pluginDir);
  hosts.push(host);
  return host;
}

describe('ocm-plugin dev: run from source, exit on change, next start runs the new code', () => {
  it('dir-tarball example: the reference host sees an edited spec default after the plugin exits by itself', async () => {
    const p = copyProject(join(ROOT, 'examples/input-dir-tarball'));
    const installed = await dev(['install', join(p.dir, 'src/main.ts'), '--plugin-dir', p.pluginDir, '--cache-dir', p.cacheDir]);
    expect(installed.code, installed.err).toBe(0);
    // The id comes from package.json `bin`; the launcher is extension-less and executable.
    const launcher = join(p.pluginDir, 'dir-tarball');
    expect(statSync(launcher).mode & 0o111).toBe(0o111);
    expect(readLauncher(launcher)).toBeDefined();

    mkdirSync(join(p.dir, 'data'));
    writeFileSync(join(p.dir, 'data/a.txt'), 'a\n');
    const host = await load(p.pluginDir);
    const client = host.client(inputRepositoryContract, { type: DIR_TARBALL });
    const request = { resource: { name: 'data', version: '1.0.0', type: 'blob', relation: 'local', input: { type: DIR_TARBALL, path: join(p.dir, 'data') } } };
    const first = (await client.processResource(request)) as { location: { mediaType: string } };
    expect(first.location.mediaType).toBe('application/vnd.ocmkit.dir.v1.tar+gzip');
    const instance = await host.instance('dir-tarball');

    p.edit('src/spec.ts', "default('application/vnd.ocmkit.dir.v1.tar+gzip')", "default('application/vnd.ocmkit.dir.v2.tar+gzip')");
    const exit = await within(instance.exit, 10_000, 'the plugin exiting after its source changed');
    expect(exit.code).toBe(0);
    expect(instance.logs.map((l) => l.msg).join('\n')).toContain('source changed');

    const second = (await client.processResource(request)) as { location: { mediaType: string } };
    expect(second.location.mediaType).toBe('application/vnd.ocmkit.dir.v2.tar+gzip');
    expect(host.starts('dir-tarball')).toBe(2);
    // The rebuilt bundle also answers `capabilities` with the new schema (what the next ocm command reads).
    const caps = spawnSync(launcher, ['capabilities'], { encoding: 'utf8' });
    expect(caps.status).toBe(0);
    expect(caps.stderr).toBe('');
    expect(Buffer.from(JSON.parse(caps.stdout).capabilities[0].supportedInputTypes[0].jsonSchema, 'base64').toString()).toContain('dir.v2.tar+gzip');
  });

  it('lets an in-flight request finish with the old code, then exits; the next start answers with the new code', async () => {
    const p = copyProject(join(ROOT, 'tooling/test/dev/fixtures/slow-input'));
    const installed = await dev([
      'install',
      join(p.dir, 'src/main.ts'),
      '--id',
      'slow-input',
      '--plugin-dir',
      p.pluginDir,
      '--cache-dir',
      p.cacheDir,
      '--quiet-ms',
      '1000',
    ]);
    expect(installed.code, installed.err).toBe(0);
    const host = await load(p.pluginDir);
    const client = host.client(inputRepositoryContract, { type: SLOW });
    const call = (delayMs: number) =>
      client.processResource({ resource: { name: 'x', version: '1', type: 'blob', input: { type: SLOW, delayMs } } }) as Promise<{
        location: { value: string; mediaType: string };
      }>;

    await call(0); // started
    const instance = await host.instance('slow-input');
    const slow = call(1500);
    await new Promise((r) => setTimeout(r, 300));
    p.edit('src/version.ts', "'answer-1'", "'answer-2'");
    const answered = await slow;
    expect(answered.location.mediaType).toBe('text/x-answer-1');
    expect(readFileSync(answered.location.value, 'utf8')).toBe('answer-1');
    // Still serving when the answer arrived: it stops only after a quiet period with nothing in flight.
    expect(instance.running).toBe(true);
    const exit = await within(instance.exit, 10_000, 'the plugin exiting once the in-flight request was answered');
    expect(exit.code).toBe(0);

    const next = await call(0);
    expect(next.location.mediaType).toBe('text/x-answer-2');
    expect(host.starts('slow-input')).toBe(2);
  });

  it('reports a compile error on the next start, names the file, and recovers when it is fixed', async () => {
    const p = copyProject(join(ROOT, 'tooling/test/dev/fixtures/slow-input'));
    expect((await dev(['install', join(p.dir, 'src/main.ts'), '--plugin-dir', p.pluginDir, '--cache-dir', p.cacheDir])).code).toBe(0);
    const launcher = join(p.pluginDir, 'slow-input');
    p.edit('src/version.ts', "'answer-1';", "'answer-1'; export const = ;");
    const broken = spawnSync(launcher, ['capabilities'], { encoding: 'utf8' });
    expect(broken.status).toBe(1);
    expect(broken.stdout).toBe('');
    expect(broken.stderr).toContain('plugin slow-input');
    expect(broken.stderr).toMatch(/version\.ts:\d+:\d+/);
    expect(broken.stderr).toContain('ocm-plugin dev uninstall');
    p.edit('src/version.ts', "'answer-1'; export const = ;", "'answer-3';");
    const fixed = spawnSync(launcher, ['capabilities'], { encoding: 'utf8' });
    expect(fixed.status, fixed.stderr).toBe(0);
  });

  it('does not rebuild when nothing changed, and capabilities stays silent', async () => {
    const p = copyProject(join(ROOT, 'tooling/test/dev/fixtures/slow-input'));
    expect((await dev(['install', join(p.dir, 'src/main.ts'), '--plugin-dir', p.pluginDir, '--cache-dir', p.cacheDir])).code).toBe(0);
    const record = join(p.cacheDir, 'build.json');
    const before = statSync(record).mtimeMs;
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      const r = spawnSync(join(p.pluginDir, 'slow-input'), ['capabilities'], { encoding: 'utf8', cwd: '/', env: { PATH: process.env.PATH } });
      times.push(performance.now() - t);
      expect(r.status).toBe(0);
      expect(r.stderr).toBe('');
      expect(JSON.parse(r.stdout).capabilities[0].type).toBe('inputRepository');
    }
    expect(statSync(record).mtimeMs).toBe(before);
    times.sort((a, b) => a - b);
    console.log(`dev launcher \`capabilities\` from cache: median ${times[2]!.toFixed(0)} ms (min ${times[0]!.toFixed(0)}, max ${times[4]!.toFixed(0)})`);
  });

  it('answers capabilities without Node.js while the sources are unchanged, and from Node.js after an edit', async () => {
    const p = copyProject(join(ROOT, 'tooling/test/dev/fixtures/slow-input'));
    expect((await dev(['install', join(p.dir, 'src/main.ts'), '--plugin-dir', p.pluginDir, '--cache-dir', p.cacheDir])).code).toBe(0);
    const launcher = join(p.pluginDir, 'slow-input');
    const fromNode = spawnSync(process.execPath, [join(p.cacheDir, 'launch.cjs'), join(p.cacheDir, 'dev.json'), 'capabilities'], { encoding: 'utf8' });
    expect(fromNode.status, fromNode.stderr).toBe(0);
    // NODE_OPTIONS Node.js refuses: only an answer that never starts Node.js succeeds, and it is byte for byte the same.
    const noNode = { PATH: process.env.PATH, NODE_OPTIONS: '--no-such-option' };
    const cached = spawnSync(launcher, ['capabilities'], { encoding: 'utf8', env: noNode });
    expect(cached.status, cached.stderr).toBe(0);
    expect(cached.stdout).toBe(fromNode.stdout);
    // Any other arguments still go to Node.js.
    expect(spawnSync(launcher, ['capabilities', 'x'], { encoding: 'utf8', env: noNode }).status).not.toBe(0);

    p.edit('src/version.ts', "'answer-1'", "'answer-2'");
    expect(spawnSync(launcher, ['capabilities'], { encoding: 'utf8', env: noNode }).status).not.toBe(0);
    // The start that rebuilds does not cache (an edit may race the build); the next one does.
    for (let i = 0; i < 2; i++) {
      const r = spawnSync(launcher, ['capabilities'], { encoding: 'utf8' });
      expect(r.status, r.stderr).toBe(0);
    }
    expect(spawnSync(launcher, ['capabilities'], { encoding: 'utf8', env: noNode }).status).toBe(0);
    // A file the build looked for and did not find is watched through its directory.
    writeFileSync(join(p.dir, 'tsconfig.json'), '{}\n');
    expect(spawnSync(launcher, ['capabilities'], { encoding: 'utf8', env: noNode }).status).not.toBe(0);
  });

  it('uninstall removes only its own launcher and the cache; install refuses to overwrite a real plugin', async () => {
    const p = copyProject(join(ROOT, 'tooling/test/dev/fixtures/slow-input'));
    writeFileSync(join(p.pluginDir, 'other'), '#!/bin/sh\n', { mode: 0o755 });
    const refused = await dev(['install', join(p.dir, 'src/main.ts'), '--id', 'other', '--plugin-dir', p.pluginDir, '--cache-dir', p.cacheDir]);
    expect(refused.code).not.toBe(0);
    const notOurs = await dev(['uninstall', '--id', 'other', '--plugin-dir', p.pluginDir]);
    expect(notOurs.code).not.toBe(0);
    expect(existsSync(join(p.pluginDir, 'other'))).toBe(true);

    // Default cache: under the nearest node_modules, named by id and a hash of the entry path.
    expect((await dev(['install', join(p.dir, 'src/main.ts'), '--plugin-dir', p.pluginDir])).code).toBe(0);
    const { devJson } = readLauncher(join(p.pluginDir, 'slow-input'))!;
    expect(devJson).toMatch(/node_modules\/\.cache\/ocm-plugin-dev\/slow-input-[0-9a-f]{8}\/dev\.json$/);
    const removed = await dev(['uninstall', '--id', 'slow-input', '--plugin-dir', p.pluginDir]);
    expect(removed.code, removed.err).toBe(0);
    expect(existsSync(join(p.pluginDir, 'slow-input'))).toBe(false);
    expect(existsSync(devJson)).toBe(false);
  });
});

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

describe('ocm-plugin dev --inspect', () => {
  it('--inspect-brk: the plugin prints its location, then waits for a debugger before serving; attaching releases it', async () => {
    const p = copyProject(join(ROOT, 'tooling/test/dev/fixtures/slow-input'));
    const port = await freePort();
    const installed = await dev(['install', join(p.dir, 'src/main.ts'), '--plugin-dir', p.pluginDir, '--cache-dir', p.cacheDir, `--inspect-brk=${port}`]);
    expect(installed.code, installed.err).toBe(0);
    const attach = JSON.parse(installed.out.slice(installed.out.indexOf('{'))) as Record<string, unknown>;
    expect(attach).toMatchObject({ type: 'node', request: 'attach', port, restart: true, name: 'Attach to OCM plugin slow-input' });
    // `capabilities` never opens the inspector or waits.
    const caps = spawnSync(join(p.pluginDir, 'slow-input'), ['capabilities'], { encoding: 'utf8', timeout: 10_000 });
    expect(caps.status).toBe(0);
    expect(caps.stderr).toBe('');

    const plugin = await startPlugin(join(p.pluginDir, 'slow-input'), { id: 'slow-input' });
    try {
      const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as Array<{ webSocketDebuggerUrl: string }>;
      expect(targets).toHaveLength(1);
      const health = plugin.request('GET', '/healthz');
      const early = await Promise.race([health.then(() => 'answered'), new Promise((r) => setTimeout(() => r('waiting'), 800))]);
      expect(early).toBe('waiting');
      expect(plugin.stderr()).toContain('waiting for a debugger');

      const ws = new WebSocket(targets[0]!.webSocketDebuggerUrl);
      await new Promise((resolve, reject) => {
        ws.addEventListener('open', resolve);
        ws.addEventListener('error', reject);
      });
      ws.send(JSON.stringify({ id: 1, method: 'Runtime.runIfWaitingForDebugger' }));
      expect((await within(health, 5_000, 'GET /healthz after the debugger attached')).status).toBe(200);
      ws.close();
    } finally {
      plugin.kill('SIGINT');
      await plugin.exited;
    }
  });

  it('--inspect: serves at once with the inspector open', async () => {
    const p = copyProject(join(ROOT, 'tooling/test/dev/fixtures/slow-input'));
    const port = await freePort();
    expect(
      (await dev(['install', join(p.dir, 'src/main.ts'), '--plugin-dir', p.pluginDir, '--cache-dir', p.cacheDir, `--inspect=127.0.0.1:${port}`])).code,
    ).toBe(0);
    const plugin = await startPlugin(join(p.pluginDir, 'slow-input'), { id: 'slow-input' });
    try {
      expect((await within(plugin.request('GET', '/healthz'), 5_000, 'GET /healthz')).status).toBe(200);
      const targets = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as unknown[];
      expect(targets).toHaveLength(1);
    } finally {
      plugin.kill('SIGINT');
      await plugin.exited;
    }
  });
});

const ocm = toolOrSkip('ocmCli', 'dev launcher inside the real ocm CLI');

describe.skipIf(!ocm)('ocm-plugin dev with the real ocm CLI', { tags: ['ocm-cli'] }, () => {
  it('the next `ocm add cv` runs the edited source, with no rebuild or restart by hand', async () => {
    const p = copyProject(join(ROOT, 'examples/input-dir-tarball'));
    const ws = ocmWorkspace(ocm!);
    const installed = await dev(['install', join(p.dir, 'src/main.ts'), '--plugin-dir', ws.pluginDir, '--cache-dir', p.cacheDir]);
    expect(installed.code, installed.err).toBe(0);
    mkdirSync(join(ws.dir, 'bundle'));
    writeFileSync(join(ws.dir, 'bundle/app.yaml'), 'replicas: 3\n');
    const addAndGet = (version: string) => {
      ws.write(
        'constructor.yaml',
        `name: acme.org/dev-loop\nversion: ${version}\nprovider:\n  name: acme.org\nresources:\n  - name: config\n    type: blob\n    input:\n      type: ${DIR_TARBALL}\n      path: ./bundle\n`,
      );
      const add = ws.run(['add', 'cv', '--repository', 'ctf::./ctf', '--constructor', './constructor.yaml']);
      expect(add.status, add.stderr).toBe(0);
      const get = ws.run(['get', 'cv', `ctf::./ctf//acme.org/dev-loop:${version}`, '-o', 'json']);
      expect(get.status, get.stderr).toBe(0);
      const [descriptor] = JSON.parse(get.stdout) as Array<{ component: { resources: Array<{ access: { mediaType: string } }> } }>;
      return descriptor!.component.resources[0]!.access.mediaType;
    };
    expect(addAndGet('1.0.0')).toBe('application/vnd.ocmkit.dir.v1.tar+gzip');
    p.edit('src/spec.ts', "default('application/vnd.ocmkit.dir.v1.tar+gzip')", "default('application/vnd.ocmkit.dir.v2.tar+gzip')");
    expect(addAndGet('1.0.1')).toBe('application/vnd.ocmkit.dir.v2.tar+gzip');
  });
});
