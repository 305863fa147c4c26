/** Reading the secrets file: owner-only permissions, clear errors that never include secret values. */
import type { Stats } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pluginError } from '@ocm-plugin-kit/sdk';
import { parse } from 'yaml';
import { CredentialsFileContent, type FileEntry } from './spec.js';

/** Reads and checks the file on every call, so edits take effect without restarting the plugin. */
export async function readSecrets(path: string, checkPermissions = true): Promise<FileEntry[]> {
  const file = resolve(path);
  const info = await stat(file).catch(() => undefined);
  if (!info) throw pluginError(404, `credentials file ${file} does not exist`);
  if (!info.isFile()) throw pluginError(400, `credentials file ${file} is not a regular file`);
  if (checkPermissions) checkOwnerOnly(file, info);
  let raw: unknown;
  try {
    raw = parse(await readFile(file, 'utf8'));
  } catch (err) {
    // yaml's messages quote the offending line, which may hold a secret: report only the position.
    const pos = (err as { linePos?: Array<{ line: number; col: number }> }).linePos?.[0];
    throw pluginError(422, `credentials file ${file} is not valid YAML/JSON${pos ? ` (line ${pos.line}, column ${pos.col})` : ''}`);
  }
  const checked = CredentialsFileContent.safeParse(raw ?? { credentials: [] });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    throw pluginError(422, `credentials file ${file}: ${issue?.path.join('.') || '(root)'}: ${issue?.message}`);
  }
  return checked.data.credentials;
}

/** Refuses files that others may read or that belong to someone else. */
function checkOwnerOnly(file: string, info: Stats): void {
  if ((info.mode & 0o077) !== 0) {
    throw pluginError(
      403,
      `credentials file ${file} is accessible by group or others (mode ${(info.mode & 0o777).toString(8).padStart(4, '0')}); run: chmod 600 ${file}`,
    );
  }
  const uid = process.getuid?.();
  if (uid !== undefined && info.uid !== uid) {
    throw pluginError(403, `credentials file ${file} belongs to uid ${info.uid}, not to the user running ocm (uid ${uid})`);
  }
}

/** The entry for an identity: every entry attribute must match; the most specific entry wins. */
export function findEntry(entries: readonly FileEntry[], identity: Record<string, string>): FileEntry | undefined {
  let best: FileEntry | undefined;
  let bestScore = -1;
  for (const entry of entries) {
    const attrs = Object.entries(entry.identity);
    if (!attrs.every(([k, v]) => identity[k] === v)) continue;
    if (attrs.length > bestScore) {
      best = entry;
      bestScore = attrs.length;
    }
  }
  return best;
}
