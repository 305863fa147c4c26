/**
 * The built-in type names in host-facts.ts against what the real `ocm` CLI v0.13.0 says it registers
 * (`ocm describe types`), subsystem by subsystem. Kinds whose built-ins the command does not list (blob transformers,
 * digest processors, the credential graph's direct credentials) are pinned to the upstream source in host-facts.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_TYPES } from '../src/host-facts/index.js';
import { toolOrSkip } from '../../scripts/tools.js';

const ocm = toolOrSkip('ocmCli', 'host facts against ocm describe types');

/** Subsystem → its types and aliases, read from the command's table. */
function describeTypes(): Map<string, string[]> {
  const home = mkdtempSync(join(tmpdir(), 'ocm-home-'));
  writeFileSync(join(home, 'none.yaml'), 'type: generic.config.ocm.software/v1\nconfigurations: []\n');
  const out = execFileSync(ocm!, ['describe', 'types', '--config', join(home, 'none.yaml')], { encoding: 'utf8', env: { PATH: process.env.PATH, HOME: home } });
  const subsystems = new Map<string, string[]>();
  let current = '';
  for (const line of out.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    if (cells.length < 4 || cells[1] === 'SUBSYSTEM') continue;
    if (cells[1]) current = cells[1];
    const names = [cells[2], cells[3]].filter((c): c is string => Boolean(c));
    if (current) subsystems.set(current, [...(subsystems.get(current) ?? []), ...names]);
  }
  return subsystems;
}

const sorted = (names: readonly string[]) => [...names].sort();

describe.skipIf(!ocm)('built-in type names against the real ocm CLI v0.13.0', () => {
  it('every subsystem the CLI lists matches the host facts', () => {
    const cli = describeTypes();
    expect([...cli.keys()].sort()).toEqual(['access', 'credential-repository', 'credentials', 'input', 'ocm-repository', 'ocm-repository-lister', 'signing']);
    expect(sorted(cli.get('access')!)).toEqual(sorted(BUILTIN_TYPES.resourceRepository!['*']!));
    expect(sorted(cli.get('input')!)).toEqual(sorted(BUILTIN_TYPES.inputRepository!['*']!));
    expect(sorted(cli.get('ocm-repository')!)).toEqual(sorted(BUILTIN_TYPES.componentVersionRepository!['*']!));
    expect(sorted(cli.get('ocm-repository-lister')!)).toEqual(sorted(BUILTIN_TYPES.componentLister!['*']!));
    expect(sorted(cli.get('signing')!)).toEqual(sorted(BUILTIN_TYPES.signingHandler!['*']!));
    expect(sorted(cli.get('credential-repository')!)).toEqual(sorted(BUILTIN_TYPES.credentialRepository!.supportedCredentialRepositorySpecTypes!));
    // The graph's direct credentials (Credentials/v1, DirectCredentials/v1) are not in the credentials scheme it lists.
    const direct = ['Credentials/v1', 'Credentials', 'DirectCredentials/v1', 'DirectCredentials'];
    expect(sorted(cli.get('credentials')!)).toEqual(sorted(BUILTIN_TYPES.credentialRepository!.customCredentialTypes!.filter((t) => !direct.includes(t))));
  });
});
