/**
 * Runs the real `ocm` CLI hermetically for interop tests (sdk/docs/ocm-cli.md §2): a fresh HOME, no inherited OCM
 * config, an explicit `--config` and `--plugin-directory`, a clean working directory.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface OcmResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface OcmWorkspace {
  /** The working directory (CTFs, constructor files, outputs live here). */
  readonly dir: string;
  readonly pluginDir: string;
  readonly configFile: string;
  /** Installs an executable into the plugin directory under the given id (a symlink, as `ocm` allows). */
  install(id: string, executable: string): void;
  /** Writes a file relative to the workspace and returns its path. */
  write(name: string, content: string): string;
  /** Runs `ocm <args>` with `--config` and `--plugin-directory` added. */
  run(args: readonly string[], options?: { env?: NodeJS.ProcessEnv; timeoutMs?: number }): OcmResult;
}

const DEFAULT_CONFIG = 'type: generic.config.ocm.software/v1\nconfigurations: []\n';

/** Creates a hermetic workspace for one `ocm` binary. */
export function ocmWorkspace(ocm: string, config = DEFAULT_CONFIG): OcmWorkspace {
  const dir = mkdtempSync(join(tmpdir(), 'ocm-e2e-'));
  const home = join(dir, '.home');
  const pluginDir = join(dir, 'plugins');
  mkdirSync(home);
  mkdirSync(pluginDir);
  const configFile = join(dir, 'ocmconfig.yaml');
  writeFileSync(configFile, config);
  return {
    dir,
    pluginDir,
    configFile,
    install(id, executable) {
      symlinkSync(executable, join(pluginDir, id));
    },
    write(name, content) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return path;
    },
    run(args, options = {}) {
      const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, OCM_DISABLE_VERSION_CHECK: '1', ...options.env };
      delete env.XDG_CONFIG_HOME;
      delete env.OCM_CONFIG;
      const r = spawnSync(ocm, [...args, '--config', configFile, '--plugin-directory', pluginDir], {
        cwd: dir,
        env,
        encoding: 'utf8',
        timeout: options.timeoutMs ?? 120_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      return { status: r.status, stdout: r.stdout, stderr: r.stderr };
    },
  };
}
