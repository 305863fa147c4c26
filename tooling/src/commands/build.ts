/** `ocm-plugin build`: one single executable per target platform. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildPlugin } from '../build/package.js';
import { parseTargets } from '../build/targets.js';
import { log, pluginFromPackage } from './project.js';

export async function buildCommand(rest: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...rest],
    allowPositionals: true,
    options: {
      id: { type: 'string' },
      out: { type: 'string', default: join('dist', 'bin') },
      targets: { type: 'string', default: 'all' },
      launcher: { type: 'string', default: 'auto' },
      'no-compress': { type: 'boolean' },
      minify: { type: 'boolean' },
      cache: { type: 'string' },
      offline: { type: 'boolean' },
      node: { type: 'string' },
    },
  });
  const { id, entry } = pluginFromPackage(values.id, positionals[0]);
  const launcher = values.launcher;
  if (launcher !== 'auto' && launcher !== 'required' && launcher !== 'none') throw new Error(`--launcher must be auto, required or none, not ${launcher}`);
  const result = await buildPlugin({
    entry,
    id,
    outDir: values.out,
    targets: parseTargets(values.targets),
    launcher,
    compress: !values['no-compress'],
    minify: values.minify ?? false,
    cacheDir: values.cache,
    node: values.node,
    fetch: !values.offline,
    log,
  });
  for (const a of result.artifacts) process.stdout.write(`${a.path}\n`);
  if (result.failed.length > 0) {
    for (const f of result.failed) log(`ocm-plugin build: ${f.target.name} not built: ${f.reason}`);
    return 1;
  }
  return 0;
}
