/** `ocm-plugin launchers --out <dir>`: the native launchers, built with the Go toolchain when the kit is released. */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLauncher } from '../build/native-launcher.js';
import { parseTargets } from '../build/targets.js';
import { log } from './project.js';

export async function launchersCommand(rest: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...rest], options: { out: { type: 'string' }, targets: { type: 'string', default: 'all' } } });
  if (!values.out) throw new Error('give --out <dir>');
  for (const t of parseTargets(values.targets)) {
    const out = join(values.out, `${t.os}-${t.arch}${t.suffix}`);
    const problem = await buildLauncher(t, out);
    if (problem) throw new Error(`${t.name}: ${problem}`);
    log(out);
  }
  return 0;
}
