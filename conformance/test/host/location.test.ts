/** How the location line is read: io.MultiReader(stdout, stderr) semantics, skipped lines, the timeout. */
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PluginInstance } from '../../src/host/process.js';

const dir = mkdtempSync(join(tmpdir(), 'location-'));

/** Writes an executable CommonJS script that serves /healthz on a private socket and prints its location via `print`. */
function script(name: string, print: string): string {
  const path = join(dir, name);
  writeFileSync(
    path,
    `#!/usr/bin/env node
const http = require('node:http'); const fs = require('node:fs'); const path = require('node:path'); const os = require('node:os');
const sock = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'loc-')), 's.sock');
const server = http.createServer((req, res) => res.end());
process.on('SIGINT', () => { server.close(); fs.rmSync(path.dirname(sock), { recursive: true, force: true }); process.exit(0); });
server.listen(sock, () => { const location = 'http+unix://' + sock + '\\n'; ${print} });
`,
  );
  chmodSync(path, 0o755);
  return path;
}

describe('location line', () => {
  it('skips stdout lines with an unknown scheme and takes the first http+unix:// line', async () => {
    const inst = await PluginInstance.launch({ id: 'noisy', path: script('noisy.cjs', `process.stdout.write('booting\\n[::]:1234\\n' + location);`) });
    expect(inst.location).toMatch(/^http\+unix:\/\/\/.*s\.sock$/);
    expect(inst.skippedLines).toEqual(['booting', '[::]:1234']);
    expect(inst.locationFrom).toBe('stdout');
    await inst.shutdown(5000);
  });

  it('reads stderr only after stdout is closed (io.MultiReader)', async () => {
    const inst = await PluginInstance.launch({
      id: 'stderr',
      path: script('stderr.cjs', `fs.closeSync(1); process.stderr.write('{"level":"INFO","msg":"x"}\\n' + location);`),
    });
    expect(inst.locationFrom).toBe('stderr');
    expect(inst.socketPath).toMatch(/s\.sock$/);
    await inst.shutdown(5000);
  });

  it('does not see a location on stderr while stdout stays open, and times out like the manager', async () => {
    const err = await PluginInstance.launch({ id: 'stuck', path: script('stuck.cjs', `process.stderr.write(location);`), locationTimeoutMs: 800 }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/plugin stuck: timed out waiting for server to start/);
    expect(err?.message).toMatch(/killed by SIGKILL/);
    expect(err?.message).toContain('http+unix://');
  });

  it('shutdown: SIGINT, then SIGKILL when the plugin ignores it past the wait', async () => {
    const path = script(
      'stubborn.cjs',
      `process.removeAllListeners('SIGINT'); process.on('SIGINT', () => process.stderr.write('{"level":"INFO","msg":"ignoring SIGINT"}\\n')); process.stdout.write(location);`,
    );
    const inst = await PluginInstance.launch({ id: 'stubborn', path });
    const started = performance.now();
    const exit = await inst.shutdown(500);
    expect(exit?.signal).toBe('SIGKILL');
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    expect(inst.logs.map((l) => l.msg)).toContain('ignoring SIGINT');
  });
});

describe('start (launch without throwing, for diagnostics)', () => {
  it('returns the running instance, its location time and the /healthz status', async () => {
    const { instance, error } = await PluginInstance.start({ id: 'ok', path: script('ok.cjs', 'process.stdout.write(location);') });
    expect(error).toBeUndefined();
    expect(instance.healthStatus).toBe(200);
    expect(instance.locationMs).toBeGreaterThan(0);
    expect(instance.running).toBe(true);
    await instance.shutdown(5000);
    await instance.close();
  });

  it('keeps what a plugin that exits early left: exit, stderr, and that it ended by itself', async () => {
    const path = join(dir, 'crash.cjs');
    writeFileSync(path, "#!/usr/bin/env node\nprocess.stderr.write('no config\\n'); process.exit(3);\n", { mode: 0o755 });
    const { instance, error, exitedFirst } = await PluginInstance.start({ id: 'crash', path });
    expect(error?.reason).toMatch(/exited before printing a location line/);
    expect(exitedFirst).toBe(true);
    expect(instance.location).toBe('');
    expect(instance.exitInfo?.code).toBe(3);
    expect(instance.stderr).toBe('no config\n');
  });

  it('names the spawn error of a file that cannot be executed', async () => {
    const path = join(dir, 'no-interpreter');
    writeFileSync(path, '#!/nonexistent/interpreter\n', { mode: 0o755 });
    const { instance, error } = await PluginInstance.start({ id: 'none', path });
    expect(error).toBeDefined();
    expect(instance.spawnError?.code).toBe('ENOENT');
  });

  it('a plugin that never answers /healthz: the location is kept, the failure is the health check', async () => {
    const path = join(dir, 'deaf.cjs');
    writeFileSync(path, "#!/usr/bin/env node\nprocess.stdout.write('http://127.0.0.1:9\\n'); setInterval(() => {}, 1000);\n", { mode: 0o755 });
    const { instance, error, exitedFirst } = await PluginInstance.start({ id: 'deaf', path, healthTimeoutMs: 300 });
    expect(instance.location).toBe('http://127.0.0.1:9');
    expect(error?.reason).toMatch(/no HTTP answer on http:\/\/127\.0\.0\.1:9/);
    expect(exitedFirst).toBe(false);
    expect(instance.running).toBe(false);
    await instance.close();
  });
});
