import { describe, expect, it } from 'vitest';
import { KINDS } from '../src/contracts/index.js';
import {
  builtinFor,
  builtinNameCollision,
  formatLocationLine,
  goExt,
  managerConfigJson,
  managerKind,
  MANAGER_KINDS,
  parseLocationLine,
  PluginConfigSchema,
  pluginIdProblem,
} from '../src/host-facts/index.js';

describe('host facts', () => {
  it('knows every contract kind, its types field first, and which kinds v0.13.0 lacks', () => {
    expect(MANAGER_KINDS.map((k) => k.kind).sort()).toEqual(Object.keys(KINDS).sort());
    for (const k of MANAGER_KINDS) expect(k.listFields[0]).toBe(KINDS[k.kind]!.typesField);
    expect(managerKind('credentialPlugin')).toBeUndefined();
    expect(managerKind('credentialPlugin', 'head')?.listFields).toEqual(['supportedCredentialPluginTypes']);
    expect(managerKind('credentialRepository')?.listFields).toEqual([
      'supportedCredentialRepositorySpecTypes',
      'supportedConsumerIdentityTypes',
      'customCredentialTypes',
    ]);
  });

  it('builds the --config the manager sends, byte for byte, and the plugin side accepts it', () => {
    const json = managerConfigJson('p', { idleTimeoutNs: 5 });
    expect(json).toBe('{"id":"p","type":"unix","pluginType":"","idleTimeout":5}');
    expect(PluginConfigSchema.parse(JSON.parse(json))).toMatchObject({ id: 'p', idleTimeout: 5 });
    expect(managerConfigJson('p', { type: 'tcp', configTypes: [{ type: 'x' }] })).toBe(
      '{"id":"p","type":"tcp","pluginType":"","idleTimeout":3600000000000,"configTypes":[{"type":"x"}]}',
    );
  });

  it('formats and parses location lines the same way', () => {
    for (const a of [{ socketPath: '/tmp/a b/plugin.sock' }, { origin: 'http://127.0.0.1:4242' }]) {
      const line = formatLocationLine(a);
      expect(line.endsWith('\n')).toBe(true);
      expect(parseLocationLine(line.slice(0, -1))).toEqual(a);
      expect(parseLocationLine(`${line.slice(0, -1)}\r`)).toEqual(a);
    }
    expect(parseLocationLine('[::]:1234')).toBeUndefined();
    expect(parseLocationLine('https://127.0.0.1:1')).toBeUndefined();
  });

  it('tells which plugin ids the CLI cannot discover', () => {
    expect(goExt('my-plugin')).toBe('');
    expect(goExt('.hidden')).toBe('.hidden');
    expect(goExt('plugin.js')).toBe('.js');
    expect(pluginIdProblem('my-plugin')).toBeUndefined();
    expect(pluginIdProblem('my-plugin.cjs')).toMatch(/extension/);
    expect(pluginIdProblem('a/b')).toMatch(/separator/);
    expect(pluginIdProblem('plugin!')).toMatch(/trims/);
    expect(pluginIdProblem('')).toMatch(/empty/);
  });

  it('separates v0.13.0 built-ins from names only HEAD reserves', () => {
    expect(builtinFor('resourceRepository', 'supportedAccessTypes', 'ociArtifact/v1')).toBe('v0.13.0');
    expect(builtinFor('resourceRepository', 'supportedAccessTypes', 'GitHub/v1')).toBe('head');
    expect(builtinFor('credentialRepository', 'customCredentialTypes', 'Credentials/v1')).toBe('v0.13.0');
    expect(builtinFor('credentialRepository', 'supportedCredentialRepositorySpecTypes', 'Credentials/v1')).toBeUndefined();
    expect(builtinFor('credentialRepository', 'customCredentialTypes', 'GitHubCredentials')).toBe('head');
    expect(builtinNameCollision('inputRepository', 'HELM/v9')).toBe('Helm');
    expect(builtinNameCollision('resourceRepository', 'github')).toBe('GitHub');
    expect(builtinNameCollision('inputRepository', 'Helm.acme.org/v1')).toBeUndefined();
  });
});
