/**
 * The endpoint fields where the handler API differs from the wire, served by a real listening server in this
 * process: `hint` (CVR GET endpoints), `whenAbsent` (check-health), `nullMeans` (credential `/resolve`) and
 * `emptyResult` (signing `/verify`).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { componentVersionRepository, credentialPlugin, credentialRepository, definePlugin, signingHandler, type Capability } from '../../src/index.js';
import { startServer, type RunningPlugin } from '../../src/server/serve.js';

const descriptor = {
  meta: { schemaVersion: 'v2' },
  component: { name: 'acme.org/a', version: '1', provider: 'acme', repositoryContexts: null, resources: null, sources: null, componentReferences: null },
};
const signatureInfo = { algorithm: 'x', value: 'y', mediaType: 'z' };

let running: RunningPlugin | undefined;
afterEach(async () => {
  await running?.close('test done');
  running = undefined;
});

async function serve(capabilities: Capability<any>[], target?: 'head') {
  running = await startServer(definePlugin({ name: 'routes', capabilities, logLevel: 'error', ...(target ? { target } : {}) }), { id: 'routes', type: 'tcp' });
  const { port } = running.address as { port: number };
  return async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const res = await fetch(`http://127.0.0.1:${port}${path}`, {
      method,
      headers: { authorization: '{}', 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: await res.text() };
  };
}

describe('endpoint fields interpreted by the routes', () => {
  it('hands hint endpoints repository: undefined and the last validated spec; check-health answers 200 unimplemented', async () => {
    const seen: unknown[] = [];
    const call = await serve([
      componentVersionRepository({
        types: { 'MyRepository/v1': z.object({ type: z.literal('MyRepository/v1'), baseUrl: z.string() }) },
        handler: {
          getComponentVersion: (req, ctx) => {
            seen.push({ repository: req.repository, hint: req.repositoryHint, type: ctx.type, has: 'repository' in req });
            return descriptor;
          },
          listComponentVersions: () => [],
          getLocalResource: () => {
            throw new Error('not called');
          },
        },
      }),
    ]);
    expect((await call('GET', '/component-version/download?name=a&version=1')).status).toBe(200);
    // No identity handler: /identity answers "no identity" (404) and still records the hint.
    expect((await call('POST', '/identity', { type: { type: 'MyRepository/v1', baseUrl: 'https://a', extra: 1 } })).status).toBe(404);
    expect((await call('GET', '/component-version/download?name=a&version=1')).status).toBe(200);
    expect(seen).toEqual([
      { repository: undefined, hint: undefined, type: 'MyRepository/v1', has: true },
      { repository: undefined, hint: { type: 'MyRepository/v1', baseUrl: 'https://a' }, type: 'MyRepository/v1', has: true },
    ]);
    expect(await call('POST', '/component-version/check-health', { repository: { type: 'MyRepository/v1', baseUrl: 'https://a' } })).toEqual({
      status: 200,
      body: '',
    });
    const upload = await call('POST', '/component-version/upload', { repository: { type: 'MyRepository/v1', baseUrl: 'https://a' }, descriptor });
    expect(upload.status).toBe(404);
    expect(upload.body).toContain('does not implement addComponentVersion');
  });

  it('turns "nothing" from a nullMeans handler into a 404 naming the identity, for both credential kinds', async () => {
    const call = await serve(
      [
        credentialRepository({ types: { 'A/v1': z.object({ type: z.string() }) }, handler: { resolve: () => undefined } }),
        credentialPlugin({
          types: { 'B/v1': z.object({ type: z.string() }) },
          handler: { consumerIdentity: () => ({ type: 'B' }), resolve: async () => null },
        }),
      ],
      'head',
    );
    expect(await call('POST', '/resolve', { config: { type: 'A/v1' }, identity: { type: 'OCIRegistry', hostname: 'ghcr.io' } })).toEqual({
      status: 404,
      body: 'plugin routes: POST /resolve: no credentials stored for consumer identity hostname=ghcr.io,type=OCIRegistry\n',
    });
    expect(await call('POST', '/resolve', { identity: {} })).toEqual({
      status: 404,
      body: 'plugin routes: POST /resolve: no credentials stored for consumer identity (empty)\n',
    });
  });

  it('answers {} for an emptyResult handler, given directly or by a loader', async () => {
    const calls: string[] = [];
    const handler = {
      sign: () => ({ signature: signatureInfo }),
      verify: (req: { signature: { name: string } }) => {
        calls.push(req.signature.name);
      },
    };
    const verifyBody = {
      signature: { name: 'default', digest: { hashAlgorithm: 'SHA-256', normalisationAlgorithm: 'n', value: 'ab' }, signature: signatureInfo },
      config: { type: 'S/v1' },
    };
    for (const h of [handler, async () => ({ default: handler })]) {
      const call = await serve([signingHandler({ types: { 'S/v1': z.object({ type: z.string() }) }, handler: h })]);
      expect(await call('POST', '/verify', verifyBody)).toEqual({ status: 200, body: '{}' });
      await running?.close('next');
    }
    expect(calls).toEqual(['default', 'default']);
  });
});
