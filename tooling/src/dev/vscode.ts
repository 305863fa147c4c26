/** The VS Code (js-debug) `launch.json` configuration that attaches to a dev-launched plugin. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DevConfig } from './config.js';

export function attachConfigurationName(id: string): string {
  return `Attach to OCM plugin ${id}`;
}

/**
 * `restart: true` re-attaches whenever the host starts a new plugin process: the ocm CLI starts one per command.
 * The bundle sits in the cache directory (often under node_modules, which js-debug ignores for source maps by
 * default), so `resolveSourceMapLocations` names it.
 */
export function attachConfiguration(cfg: DevConfig): Record<string, unknown> {
  const inspect = cfg.inspect ?? { host: '127.0.0.1', port: 9229, wait: false };
  return {
    type: 'node',
    request: 'attach',
    name: attachConfigurationName(cfg.id),
    address: inspect.host,
    port: inspect.port,
    restart: true,
    continueOnAttach: true,
    sourceMaps: true,
    outFiles: [join(cfg.cacheDir, '*.cjs')],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a VS Code launch variable, resolved by the editor
    resolveSourceMapLocations: [join(cfg.cacheDir, '**'), '${workspaceFolder}/**'],
    skipFiles: ['<node_internals>/**'],
  };
}

/**
 * Adds (or replaces, by name) the attach configuration in `<dir>/.vscode/launch.json`. Returns false, changing
 * nothing, when the existing file is not plain JSON (comments): then paste the printed configuration by hand.
 */
export function writeAttachConfiguration(projectDir: string, configuration: Record<string, unknown>): { path: string; written: boolean } {
  const path = join(projectDir, '.vscode', 'launch.json');
  let doc: { version?: string; configurations?: Array<Record<string, unknown>> } = { version: '0.2.0', configurations: [] };
  if (existsSync(path)) {
    try {
      doc = JSON.parse(readFileSync(path, 'utf8'));
    } catch {
      return { path, written: false };
    }
  }
  const configurations = (doc.configurations ?? []).filter((c) => c.name !== configuration.name);
  configurations.push(configuration);
  mkdirSync(join(projectDir, '.vscode'), { recursive: true });
  writeFileSync(path, `${JSON.stringify({ ...doc, version: doc.version ?? '0.2.0', configurations }, null, 2)}\n`);
  return { path, written: true };
}
