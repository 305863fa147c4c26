/** Real-process lifecycle: the plugin started exactly as the OCM plugin manager starts it. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { managerConfig, startPlugin } from '../../scripts/plugin-process.js';
import { bundleFixture } from './support.js';

const TYPE = 'Lifecycle.test.ocmkit.dev/v1';
const processBody = (input: Record<string, unknown>) => ({ resource: { name: 'r', version: '1.0.0', type: 'blob', input: { type: TYPE, ...input } } });
const socketOf = (location: string) => location.replace('http+unix://', '');

let exe: string;
beforeAll(async () => {
  exe = await bundleFixture('lifecycle-plugin');
});

describe('capabilities', () => {
  it('prints only the handshake, exits 0 and does not load the HTTP stack', () => {
    const probe = join(mkdtempSync(join(tmpdir(), 'probe-')), 'probe.cjs');
    writeFileSync(
      probe,
      "process.on('exit', () => process.stderr.write(process.moduleLoadList.includes('NativeModule http') ? 'HTTP-LOADED' : 'HTTP-NOT-LOADED'));\n",
    );
    const run = spawnSync(process.execPath, ['--require', probe, exe, 'capabilities'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('HTTP-NOT-LOADED');
    expect(run.stdout.endsWith('}\n')).toBe(true);
    expect(run.stdout.split('\n')).toHaveLength(2);
    const doc = JSON.parse(run.stdout) as {
      capabilities: Array<{ type: string; supportedInputTypes: Array<{ type: string; aliases: null; jsonSchema: string }> }>;
    };
    expect(Object.keys(doc)).toEqual(['capabilities']);
    expect(doc.capabilities[0]?.type).toBe('inputRepository');
    const entry = doc.capabilities[0]?.supportedInputTypes[0];
    expect(entry?.type).toBe(TYPE);
    expect(entry?.aliases).toBeNull();
    const schema = JSON.parse(Buffer.from(entry!.jsonSchema, 'base64').toString('utf8')) as Record<string, unknown>;
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
  });

  it('rejects unknown arguments and a missing --config value with a usage message', () => {
    const bad = spawnSync(exe, ['serve'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('This program is an OCM plugin');
    const missing = spawnSync(exe, ['--config'], { encoding: 'utf8' });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('missing --config');
  });
});

describe('--config', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['not JSON', '{id:', /invalid --config: not JSON/],
    ['empty id', '{"id":"","type":"unix","idleTimeout":1}', /id: id must name the plugin/],
    ['idleTimeout as a duration string', '{"id":"x","type":"unix","idleTimeout":"1h"}', /idleTimeout: idleTimeout must be a number of nanoseconds/],
    ['fractional idleTimeout', '{"id":"x","type":"unix","idleTimeout":1.5}', /integer number of nanoseconds/],
    ['unknown connection type', '{"id":"x","type":"quic"}', /type must be "unix" or "tcp"/],
  ];
  it.each(cases)('exits non-zero on %s, says what is wrong, prints nothing on stdout', (_name, config, message) => {
    const run = spawnSync(exe, ['--config', config], { encoding: 'utf8', timeout: 10_000 });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    const line = JSON.parse(run.stderr.trim().split('\n').pop()!) as { level: string; msg: string };
    expect(line.level).toBe('ERROR');
    expect(line.msg).toMatch(message);
  });

  it('accepts --config=<json>, ignores unknown fields and takes configTypes', async () => {
    const p = await startPlugin(exe, { rawConfig: '', id: 'x' }).catch(() => undefined);
    expect(p).toBeUndefined();
    const run = spawnSync(exe, [`--config=${managerConfig('eq', 'unix', 1_000_000, { future: true, configTypes: [{ type: 'custom.config/v1', a: '1' }] })}`], {
      encoding: 'utf8',
      timeout: 10_000,
    });
    expect(run.status).toBe(0); // idles out after 1 ms
    expect(run.stdout).toMatch(/^http\+unix:\/\/\/.+\/plugin\.sock\n$/);
  });
});

describe('serving', () => {
  it('prints one location line for a private socket, serves /healthz, and exits on SIGINT removing the socket', async () => {
    const p = await startPlugin(exe, { id: 'lifecycle' });
    const sock = socketOf(p.location);
    expect(p.location).toMatch(/^http\+unix:\/\/\//);
    expect(statSync(dirname(sock)).mode & 0o777).toBe(0o700);
    expect(statSync(sock).isSocket()).toBe(true);
    expect((await p.request('GET', '/healthz')).status).toBe(200);
    expect((await p.request('HEAD', '/healthz')).status).toBe(200);
    const post = await p.request('POST', '/healthz', { body: {} });
    expect(post.status).toBe(405);
    p.kill('SIGINT');
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(dirname(sock))).toBe(false);
    expect(p.stdout()).toBe(`${p.location}\n`);
  });

  it('serves without loading the HTTPS, HTTP/2, DNS and crypto modules that a plugin serving requests without hashing never uses', async () => {
    const probe = join(mkdtempSync(join(tmpdir(), 'probe-')), 'probe.cjs');
    const watched = ['https', 'http2', 'dns', 'crypto', 'worker_threads'];
    writeFileSync(
      probe,
      `process.on('exit', () => process.stderr.write('LOADED ' + JSON.stringify(${JSON.stringify(watched)}.filter((m) => process.moduleLoadList.includes('NativeModule ' + m))) + '\\n'));\n`,
    );
    for (const type of ['unix', 'tcp'] as const) {
      const p = await startPlugin(exe, { id: 'lifecycle', type, env: { NODE_OPTIONS: `--require ${probe}` } });
      expect((await p.request('GET', '/healthz')).status).toBe(200);
      expect((await p.request('POST', '/resource/process', { body: processBody({}) })).status).toBe(200);
      p.kill('SIGINT');
      expect((await p.exited).code).toBe(0);
      // worker_threads: pino's tools read isMainThread from it; dns: Node's own net resolves a TCP listen host.
      expect(p.stderr()).toContain(type === 'tcp' ? 'LOADED ["dns","worker_threads"]' : 'LOADED ["worker_threads"]');
    }
  });

  it('listens on 127.0.0.1 for type tcp', async () => {
    const p = await startPlugin(exe, { id: 'lifecycle', type: 'tcp' });
    expect(p.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect((await p.request('GET', '/healthz')).status).toBe(200);
    p.kill('SIGTERM');
    expect((await p.exited).code).toBe(0);
  });

  it('exits by itself after the idle timeout, removing socket and blob files', async () => {
    const p = await startPlugin(exe, { id: 'lifecycle', idleTimeoutNs: 800_000_000 });
    const res = await p.request('POST', '/resource/process', { body: processBody({}) });
    expect(res.status).toBe(200);
    const blob = (JSON.parse(res.body) as { location: { value: string } }).location.value;
    expect(readFileSync(blob, 'utf8')).toBe('resource r');
    const started = Date.now();
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    expect(existsSync(socketOf(p.location))).toBe(false);
    expect(existsSync(blob)).toBe(false);
    expect(p.logs().map((l) => l.msg)).toContain('idle check timer expired for plugin');
  });

  it('never idles out while a request is in flight', async () => {
    const p = await startPlugin(exe, { id: 'lifecycle', idleTimeoutNs: 600_000_000 });
    const res = await p.request('POST', '/resource/process', { body: processBody({ sleepMs: 1800 }) });
    expect(res.status).toBe(200);
    expect((await p.exited).code).toBe(0);
  });

  it('finishes the in-flight request on SIGINT, then exits 0', async () => {
    const p = await startPlugin(exe, { id: 'lifecycle' });
    const pending = p.request('POST', '/resource/process', { body: processBody({ sleepMs: 1200 }) });
    await new Promise((r) => setTimeout(r, 300));
    p.kill('SIGINT');
    const res = await pending;
    expect(res.status).toBe(200);
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(socketOf(p.location))).toBe(false);
  });

  it('starts cleanly after a predecessor was killed with SIGKILL, sweeping its stale socket directory', async () => {
    const first = await startPlugin(exe, { id: 'stale-test' });
    first.kill('SIGKILL');
    await first.exited;
    const staleDir = dirname(socketOf(first.location));
    expect(existsSync(staleDir)).toBe(true);
    const second = await startPlugin(exe, { id: 'stale-test' });
    expect((await second.request('GET', '/healthz')).status).toBe(200);
    // The sweep runs after the location line, off the start-up path.
    await expect.poll(() => existsSync(staleDir), { timeout: 5_000 }).toBe(false);
    second.kill();
    await second.exited;
  });

  it('runs two instances of the same plugin id at once on different sockets', async () => {
    const [a, b] = await Promise.all([startPlugin(exe, { id: 'twin' }), startPlugin(exe, { id: 'twin' })]);
    expect(a.location).not.toBe(b.location);
    const [ra, rb] = await Promise.all([
      a.request('POST', '/resource/process', { body: processBody({ sleepMs: 200 }) }),
      b.request('POST', '/resource/process', { body: processBody({ sleepMs: 200 }) }),
    ]);
    expect([ra.status, rb.status]).toEqual([200, 200]);
    a.kill();
    b.kill();
    await Promise.all([a.exited, b.exited]);
  });

  it('serves concurrent requests in parallel', async () => {
    const p = await startPlugin(exe, { id: 'lifecycle' });
    const started = Date.now();
    const all = await Promise.all(Array.from({ length: 8 }, () => p.request('POST', '/resource/process', { body: processBody({ sleepMs: 700 }) })));
    expect(all.map((r) => r.status)).toEqual(Array(8).fill(200));
    expect(Date.now() - started).toBeLessThan(8 * 700);
    p.kill();
    await p.exited;
  });

  it('falls back to /tmp when TMPDIR is too long for a socket path', async () => {
    const long = join(tmpdir(), 'x'.repeat(60), 'y'.repeat(60));
    mkdirSync(long, { recursive: true });
    const p = await startPlugin(exe, { id: 'lifecycle', env: { TMPDIR: long } });
    expect(socketOf(p.location).startsWith('/tmp/ocm-')).toBe(true);
    expect(Buffer.byteLength(socketOf(p.location))).toBeLessThanOrEqual(107);
    // Signalled right after the location line, it still shuts down cleanly and removes its directory in /tmp.
    p.kill();
    expect(await p.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(dirname(socketOf(p.location)))).toBe(false);
  });

  it('shuts down on /shutdown after answering it', async () => {
    const p = await startPlugin(exe, { id: 'lifecycle' });
    expect((await p.request('POST', '/shutdown')).status).toBe(200);
    expect((await p.exited).code).toBe(0);
  });
});

describe('bad input gets a clear non-200 and the plugin keeps serving', () => {
  it('handles malformed bodies, wrong types, bad headers, unknown paths, oversized bodies and handler errors', async () => {
    const p = await startPlugin(exe, { id: 'lifecycle' });
    const cases: Array<[string, Parameters<typeof p.request>, number, RegExp]> = [
      [
        'malformed JSON',
        ['POST', '/resource/process', { body: '{"resource": ' }],
        400,
        /plugin lifecycle: POST \/resource\/process: request body is not valid JSON/,
      ],
      ['empty body', ['POST', '/resource/process', { body: '' }], 400, /request body is not valid JSON: the body is empty/],
      [
        'wrong field type',
        ['POST', '/resource/process', { body: { resource: { name: 5, type: 'blob', input: { type: TYPE } } } }],
        400,
        /invalid request: resource\.name/,
      ],
      [
        'wrong spec field type',
        ['POST', '/resource/process', { body: processBody({ sleepMs: 'soon' }) }],
        400,
        /invalid resource input of type Lifecycle\.test\.ocmkit\.dev\/v1: sleepMs/,
      ],
      [
        'undeclared type',
        ['POST', '/resource/process', { body: { resource: { name: 'r', type: 'blob', input: { type: 'Other/v1' } } } }],
        400,
        /type Other\/v1 is not served by this plugin \(it serves: Lifecycle\.test\.ocmkit\.dev\/v1\)/,
      ],
      [
        'Authorization not JSON',
        ['POST', '/resource/process', { body: processBody({}), headers: { Authorization: 'Bearer abc' } }],
        401,
        /malformed Authorization header/,
      ],
      ['Authorization an array', ['POST', '/resource/process', { body: processBody({}), headers: { Authorization: '[1]' } }], 401, /got an array/],
      ['unknown path', ['POST', '/resource/get', { body: {} }], 404, /POST \/resource\/get is not an endpoint of this plugin/],
      [
        'oversized body',
        ['POST', '/resource/process', { body: JSON.stringify(processBody({ pad: 'x'.repeat(70 * 1024) })) }],
        413,
        /larger than the 65536 bytes/,
      ],
      [
        'a path longer than the file system allows',
        ['POST', '/resource/process', { body: processBody({ readFile: '/x'.repeat(3000) }) }],
        400,
        /a name or path in the request cannot be a file name: longer than the file system allows \(ENAMETOOLONG/,
      ],
      [
        'a path with a NUL byte',
        ['POST', '/resource/process', { body: processBody({ readFile: '/tmp/a\u0000b' }) }],
        400,
        /cannot be a file name: it contains a NUL byte/,
      ],
      [
        'handler error with status',
        ['POST', '/resource/process', { body: processBody({ fail: 'the registry said no' }) }],
        422,
        /plugin lifecycle: POST \/resource\/process: the registry said no/,
      ],
    ];
    for (const [name, args, status, message] of cases) {
      const res = await p.request(...args);
      expect(res.status, name).toBe(status);
      expect(res.headers['content-type'], name).toBe('text/plain; charset=utf-8');
      expect(res.body, name).toMatch(message);
      expect(res.body.endsWith('\n'), name).toBe(true);
      expect((await p.request('GET', '/healthz')).status, `${name}: still serving`).toBe(200);
    }
    expect(p.stderr()).not.toContain('Bearer abc');
    p.kill();
    await p.exited;
  });

  it('decodes UTF-8 credentials from the Authorization header and never logs them', async () => {
    const p = await startPlugin(exe, { id: 'lifecycle', env: { OCM_PLUGIN_LOG_LEVEL: 'debug' } });
    // Go writes non-ASCII as raw UTF-8 bytes and escapes <, >, &; send exactly those bytes.
    const raw = '{"type":"Credentials/v1","properties":{"password":"pässwörd\\u003c\\u0026\\u003e","username":"ü"}}';
    const body = JSON.stringify(processBody({ echoCredentials: true }));
    const wire = Buffer.concat([
      Buffer.from(
        `POST /resource/process HTTP/1.1\r\nHost: unix\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${Buffer.byteLength(body)}\r\nAuthorization: `,
        'latin1',
      ),
      Buffer.from(raw, 'utf8'),
      Buffer.from(`\r\n\r\n${body}`, 'latin1'),
    ]);
    const response = await p.requestRaw(wire);
    expect(response.startsWith('HTTP/1.1 200'), response).toBe(true);
    const res = { body: response.slice(response.indexOf('\r\n\r\n') + 4) };
    const file = (JSON.parse(res.body) as { location: { value: string } }).location.value;
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ password: 'pässwörd<&>', username: 'ü' });
    const none = await p.request('POST', '/resource/process', { body: processBody({ echoCredentials: true }), headers: { Authorization: '{}' } });
    expect(readFileSync((JSON.parse(none.body) as { location: { value: string } }).location.value, 'utf8')).toBe('{}');
    p.kill();
    await p.exited;
    expect(p.stderr()).not.toContain('pässwörd');
    expect(p.stderr()).not.toContain('p\u00c3\u00a4ssw');
  });

  it('keeps stdout for the protocol: handler output is moved to the log', async () => {
    const p = await startPlugin(exe, { id: 'lifecycle' });
    const res = await p.request('POST', '/resource/process', { body: processBody({ consoleLog: 'oops on stdout' }) });
    expect(res.status).toBe(200);
    p.kill();
    await p.exited;
    expect(p.stdout()).toBe(`${p.location}\n`);
    const moved = p.logs().find((l) => l.level === 'WARN' && String(l.output).includes('oops on stdout'));
    expect(moved?.msg).toMatch(/stdout belongs to the OCM protocol/);
  });

  it('keeps stdout for the protocol while handler modules load on first use', async () => {
    // No newline: written straight to stdout it would merge into the location line or the next output.
    const p = await startPlugin(exe, { id: 'lifecycle', env: { LIFECYCLE_STDOUT_AT_LOAD: 'loading handlers' } });
    expect(p.location).toMatch(/^http\+unix:\/\//);
    expect((await p.request('GET', '/healthz')).status).toBe(200);
    // The first request that needs the handler loads its module.
    expect((await p.request('POST', '/resource/process', { body: processBody({}) })).status).toBe(200);
    p.kill();
    await p.exited;
    expect(p.stdout()).toBe(`${p.location}\n`);
    const moved = p.logs().find((l) => l.level === 'WARN' && l.output === 'loading handlers');
    expect(moved?.msg).toMatch(/stdout belongs to the OCM protocol/);
  });

  it('writes every stderr line as a JSON object with string level and msg the host understands', async () => {
    const p = await startPlugin(exe, { id: 'lifecycle', env: { OCM_PLUGIN_LOG_LEVEL: 'debug' } });
    await p.request('POST', '/resource/process', { body: processBody({}) });
    await p.request('POST', '/resource/process', { body: '{' });
    p.kill();
    await p.exited;
    const lines = p.stderr().split('\n').filter(Boolean);
    expect(lines.length).toBeGreaterThan(2);
    for (const line of lines) {
      const obj = JSON.parse(line) as Record<string, unknown>;
      expect(['DEBUG', 'INFO', 'WARN', 'ERROR']).toContain(obj.level);
      expect(typeof obj.msg).toBe('string');
    }
  });
});
