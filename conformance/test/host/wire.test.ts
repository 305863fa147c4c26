import { mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KINDS, type Endpoint } from '@ocm-plugin-kit/sdk/contracts';
import { authorizationFor, encodeRequest } from '../../src/host/client.js';
import { goJson, goQueryEscape, goQueryString } from '../../src/host/go.js';
import { ReferenceHost } from '../../src/host/host.js';
import { parseLogLine } from '../../src/host/logs.js';
import { managerConfigJson, parseLocationLine } from '../../src/host/process.js';
import { fixture, FIXTURE_TYPE } from '../helpers.js';

const ep = (over: Partial<Endpoint>): Endpoint => ({
  name: 'x',
  method: 'POST',
  path: '/x',
  request: KINDS.inputRepository!.endpoints[0]!.request,
  auth: 'optional',
  summary: '',
  ...over,
});

describe('wire encoding (Go conventions)', () => {
  it('encodes query strings like url.Values.Encode', () => {
    expect(goQueryEscape('ocm.software/test comp')).toBe('ocm.software%2Ftest+comp');
    expect(goQueryEscape('ä~-_.')).toBe('%C3%A4~-_.');
    expect(goQueryString({ version: '1.0.0', name: 'ocm.software/test comp', identity: 'eyJuYW1lIjoidGVzdC1yZXNvdXJjZSIsInZlcnNpb24iOiJ2MC4wLjEifQ==' })).toBe(
      'identity=eyJuYW1lIjoidGVzdC1yZXNvdXJjZSIsInZlcnNpb24iOiJ2MC4wLjEifQ%3D%3D&name=ocm.software%2Ftest+comp&version=1.0.0',
    );
  });

  it('writes JSON the way Go json.Marshal escapes it', () => {
    expect(goJson({ p: 'pä<&>\u2028' })).toBe('{"p":"pä\\u003c\\u0026\\u003e\\u2028"}');
  });

  it('sends Authorization per the endpoint: {} on always, omitted on optional, never on identity endpoints', () => {
    const creds = { type: 'Credentials/v1', properties: { password: 'pä' } };
    expect(authorizationFor(ep({ auth: 'always' }), undefined)).toBe('{}');
    expect(authorizationFor(ep({ auth: 'optional' }), undefined)).toBeUndefined();
    expect(authorizationFor(ep({ auth: 'never' }), creds)).toBeUndefined();
    expect(authorizationFor(ep({ auth: 'optional' }), creds)).toBe('{"type":"Credentials/v1","properties":{"password":"pä"}}');
    const wire = encodeRequest(ep({ method: 'GET', path: '/component-versions', auth: 'always' }), { name: 'a/b c' });
    expect(wire).toEqual({ method: 'GET', path: '/component-versions', query: 'name=a%2Fb+c', headers: { authorization: '{}' } });
  });

  it('sends the exact --config bytes of the v0.13.0 manager and parses location lines', () => {
    expect(managerConfigJson('my-plugin')).toBe('{"id":"my-plugin","type":"unix","pluginType":"","idleTimeout":3600000000000}');
    expect(parseLocationLine('http+unix:///tmp/x.sock\r')).toEqual({ socketPath: '/tmp/x.sock' });
    expect(parseLocationLine('http://127.0.0.1:4000')).toEqual({ origin: 'http://127.0.0.1:4000' });
    expect(parseLocationLine('[::]:4000')).toBeUndefined();
  });

  it("parses log lines with the log streamer's rules", () => {
    expect(parseLogLine('{"time":"t","level":"INFO","msg":"hi","b":1,"a":2}').record).toEqual({ level: 'INFO', msg: 'hi', attrs: { a: 2, b: 1, time: 't' } });
    expect(parseLogLine('plain text').issue?.kind).toBe('dropped');
    expect(parseLogLine('{"level":"info","msg":"x"}').issue?.kind).toBe('unknown-level');
    expect(parseLogLine('{"level":30,"msg":"x"}').issue?.kind).toBe('crash');
    expect(parseLogLine('{"level":"INFO","msg":null}').issue?.kind).toBe('crash');
    expect(parseLogLine('{"level":"INFO"}').issue?.kind).toBe('dropped');
    expect(parseLogLine(`{"level":"INFO","msg":"${'x'.repeat(70_000)}"}`).issue?.kind).toBe('too-long');
  });
});

