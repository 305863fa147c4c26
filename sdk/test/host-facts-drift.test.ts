/**
 * Host facts have one home, sdk/src/host-facts/ (list fields also the contracts). This fails when source code
 * spells one of them again: the --config JSON, the location-line prefix parsed by hand, built-in type names, the
 * characters the manager trims from plugin paths, socket-path limits, the kinds' handshake list fields.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { managerKind } from '../src/host-facts/index.js';

const ROOT = join(import.meta.dirname, '..', '..');

/** Tracked source files (tests, fixtures and docs may spell facts out as the expected values). */
const SOURCES = execFileSync('git', ['ls-files', '*.ts', '*.mjs', '*.js', '*.hbs'], { cwd: ROOT, encoding: 'utf8' })
  .split('\n')
  .filter((f) => f && !/(^|\/)(test|fixtures)\/|\.test(-d)?\.ts$/.test(f));

const HOME = 'sdk/src/host-facts/';

const FACTS: { fact: string; pattern: RegExp; alsoIn?: RegExp }[] = [
  { fact: 'the default idle timeout', pattern: /3_?600_?000_?000_?000/ },
  { fact: 'the --config JSON', pattern: /pluginType:\s*''/ },
  { fact: 'location-line parsing', pattern: /(startsWith|replace)\(['"]http\+unix:\/\/['"]|['"]http\+unix:\/\/['"]\.length/ },
  {
    fact: 'built-in type names',
    pattern: /['"](OCIRepository|CommonTransportFormat|DockerConfig|OCIImageLayer|RSASigningConfiguration|OCICredentials)(\/v1(alpha1)?)?['"]/,
  },
  { fact: 'trimmed plugin-path characters', pattern: /,;:\\?'"\|&\*!@#\$/ },
  { fact: 'socket-path limits', pattern: /platform === 'linux' \? 107|\b107 : 103\b/ },
  // The fastify floor of `ocm-plugin bench` measures fastify alone, so it may not load the SDK for its handshake; the
  // test below holds its one spelled-out field to the host facts.
  {
    fact: "a kind's handshake list field",
    pattern: /['"]supported(?!Config)[A-Za-z]+Types['"]/,
    alsoIn: /^sdk\/src\/contracts\/|^tooling\/src\/dev\/fastify-floor\.ts$/,
  },
];

describe('host facts drift', () => {
  it('reads the tracked sources', () => {
    expect(SOURCES).toContain(`${HOME}index.ts`);
    expect(SOURCES.length).toBeGreaterThan(100);
  });

  it.each(FACTS)('$fact is spelled only in host-facts', ({ pattern, alsoIn }) => {
    const copies: string[] = [];
    for (const file of SOURCES) {
      if (file.startsWith(HOME) || alsoIn?.test(file)) continue;
      readFileSync(join(ROOT, file), 'utf8')
        .split('\n')
        .forEach((line, i) => {
          if (pattern.test(line)) copies.push(`${file}:${i + 1}: ${line.trim().slice(0, 120)}`);
        });
    }
    expect(copies, 'import it from @ocm-plugin-kit/sdk/host-facts instead').toEqual([]);
  });

  it("the fastify floor's handshake uses the host facts' list field for its kind", () => {
    const source = readFileSync(join(ROOT, 'tooling/src/dev/fastify-floor.ts'), 'utf8');
    const line = /const CAPABILITIES = '(.+)\\n';/.exec(source)?.[1];
    expect(line, 'the floor spells its capabilities answer as one constant').toBeDefined();
    const [capability] = (JSON.parse(line!) as { capabilities: Record<string, unknown>[] }).capabilities;
    const kind = managerKind(String(capability!.type));
    expect(kind, `the floor's kind ${String(capability!.type)}`).toBeDefined();
    expect(Object.keys(capability!).filter((k) => k !== 'type')).toEqual([kind!.listFields[0]]);
  });

  it('would catch a copy', () => {
    expect(FACTS.find((f) => f.fact === 'the --config JSON')!.pattern.test(`JSON.stringify({ id, type: 'unix', pluginType: '' })`)).toBe(true);
    expect(FACTS.find((f) => f.fact === 'built-in type names')!.pattern.test(`const OCI = ['OCIRepository/v1'];`)).toBe(true);
  });
});
