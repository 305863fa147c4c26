import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { KINDS } from '@ocm-plugin-kit/sdk/contracts';
import { goKinds, goKindsJson } from '../src/go/kinds-json.js';

const file = join(import.meta.dirname, '..', 'go', 'kinds.json');
// `npm run gen:go-kinds -w conformance` sets UPDATE_GO_KINDS=1 to rewrite the file from the contracts.
if (process.env.UPDATE_GO_KINDS) writeFileSync(file, goKindsJson());

describe('conformance/go/kinds.json', () => {
  it('matches the contracts (run `npm run gen:go-kinds -w conformance` after changing a contract)', () => {
    expect(readFileSync(file, 'utf8')).toBe(goKindsJson());
  });
  it('names every kind and endpoint of KINDS', () => {
    const kinds = goKinds();
    expect(Object.keys(kinds)).toEqual(Object.keys(KINDS));
    for (const k of Object.values(KINDS)) expect(kinds[k.kind]!.endpoints).toEqual(k.endpoints.map((e) => e.name));
  });
});
