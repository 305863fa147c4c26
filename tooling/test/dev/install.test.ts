/** The launcher script and the command-line pieces of `ocm-plugin dev`. */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseInspect } from '../../src/commands/dev.js';
import { ROOT, dev } from './support.js';

describe('dev launcher pieces', () => {
  it('parses --inspect values', () => {
    expect(parseInspect(undefined, false)).toEqual({ host: '127.0.0.1', port: 9229, wait: false });
    expect(parseInspect('9230', true)).toEqual({ host: '127.0.0.1', port: 9230, wait: true });
    expect(parseInspect('0.0.0.0:9300', false)).toEqual({ host: '0.0.0.0', port: 9300, wait: false });
    expect(() => parseInspect('nine', false)).toThrow(/\[host:\]port/);
  });

  it('works from paths with spaces and quotes', async () => {
    const dir = mkdtempSync(join(tmpdir(), "ocmkit dev it's-"));
    cpSync(join(ROOT, 'tooling/test/dev/fixtures/slow-input'), dir, { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    const pluginDir = join(dir, 'plugin dir');
    mkdirSync(pluginDir);
    const r = await dev(['install', join(dir, 'src/main.ts'), '--plugin-dir', pluginDir, '--cache-dir', join(dir, "cache 'x'")]);
    expect(r.code, r.err).toBe(0);
    const caps = spawnSync(join(pluginDir, 'slow-input'), ['capabilities'], { encoding: 'utf8' });
    expect(caps.status, caps.stderr).toBe(0);
    expect(JSON.parse(caps.stdout).capabilities[0].supportedInputTypes[0].type).toBe('Slow.test.ocmkit.dev/v1');
  });

  it('says what to do when its cache is gone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocmkit-dev-'));
    cpSync(join(ROOT, 'tooling/test/dev/fixtures/slow-input'), dir, { recursive: true });
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    expect((await dev(['install', join(dir, 'src/main.ts'), '--plugin-dir', join(dir, 'plugins'), '--cache-dir', join(dir, 'cache')])).code).toBe(0);
    rmSync(join(dir, 'cache'), { recursive: true });
    const r = spawnSync(join(dir, 'plugins', 'slow-input'), ['capabilities'], { encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('plugin slow-input');
    expect(r.stderr).toContain('ocm-plugin dev install');
  });

  it('rejects an id with an extension before writing anything', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ocmkit-dev-'));
    const r = await dev(['install', join(ROOT, 'tooling/test/dev/fixtures/slow-input/src/main.ts'), '--id', 'slow.input', '--plugin-dir', dir]);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain('choose an id without');
  });
});
