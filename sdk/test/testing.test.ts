import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseLocationLine } from '../src/host-facts/index.js';
import { definePlugin, inputRepository, pluginError } from '../src/index.js';
import { startTestServer, testContext } from '../src/testing/index.js';

const Greeting = z.object({ type: z.literal('Greeting.test.ocmkit.dev/v1'), text: z.string(), fail: z.boolean().default(false) });

const plugin = definePlugin({
  name: 'greeting',
  capabilities: [
    inputRepository({
      types: { 'Greeting.test.ocmkit.dev/v1': Greeting },
      handler: {
        async processResource({ resource }, ctx) {
          if (resource.input.fail) throw pluginError(422, 'asked to fail');
          return { location: await ctx.blobs.write(resource.input.text, { mediaType: 'text/plain', name: resource.name }) };
        },
      },
    }),
  ],
});

const resource = (input: Record<string, unknown>) => ({
  name: 'greeting',
  version: '1.0.0',
  type: 'plainText',
  input: { type: 'Greeting.test.ocmkit.dev/v1', ...input },
});

describe('@ocm-plugin-kit/sdk/testing', () => {
  it('testContext: a handler writes a real blob file through the SDK blob store', async () => {
    const ctx = await testContext({ type: 'Greeting.test.ocmkit.dev/v1' });
    const location = await ctx.blobs.write('hello', { mediaType: 'text/plain', name: 'greeting' });
    expect(location).toMatchObject({ type: 'localFile', mediaType: 'text/plain' });
    expect(location.value.startsWith(ctx.dir)).toBe(true);
    expect(readFileSync(location.value, 'utf8')).toBe('hello');
    expect(ctx.config).toMatchObject({ id: 'test-plugin', type: 'unix', pluginType: '' });
    // open() is the server's: a non-absolute path is refused as it would be in a plugin.
    expect(() => ctx.blobs.open({ type: 'localFile', value: 'relative' })).toThrow(/not an absolute path/);
  });

  it('startTestServer: requests go through routes, validation and error mapping on a real socket', async () => {
    const server = await startTestServer(plugin, { pluginId: 'greeting' });
    try {
      const address = parseLocationLine(server.location);
      const socket = address && 'socketPath' in address ? address.socketPath : undefined;
      expect(socket && existsSync(socket)).toBe(true);
      const ok = await server.request('POST', '/resource/process', { resource: resource({ text: 'hi' }) });
      expect(ok.status, ok.text).toBe(200);
      const location = (ok.body as { location: { value: string } }).location;
      expect(readFileSync(location.value, 'utf8')).toBe('hi');

      const invalid = await server.request('POST', '/resource/process', { resource: resource({}) });
      expect(invalid.status).toBe(400);
      expect(invalid.headers['content-type']).toMatch(/^text\/plain/);
      expect(invalid.text).toContain('text');

      const failed = await server.request('POST', '/resource/process', { resource: resource({ text: 'x', fail: true }) });
      expect(failed.status).toBe(422);
      expect(failed.text).toContain('asked to fail');
    } finally {
      await server.close();
    }
    const address = parseLocationLine(server.location);
    expect(address && 'socketPath' in address && existsSync(address.socketPath)).toBe(false);
  });
});
