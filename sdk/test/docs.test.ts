import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS } from '../src/contracts/index.js';
import { errorsReference, kindsReference, runtimeLinesTable } from '../src/docs.js';
import { ERRORS } from '../src/errors.js';

const dir = join(import.meta.dirname, '..', 'docs', 'reference');
const protocol = readFileSync(join(dir, '..', 'protocol.md'), 'utf8');
// `npm run docs -w sdk` sets UPDATE_DOCS=1 to rewrite the pages from the code.
if (process.env.UPDATE_DOCS) {
  writeFileSync(join(dir, 'kinds.md'), kindsReference(protocol));
  writeFileSync(join(dir, 'errors.md'), errorsReference());
}
const ref = (name: string) => readFileSync(join(dir, name), 'utf8');

const packaging = join(import.meta.dirname, '..', '..', 'tooling', 'docs', 'packaging.md');
const RUNTIME_TABLE = /<!-- runtime-lines[\s\S]*?<!-- \/runtime-lines -->\n/;
if (process.env.UPDATE_DOCS) writeFileSync(packaging, readFileSync(packaging, 'utf8').replace(RUNTIME_TABLE, runtimeLinesTable()));

describe('generated reference docs', () => {
  it('kinds.md matches the contracts (run `npm run docs -w sdk` after changing a contract)', () => {
    expect(ref('kinds.md')).toBe(kindsReference(protocol));
  });
  it('errors.md matches the error table', () => {
    expect(ref('errors.md')).toBe(errorsReference());
  });
  it('packaging.md lists the Node.js lines of runtime-lines.ts with their end of life', () => {
    expect(RUNTIME_TABLE.exec(readFileSync(packaging, 'utf8'))?.[0]).toBe(runtimeLinesTable());
  });
  it('documents every kind and every endpoint', () => {
    const doc = kindsReference(protocol);
    for (const k of Object.values(KINDS)) {
      expect(doc).toContain(`## \`${k.kind}\``);
      for (const e of k.endpoints) expect(doc).toContain(`\`${e.method} ${e.path}\``);
    }
  });
  it('keeps error codes unique and named for their table key', () => {
    for (const code of Object.keys(ERRORS)) expect(code).toMatch(/^OCMP_ERR_[A-Z_]+$/);
  });
});
