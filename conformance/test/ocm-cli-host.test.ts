/**
 * Host facts of the real `ocm` CLI v0.13.0 that need no plugin of the kit, pinned because the kit's docs state them
 * (sdk/docs/protocol.md §8 #6, #7, #8, #12; sdk/docs/ocm-cli.md §14 #1, #2, #3, #5). The plugins here are shell
 * scripts that only answer `capabilities`: every CLI command runs that for every plugin.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { toolOrSkip } from '../../scripts/tools.js';

const ocm = toolOrSkip('ocmCli', 'host facts of the real ocm CLI');

/** A fresh directory with an empty HOME and an OCM config file; `ocm` runs there with only that config. */
function workspace(config = 'type: generic.config.ocm.software/v1\nconfigurations: []\n') {
  const dir = mkdtempSync(join(tmpdir(), 'ocm-host-'));
  mkdirSync(join(dir, 'home'));
  writeFileSync(join(dir, 'ocmconfig.yaml'), config);
  return {
    dir,
    run(args: readonly string[]) {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: join(dir, 'home'), OCM_DISABLE_VERSION_CHECK: '1' };
      delete env.XDG_CONFIG_HOME;
      delete env.OCM_CONFIG;
      const r = spawnSync(ocm!, [...args, '--config', join(dir, 'ocmconfig.yaml')], { cwd: dir, env, encoding: 'utf8', timeout: 60_000 });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}

/** Writes an executable plugin whose `capabilities` prints `answer` (or exits 3 when there is none). */
function plugin(dir: string, id: string, answer?: object): void {
  mkdirSync(dir, { recursive: true });
  const body = answer ? `printf '%s\\n' '${JSON.stringify(answer)}'` : 'exit 3';
  writeFileSync(join(dir, id), `#!/bin/sh\n${body}\n`);
  chmodSync(join(dir, id), 0o755);
}

/** A credentialRepository capability that declares one custom credential type. */
const customCredentialType = (type: string) => ({
  capabilities: [
    {
      customCredentialTypes: [{ aliases: null, jsonSchema: 'e30=', type }],
      supportedConsumerIdentityTypes: null,
      supportedCredentialRepositorySpecTypes: [{ aliases: null, jsonSchema: 'e30=', type: 'HostFactsRepo.acme.org/v1' }],
      type: 'credentialRepository',
    },
  ],
});

describe.skipIf(!ocm)('ocm CLI v0.13.0 host facts', () => {
  it('--loglevel defaults to info, although its usage text says warn', () => {
    const help = workspace().run(['version', '--help']);
    expect(help.status, help.stderr).toBe(0);
    expect(help.stdout).toMatch(
      /warn:\s+Show warnings and errors only \(default\)\s+error: Show errors only\s+\(must be one of \[debug error info warn\]\) \(default info\)/,
    );
  });

  it('ignores `locations` of the plugin config: only --plugin-directory is walked', () => {
    const probe = mkdtempSync(join(tmpdir(), 'ocm-host-plugins-'));
    plugin(probe, 'broken');
    const ws = workspace(`type: generic.config.ocm.software/v1
configurations:
  - type: plugin.config.ocm.software/v2alpha1
    locations: [${probe}]
`);
    const empty = join(ws.dir, 'plugins');
    mkdirSync(empty);
    const viaConfig = ws.run(['version', '--plugin-directory', empty]);
    expect(viaConfig.status, viaConfig.stderr).toBe(0);
    const viaFlag = ws.run(['version', '--plugin-directory', probe]);
    expect(viaFlag.status).not.toBe(0);
    expect(viaFlag.stderr).toContain('setup plugin manager: failed to start plugin broken: exit status 3');
  });

  it('treats a plugin directory that is a symlink as a plugin file, and every command fails', () => {
    const ws = workspace();
    const real = join(ws.dir, 'real-plugins');
    plugin(real, 'fine', { capabilities: [] });
    symlinkSync(real, join(ws.dir, 'linked'));
    expect(ws.run(['version', '--plugin-directory', real]).status).toBe(0);
    const linked = ws.run(['version', '--plugin-directory', join(ws.dir, 'linked')]);
    expect(linked.status).not.toBe(0);
    expect(linked.stderr).toMatch(/failed to start plugin linked: fork\/exec .*: permission denied/);
  });

  it('panics on every command when customCredentialTypes claims a built-in credential alias, not its versioned name', () => {
    const ws = workspace();
    const alias = join(ws.dir, 'alias');
    plugin(alias, 'claims-alias', customCredentialType('OCICredentials'));
    const panicked = ws.run(['version', '--plugin-directory', alias]);
    expect(panicked.status).not.toBe(0);
    expect(panicked.stderr).toContain('panic: type "OCICredentials" is already registered');

    const versioned = join(ws.dir, 'versioned');
    plugin(versioned, 'claims-versioned', customCredentialType('OCICredentials/v1'));
    const ok = ws.run(['version', '--plugin-directory', versioned]);
    expect(ok.status, ok.stderr).toBe(0);
  });
});
