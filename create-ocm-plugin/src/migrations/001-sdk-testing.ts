/**
 * 0.2.0 split the kit into a runtime package (`@ocm-plugin-kit/sdk`) and a tooling package
 * (`@ocm-plugin-kit/tooling`). The test context projects carried in `test/support/context.ts` became the SDK's
 * `@ocm-plugin-kit/sdk/testing`, and the build API moved from `@ocm-plugin-kit/sdk/build` to the main export of
 * `@ocm-plugin-kit/tooling` (`@ocm-plugin-kit/sdk/runtime-lines` stayed). Template files follow through the merge; this
 * migration moves the imports in the author's own files. A `test/support/context.ts` the author edited stays, and
 * so do the imports of it.
 */
import { posix } from 'node:path';
import type { Migration, ProjectTree } from './types.js';

const CONTEXT = 'test/support/context.ts';
const SOURCE = /\.(c|m)?tsx?$|\.(c|m)?js$/;

/** `'./support/context.js'`, `"../test/support/context"` … as seen from `file`. */
function contextImport(file: string): RegExp {
  const fromDir = posix.relative(posix.dirname(file), 'test/support/context');
  const rel = fromDir.startsWith('.') ? fromDir : `./${fromDir}`;
  const escaped = rel.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return new RegExp(`(['"])${escaped}(\\.js|\\.ts)?\\1`, 'g');
}

export const migration: Migration = {
  id: '001',
  title: 'imports of the test context and the build API follow the runtime/tooling split',
  introducedIn: '0.2.0',
  run(tree: ProjectTree): string[] {
    const done: string[] = [];
    const contextKept = tree.read(CONTEXT) !== undefined;
    for (const file of tree.list()) {
      if (!SOURCE.test(file) || file === CONTEXT) continue;
      const text = tree.read(file);
      if (text === undefined) continue;
      let next = text.replace(/(['"])@ocm-plugin-kit\/sdk\/build\1/g, '$1@ocm-plugin-kit/tooling$1');
      if (!contextKept) next = next.replace(contextImport(file), '$1@ocm-plugin-kit/sdk/testing$1');
      if (next !== text) {
        tree.write(file, next);
        done.push(`${file}: imports moved to ${contextKept ? '@ocm-plugin-kit/tooling' : '@ocm-plugin-kit/sdk/testing and @ocm-plugin-kit/tooling'}`);
      }
    }
    return done;
  },
};