describe('reference host against real processes', () => {
  let dir: string;
  let host: ReferenceHost;
  const exits: string[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'host-'));
    symlinkSync(fixture('echo'), join(dir, 'echo'));
    host = await ReferenceHost.load(dir, { idleTimeoutNs: 400_000_000, onExit: (id, e) => exits.push(`${id}:${e.code}`) });
  });
  afterAll(async () => {
    await host.shutdown();
  });

  it("starts lazily, and puts exactly the manager's bytes on the wire", async () => {
    expect(host.starts('echo')).toBe(0);
    const processResource = KINDS.inputRepository!.endpoints.find((e) => e.name === 'processResource')!;
    const request = { resource: { name: 'a', version: '1', type: 'blob', input: { type: FIXTURE_TYPE, content: '<&>' } } };
    const { response } = await host.send('inputRepository', processResource, request, {
      credentials: { type: 'Credentials/v1', properties: { password: 'pä' } },
    });
    expect(host.starts('echo')).toBe(1);
    const echo = JSON.parse(response.body) as { method: string; url: string; rawHeaders: string[]; body: string };
    const headers = echo.rawHeaders.map((h) => Buffer.from(h, 'base64'));
    const pairs: Record<string, Buffer> = {};
    for (let i = 0; i < headers.length; i += 2) pairs[headers[i]!.toString('latin1').toLowerCase()] = headers[i + 1]!;
    expect(echo.method).toBe('POST');
    expect(echo.url).toBe('/resource/process');
    expect(pairs['content-type']?.toString()).toBe('application/json');
    expect(pairs.accept?.toString()).toBe('application/json');
    expect(pairs['user-agent']?.toString()).toBe('Go-http-client/1.1');
    // Raw UTF-8 bytes in the header, as Go sends them.
    expect(pairs.authorization?.equals(Buffer.from('{"type":"Credentials/v1","properties":{"password":"pä"}}', 'utf8'))).toBe(true);
    expect(echo.body).toBe(
      '{"resource":{"name":"a","version":"1","type":"blob","input":{"type":"Fixture.conformance.ocmkit.dev/v1","content":"\\u003c\\u0026\\u003e"}}}',
    );
  });

  it("validates the spec against the plugin's own schema before calling, and routes by exact type", async () => {
    const processResource = KINDS.inputRepository!.endpoints.find((e) => e.name === 'processResource')!;
    await expect(
      host.send('inputRepository', processResource, { resource: { name: 'a', version: '1', type: 'blob', input: { type: FIXTURE_TYPE, bogus: 1 } } }),
    ).rejects.toThrow(/validation of plugin echo failed.*additional properties/);
    await expect(
      host.send('inputRepository', processResource, { resource: { name: 'a', version: '1', type: 'blob', input: { type: 'Fixture.conformance.ocmkit.dev' } } }),
    ).rejects.toThrow(/failed to get plugin for typ "Fixture\.conformance\.ocmkit\.dev"/);
    await expect(
      host.send('inputRepository', processResource, { resource: { name: 'a', version: '1', type: 'blob', input: { type: 'file/v1' } } }),
    ).rejects.toThrow(/built into the ocm CLI/);
  });

  it('notices an idle exit and starts the plugin again on the next call', async () => {
    const instance = await host.instance('echo');
    const exit = await instance.exit;
    expect(exit.code).toBe(0);
    expect(exits).toContain('echo:0');
    const identity = KINDS.inputRepository!.endpoints.find((e) => e.name === 'identity')!;
    const { response } = await host.send('inputRepository', identity, { type: { type: FIXTURE_TYPE } });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).url).toBe('/identity');
    expect(host.starts('echo')).toBe(2);
  });

  it("typed clients come from the contract tables and decode with the manager's rules", async () => {
    const client = host.client(KINDS.inputRepository!);
    expect(Object.keys(client).sort()).toEqual(KINDS.inputRepository!.endpoints.map((e) => e.name).sort());
    // The echo answer is not a processResource result: the host says so, naming the plugin.
    await expect(
      (client as Record<string, (r: unknown) => Promise<unknown>>).processResource!({
        resource: { name: 'a', version: '1', type: 'blob', input: { type: FIXTURE_TYPE } },
      }),
    ).rejects.toThrow(/plugin echo: POST \/resource\/process: the response is not what the manager can use: location/);
  });

  it('errors name the plugin, its exit code and the tail of its stderr when it dies', async () => {
    const crash = new ReferenceHost();
    await crash.register({ id: 'crashy', path: fixture('crash-on-bad-body') });
    const processResource = KINDS.inputRepository!.endpoints.find((e) => e.name === 'processResource')!;
    const e2 = await crash.send('inputRepository', processResource, {}, { type: FIXTURE_TYPE, rawBody: 'not json', skipValidation: true }).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(e2?.message).toMatch(/plugin crashy: POST \/resource\/process: .*\(exit code 1\)/s);
    expect(e2?.message).toMatch(/SyntaxError/);
    await crash.shutdown();
  });
});
