/**
 * The dev launcher's `capabilities` answer, cached in `<cacheDir>/capabilities.sh` so that the launcher script
 * answers it without starting Node.js while the sources are unchanged (every `ocm` command asks every plugin).
 *
 * The file is sourced by `/bin/sh`: it defines `ocm_caps_key` (one `stat` of every build input: size and mtime in
 * nanoseconds), the key the answer was made under, and the answer's exact bytes. The key is taken with that same
 * function before the freshness check, so an edit racing the check makes the keys differ and Node.js answers.
 */
import { spawnSync } from 'node:child_process';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const capabilitiesCachePath = (cacheDir: string): string => join(cacheDir, 'capabilities.sh');

const shQuote = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/** The `ocm_caps_key` shell function over these files (GNU stat, else BSD stat; empty output means "no key"). */
function keyFunction(files: readonly string[]): string {
  const list = files.map(shQuote).join(' ');
  return `ocm_caps_key() { stat -L -c '%s %.9Y' -- ${list} 2>/dev/null || stat -L -f '%z %Fm' -- ${list} 2>/dev/null; }`;
}

/** The key of the files now, as the launcher computes it; undefined when `stat` cannot give one. */
export function capabilitiesKey(files: readonly string[]): string | undefined {
  if (files.length === 0) return undefined;
  const r = spawnSync('/bin/sh', ['-c', `${keyFunction(files)}\nocm_caps_key`], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  const key = r.status === 0 ? r.stdout.replace(/\n+$/, '') : '';
  return key.split('\n').length === files.length ? key : undefined;
}

/** Writes the cache file (atomically: a launcher reading it never sees half of it). */
export function writeCapabilitiesCache(cacheDir: string, files: readonly string[], key: string, answer: string): void {
  const path = capabilitiesCachePath(cacheDir);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${keyFunction(files)}\nocm_caps_expected=${shQuote(key)}\nocm_caps_out=${shQuote(answer)}\n`);
  renameSync(tmp, path);
}

export function removeCapabilitiesCache(cacheDir: string): void {
  rmSync(capabilitiesCachePath(cacheDir), { force: true });
}

/** The launcher script lines that answer `capabilities` from the cache when its key still matches. */
export function cachedCapabilitiesLines(cacheDir: string): string[] {
  const path = shQuote(capabilitiesCachePath(cacheDir));
  return [
    `if [ "$#" -eq 1 ] && [ "$1" = capabilities ] && [ -f ${path} ]; then`,
    `  . ${path}`,
    '  k=$(ocm_caps_key)',
    `  if [ -n "$k" ] && [ "$k" = "$ocm_caps_expected" ]; then printf '%s' "$ocm_caps_out"; exit 0; fi`,
    'fi',
  ];
}
