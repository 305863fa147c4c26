import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanPath, discoverPlugins } from '../../src/host/discovery.js';
import { ReferenceHost } from '../../src/host/host.js';
import { fixture } from '../helpers.js';

describe("discovery (the manager's filepath.Walk rules)", () => {
  it('finds extension-less files recursively, in lexical order, with the base name as id', () => {
    const dir = mkdtempSync(join(tmpdir(), 'disc-'));
    mkdirSync(join(dir, 'b/nested'), { recursive: true });
    writeFileSync(join(dir, 'zeta'), '');
    writeFileSync(join(dir, 'b/nested/alpha'), '');
    writeFileSync(join(dir, 'README.md'), '');
    writeFileSync(join(dir, 'plugin.js'), '');
    writeFileSync(join(dir, '.DS_Store'), '');
    writeFileSync(join(dir, 'trailing.'), '');
    const result = discoverPlugins(dir);
    expect(result.plugins.map((p) => [p.id, p.path.slice(dir.length)])).toEqual([
      ['alpha', '/b/nested/alpha'],
      ['zeta', '/zeta'],
    ]);
    expect(result.notes.map((n) => n.path.slice(dir.length)).sort()).toEqual(['/.DS_Store', '/README.md', '/plugin.js', '/trailing.']);
  });

  it('treats symlinks with lstat semantics: a link to a directory is a candidate, not followed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'disc-'));
    const other = mkdtempSync(join(tmpdir(), 'disc-target-'));
    writeFileSync(join(other, 'inside'), '');
    symlinkSync(other, join(dir, 'linkdir'));
    symlinkSync(fixture('well-behaved'), join(dir, 'good'));
    const result = discoverPlugins(dir);
    expect(result.plugins.map((p) => [p.id, p.symlink])).toEqual([
      ['good', true],
      ['linkdir', true],
    ]);
    expect(result.notes.some((n) => n.path.endsWith('linkdir') && /does not follow/.test(n.message))).toBe(true);
  });

  it('reports a missing directory as "no plugins", and notes duplicate ids and trimmed characters', () => {
    expect(discoverPlugins('/nonexistent/ocm-plugins').plugins).toEqual([]);
    const dir = mkdtempSync(join(tmpdir(), 'disc-'));
    mkdirSync(join(dir, 'a'));
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'a/same'), '');
    writeFileSync(join(dir, 'b/same'), '');
    writeFileSync(join(dir, 'weird!'), '');
    const result = discoverPlugins(dir);
    expect(result.notes.some((n) => /already registered/.test(n.message))).toBe(true);
    expect(result.plugins.find((p) => p.id === 'weird!')?.execPath).toBe(join(dir, 'weird'));
    expect(cleanPath('"/x/y,;')).toBe('/x/y');
  });

  it('fails registration like the manager: duplicate ids in one registry, and a type claimed twice', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disc-'));
    mkdirSync(join(dir, 'a'));
    symlinkSync(fixture('well-behaved'), join(dir, 'a/fx'));
    symlinkSync(fixture('secret-in-logs'), join(dir, 'other'));
    await expect(ReferenceHost.load(dir)).rejects.toThrow(/plugin for type Fixture\.conformance\.ocmkit\.dev\/v1 already registered with ID: fx/);
    const dup = mkdtempSync(join(tmpdir(), 'disc-'));
    mkdirSync(join(dup, 'a'));
    mkdirSync(join(dup, 'b'));
    symlinkSync(fixture('well-behaved'), join(dup, 'a/fx'));
    symlinkSync(fixture('echo'), join(dup, 'b/fx'));
    // inputRepository does not check ids (it overwrites); the type claim is what fails.
    await expect(ReferenceHost.load(dup)).rejects.toThrow(/already registered/);
  });

  it("fails with the manager's message when a plugin cannot run `capabilities`", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disc-'));
    writeFileSync(join(dir, 'notexec'), 'echo hi');
    await expect(ReferenceHost.load(dir)).rejects.toThrow(/failed to start plugin notexec/);
  });
});
