/**
 * `ocm-plugin doctor`'s look at the Node.js a packaged plugin embeds (from the build info `ocm-plugin build` stores
 * beside the capabilities): a warning when that Node.js line is past, or close to, its end of life.
 */
import { readBuildInfoFile } from '../build/native-launcher.js';
import { eolWarning, lineOf } from '@ocm-plugin-kit/sdk/runtime-lines';
import type { Finding } from './checks.js';

/** Zero or one finding: none for executables without build info (scripts, bare single executables, older builds). */
export function embeddedRuntimeFindings(file: string, today: Date = new Date()): Finding[] {
  let node: string | undefined;
  try {
    node = readBuildInfoFile(file)?.node;
  } catch {
    return [];
  }
  if (!node) return [];
  const warning = eolWarning(node, today);
  if (warning)
    return [
      {
        check: 'runtime',
        status: 'warn',
        summary: warning,
        fix: 'rebuild with `ocm-plugin build` (it embeds the newest LTS release npm has for every target) and publish the new version',
      },
    ];
  return [{ check: 'runtime', status: 'pass', summary: `embeds Node.js ${node} (end of life ${lineOf(node)!.eol})` }];
}
