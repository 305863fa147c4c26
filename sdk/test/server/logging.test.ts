import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { capLine, createLogger, logLevel, MAX_LOG_LINE } from '../../src/server/logging.js';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _e, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, stream };
}

describe('host-format logging', () => {
  it('maps levels to the names the manager re-logs and keeps msg a string', async () => {
    const { lines, stream } = capture();
    const log = createLogger({ pluginId: 'p', level: 'debug', destination: stream });
    log.trace('t');
    log.debug('d');
    log.info({ n: 1 }, 'i');
    log.warn('w');
    log.error(new Error('boom'), 'e');
    log.fatal('f');
    const parsed = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(parsed.map((l) => l.level)).toEqual(['DEBUG', 'INFO', 'WARN', 'ERROR', 'ERROR']);
    expect(parsed.map((l) => l.msg)).toEqual(['d', 'i', 'w', 'e', 'f']);
    expect(parsed[1]).toMatchObject({ plugin: 'p', n: 1 });
    expect(typeof parsed[0]?.time).toBe('string');
  });
  it('redacts credentials and authorization fields', () => {
    const { lines, stream } = capture();
    createLogger({ pluginId: 'p', level: 'info', destination: stream }).info({ credentials: { password: 'x' }, authorization: '{"a":1}' }, 'm');
    expect(lines[0]).not.toContain('password');
    expect(lines[0]).toContain('[redacted]');
  });
  it('redacts one level down and request headers, leaving the logged object untouched', () => {
    const { lines, stream } = capture();
    const obj = { call: { credentials: { token: 't0ken' }, kept: 1 }, req: { headers: { authorization: 'Bearer s3cret', host: 'h' } } };
    createLogger({ pluginId: 'p', level: 'info', destination: stream }).info(obj, 'm');
    expect(lines[0]).not.toMatch(/t0ken|s3cret/);
    expect(JSON.parse(lines[0]!)).toMatchObject({ call: { credentials: '[redacted]', kept: 1 }, req: { headers: { authorization: '[redacted]', host: 'h' } } });
    expect(obj.call.credentials.token).toBe('t0ken');
  });
  it('cuts lines the manager could not read', () => {
    const long = `${JSON.stringify({ time: 't', level: 'INFO', msg: 'x'.repeat(100_000) })}\n`;
    const cut = capLine(long);
    expect(cut.length).toBeLessThan(MAX_LOG_LINE);
    expect((JSON.parse(cut) as { msg: string }).msg).toMatch(/… \(truncated\)$/);
  });
  it('takes the level from OCM_PLUGIN_LOG_LEVEL when it is valid', () => {
    expect(logLevel('warn', { OCM_PLUGIN_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(logLevel('warn', { OCM_PLUGIN_LOG_LEVEL: 'loud' })).toBe('warn');
    expect(logLevel(undefined, {})).toBe('info');
  });
});
