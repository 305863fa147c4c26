import { describe, expect, it } from 'vitest';
import { idleTimeoutMs, parsePluginConfig } from '../src/config.js';
import { parseArgs } from '../src/plugin.js';

describe('--config', () => {
  it('parses what the v0.13.0 manager sends', () => {
    const c = parsePluginConfig('{"id":"my-plugin","type":"unix","pluginType":"","idleTimeout":3600000000000}');
    expect(c).toMatchObject({ id: 'my-plugin', type: 'unix', pluginType: '', idleTimeout: 3_600_000_000_000 });
    expect(idleTimeoutMs(c)).toBe(3_600_000);
  });
  it('defaults the idle timeout to one hour and keeps unknown fields', () => {
    const c = parsePluginConfig('{"id":"p","type":"tcp","later":1}');
    expect(idleTimeoutMs(c)).toBe(3_600_000);
    expect((c as Record<string, unknown>).later).toBe(1);
  });
  it('passes configTypes through typed', () => {
    const c = parsePluginConfig('{"id":"p","type":"unix","configTypes":[{"maximumNumberOfPotatoes":"100","type":"custom.config/v1"}]}');
    expect(c.configTypes).toEqual([{ maximumNumberOfPotatoes: '100', type: 'custom.config/v1' }]);
  });
  it.each([
    ['[]', /\(root\)/],
    ['{"type":"unix"}', /id: /],
    ['{"id":"p","type":"unix","idleTimeout":-1}', /must not be negative/],
  ])('rejects %s', (text, message) => {
    expect(() => parsePluginConfig(text)).toThrow(message);
  });
});

describe('argv', () => {
  it('recognises the forms the manager and Go flag parsing use', () => {
    expect(parseArgs(['capabilities'])).toEqual({ mode: 'capabilities' });
    expect(parseArgs(['--config', '{}'])).toEqual({ mode: 'serve', config: '{}' });
    expect(parseArgs(['-config', '{}'])).toEqual({ mode: 'serve', config: '{}' });
    expect(parseArgs(['--config={"a":"b=c"}'])).toEqual({ mode: 'serve', config: '{"a":"b=c"}' });
    expect(() => parseArgs(['capabilities', 'extra'])).toThrow(/unexpected arguments/);
    expect(() => parseArgs([])).toThrow(/This program is an OCM plugin/);
  });
});
