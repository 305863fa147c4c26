/** The kept template releases `update` renders projects' merge bases from. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareVersions, HISTORY_DIR, keptRelease, keptVersions } from '../src/release.js';
import { current, generate, inputsFor, scratchDir } from './support/releases.js';

function files(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      const abs = join(d, e);
      if (statSync(abs).isDirectory()) walk(abs);
      else out[relative(dir, abs)] = readFileSync(abs, 'utf8');
    }
  };
  walk(dir);
  return out;
}

describe('template history', () => {
  it('keeps 0.1.0 and nothing newer than the package', () => {
    const versions = keptVersions();
    expect(versions[0]).toBe('0.1.0');
    for (const v of versions) expect(compareVersions(v, current().version), v).toBeLessThanOrEqual(0);
  });

  it("a kept release of the package's own version is its templates unchanged (else bump the version before changing them)", () => {
    const own = current();
    const kept = keptRelease(own.version);
    if (!kept) return;
    const { 'release.json': _manifest, ...keptFiles } = files(kept.templatesDir);
    expect(keptFiles).toEqual(files(own.templatesDir));
  });

  it.each(keptVersions())('%s renders every kind it lists', async (version) => {
    const release = keptRelease(version, HISTORY_DIR)!;
    expect(release.kinds.length).toBeGreaterThan(0);
    const scratch = scratchDir(`history-${version}-`);
    for (const k of release.kinds) {
      const dir = await generate(release, inputsFor(release, `h-${k.dir}`, [k.kind]), scratch);
      const stamp = JSON.parse(readFileSync(join(dir, '.ocm-plugin/template.json'), 'utf8')) as { templateVersion: string; kinds: string[] };
      expect(stamp).toMatchObject({ templateVersion: version, kinds: [k.kind] });
      expect(readFileSync(join(dir, `src/${k.dir}/handler.ts`), 'utf8')).not.toContain('{{');
    }
  });
});
