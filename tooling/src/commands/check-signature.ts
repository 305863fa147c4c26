/** `ocm-plugin check-signature <file>`: recomputes the page hashes of a macOS executable's code signature. */
import { readFile } from 'node:fs/promises';
import { checkSignature } from '../build/macho.js';

export async function checkSignatureCommand(rest: readonly string[]): Promise<number> {
  const file = rest[0];
  if (!file) throw new Error('give the file to check');
  const check = checkSignature(await readFile(file));
  process.stdout.write(`${JSON.stringify(check, null, 2)}\n`);
  return check.signed && check.problems.length === 0 && check.codeDirectories.every((c) => c.mismatches === 0) ? 0 : 1;
}
