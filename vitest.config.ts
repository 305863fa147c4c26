import { defineConfig } from 'vitest/config';
import { TEST_GROUPS } from './scripts/test-groups.js';

export default defineConfig({
  // Workspace packages point the `source` condition at TypeScript: tests never see a stale dist/ build.
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'], externalConditions: ['source'] } },
  test: {
    include: ['{sdk,tooling,conformance,create-ocm-plugin,examples/*,scripts}/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    globalSetup: ['./scripts/test-global-setup.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Tests of a file that mixes groups carry their group as a tag (scripts/test-groups.ts).
    tags: TEST_GROUPS.map((g) => ({ name: g.name, description: g.description })),
    // Type tests (expectTypeOf) of the handler types the contracts derive; tsc alone would not report them as tests.
    typecheck: { enabled: true, include: ['sdk/test/types/**/*.test-d.ts'], tsconfig: './sdk/test/types/tsconfig.json' },
    reporters: ['default', './scripts/group-reporter.ts', ...(process.env.CI ? ['junit'] : [])],
    outputFile: { junit: './reports/junit.xml' },
  },
});
