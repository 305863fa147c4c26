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
    const inst = await PluginInstance.launch({ id: 'stderr', path: script('stderr.cjs', `fs.closeSync(1); process.stderr.write('{"level":"INFO","msg":"x"}\\n' + location);`) });
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
    const path = script('stubborn.cjs', `process.removeAllListeners('SIGINT'); process.on('SIGINT', () => process.stderr.write('{"level":"INFO","msg":"ignoring SIGINT"}\\n')); process.stdout.write(location);`);
    const inst = await PluginInstance.launch({ id: 'stubborn', path });
    const started = performance.now();
    const exit = await inst.shutdown(500);
    expect(exit?.signal).toBe('SIGKILL');
    expect(performance.now() - started).toBeGreaterThanOrEqual(450);
    expect(inst.logs.map((l) => l.msg)).toContain('ignoring SIGINT');
  });
});
