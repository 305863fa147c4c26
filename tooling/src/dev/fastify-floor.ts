/**
 * The cold-start floor for `ocm-plugin bench` and the repository's benchmarks: a fastify hello world that a packaged plugin cannot beat. It answers
 * `capabilities` and `--config`, listens on a unix socket, prints the location line and answers `/healthz`, and is
 * packaged with `ocm-plugin build` exactly like a plugin (launcher, embedded Node.js, code cache). Fastify is set
 * up as the SDK sets it up (no logger, no route-schema compilers, idle connections closed on close); nothing else.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const CAPABILITIES = '{"capabilities":[{"type":"inputRepository","supportedInputTypes":[{"type":"FastifyFloor/v1"}]}]}\n';

const [mode, config] = process.argv.slice(2);
if (mode === 'capabilities') {
  process.stdout.write(CAPABILITIES);
} else if (mode === '--config' && config) {
  void serve();
} else {
  process.stderr.write('usage: fastify-floor capabilities | --config <json>\n');
  process.exitCode = 2;
}

function noRouteSchemas(): never {
  throw new Error('no route schemas here');
}

async function serve(): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const dir = mkdtempSync(join(tmpdir(), 'fastify-floor-'));
  const path = join(dir, 'plugin.socket');
  const app = Fastify({
    logger: false,
    forceCloseConnections: 'idle',
    // As the SDK does: no route schemas, so fastify never loads its schema compilers.
    schemaController: { compilersFactory: { buildValidator: noRouteSchemas, buildSerializer: noRouteSchemas } },
  });
  app.get('/healthz', (_req, reply) => {
    void reply.send();
  });
  const stop = () =>
    void app.close().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  await app.listen({ path });
  process.stdout.write(`http+unix://${path}\n`);
}
