/** `ocm-plugin publish`: the plugin as an OCM component version (and optionally a plugin registry entry). */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { publishPlugin } from '../build/publish.js';
import { log, readPackage } from './project.js';

export async function publishCommand(rest: readonly string[]): Promise<number> {
  const { values } = parseArgs({
    args: [...rest],
    options: {
      id: { type: 'string' },
      dir: { type: 'string', default: join('dist', 'bin') },
      component: { type: 'string' },
      version: { type: 'string' },
      provider: { type: 'string' },
      description: { type: 'string' },
      registry: { type: 'string' },
      'registry-description': { type: 'string' },
      repository: { type: 'string' },
      config: { type: 'string', multiple: true },
      replace: { type: 'boolean' },
      'no-ocm': { type: 'boolean' },
    },
  });
  const pkg = readPackage();
  const bins = typeof pkg?.bin === 'object' ? Object.keys(pkg.bin) : [];
  const id = values.id ?? (bins.length === 1 ? bins[0] : undefined);
  if (!id) throw new Error('give --id <plugin id>');
  if (!values.component) throw new Error(`give --component <name>, e.g. --component acme.org/plugins/${id} (its last segment must be the plugin id)`);
  const version = values.version ?? pkg?.version;
  if (!version) throw new Error('give --version <component version>');
  let registry: { component: string; version: string; description?: string } | undefined;
  if (values.registry) {
    const i = values.registry.lastIndexOf(':');
    if (i <= 0) throw new Error(`--registry must be <component>:<version>, e.g. acme.org/plugin-registry:1.0.0`);
    registry = { component: values.registry.slice(0, i), version: values.registry.slice(i + 1), description: values['registry-description'] };
  }
  const res = await publishPlugin({
    id,
    dir: values.dir,
    component: values.component,
    version,
    provider: values.provider,
    description: values.description ?? pkg?.description,
    registry,
    repository: values.repository,
    ocm: values['no-ocm'] ? false : undefined,
    ocmArgs: (values.config ?? []).flatMap((c) => ['--config', c]),
    replace: values.replace ?? false,
    log,
  });
  process.stdout.write(`${res.pluginConstructor}\n${res.registryConstructor ? `${res.registryConstructor}\n` : ''}`);
  return 0;
}
