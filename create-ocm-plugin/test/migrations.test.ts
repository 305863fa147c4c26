/** The numbered migrations: listed in order, and each one idempotent. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS, type ProjectTree } from '../src/migrations/index.js';
import { PACKAGE_ROOT } from '../src/templates.js';

function tree(files: Record<string, string>): ProjectTree & { files: Record<string, string> } {
  return {
    files,
    list: () => Object.keys(files).sort(),
    read: (p) => files[p],
    write: (p, t) => {
      files[p] = t;
    },
    remove: (p) => void delete files[p],
  };
}

describe('migrations', () => {
  it('every src/migrations/NNN-title.ts is listed once, in the order of its number', () => {
    const files = readdirSync(join(PACKAGE_ROOT, 'src/migrations'))
      .filter((f) => /^\d{3}-.+\.ts$/.test(f))
      .sort();
    expect(MIGRATIONS.map((m) => m.id)).toEqual(files.map((f) => f.slice(0, 3)));
  });

  describe('001: imports follow the runtime/tooling split', () => {
    const m = MIGRATIONS.find((x) => x.id === '001')!;
    const own = {
      'test/extra.test.ts': "import { testContext } from './support/context.js';\nimport { build } from '@ocm-plugin-kit/sdk/build';\n",
      'test/deep/more.test.ts': 'import { testContext } from "../support/context";\n',
      'scripts/release.ts': "import { buildPlugin } from '@ocm-plugin-kit/sdk/build';\nimport { projectNodeLines } from '@ocm-plugin-kit/sdk/runtime-lines';\n",
      'src/input/handler.ts': "import type { InputRepositoryHandler } from '@ocm-plugin-kit/sdk';\n",
    };

    it("moves the author's imports of the dropped test context and of the build API; a second run changes nothing", () => {
      const t = tree({ ...own });
      expect(m.run(t)).toHaveLength(3);
      expect(t.files['test/extra.test.ts']).toBe(
        "import { testContext } from '@ocm-plugin-kit/sdk/testing';\nimport { build } from '@ocm-plugin-kit/tooling';\n",
      );
      expect(t.files['test/deep/more.test.ts']).toBe('import { testContext } from "@ocm-plugin-kit/sdk/testing";\n');
      expect(t.files['scripts/release.ts']).toBe(
        "import { buildPlugin } from '@ocm-plugin-kit/tooling';\nimport { projectNodeLines } from '@ocm-plugin-kit/sdk/runtime-lines';\n",
      );
      expect(t.files['src/input/handler.ts']).toBe(own['src/input/handler.ts']);
      const after = { ...t.files };
      expect(m.run(t)).toEqual([]);
      expect(t.files).toEqual(after);
    });

    it('leaves the imports of a test context the author kept (edited)', () => {
      const t = tree({ ...own, 'test/support/context.ts': 'export const testContext = () => ({});\n' });
      m.run(t);
      expect(t.files['test/extra.test.ts']).toContain("from './support/context.js'");
      expect(t.files['test/extra.test.ts']).toContain("from '@ocm-plugin-kit/tooling'");
    });
  });
});
