/**
 * The suite's groups, by what a test drives: pure logic, real plugin processes, the Go plugin manager, the real
 * `ocm` CLI, packaged executables. A test belongs to the group its tag names (vitest `tags`, for files that mix
 * groups), else to the first group whose file patterns match its file. CI fails when an interop group ran no test.
 */
import picomatch from 'picomatch';

export interface TestGroup {
  /** Also the vitest tag that puts a test into this group: `npx vitest run --tags-filter=<name>`. */
  readonly name: string;
  readonly description: string;
  /** Drives a real host: in CI this group must run tests, and none of them may be skipped. */
  readonly interop: boolean;
  /** Repository-relative globs of the files whose tests belong here. The last group takes every other file. */
  readonly files: readonly string[];
}

export const TEST_GROUPS: readonly TestGroup[] = [
  {
    name: 'go-manager',
    description: 'plugins driven through the Go plugin manager v0.0.17, and the upstream Go test plugins',
    interop: true,
    files: ['**/test/go-harness.test.ts', 'conformance/test/interop/**', 'conformance/test/upstream/**'],
  },
  {
    name: 'ocm-cli',
    description: 'plugins inside the real ocm CLI v0.13.0',
    interop: true,
    files: ['**/test/ocm-cli*.test.ts'],
  },
  {
    name: 'packaging',
    description: 'single executables: launcher, embedded Node.js, code cache, signatures, emulated targets',
    interop: false,
    files: ['tooling/test/build/**', 'conformance/test/packaged.test.ts'],
  },
  {
    name: 'real-process',
    description: 'plugins, the scaffolder and the conformance suite as real processes over real sockets',
    interop: false,
    files: [
      'examples/*/test/**',
      'sdk/test/lifecycle.test.ts',
      'sdk/test/testing.test.ts',
      'tooling/test/dev/**',
      'sdk/test/server/listen.test.ts',
      'sdk/test/contracts/*-routes.test.ts',
      'conformance/test/examples.test.ts',
      'conformance/test/host/location.test.ts',
      'conformance/test/suite/**',
      'create-ocm-plugin/test/**',
    ],
  },
  { name: 'unit', description: 'pure logic', interop: false, files: ['**'] },
];

/** The group of a test, from its tags and its repository-relative file path. */
export function groupOf(file: string, tags: readonly string[]): TestGroup {
  return TEST_GROUPS.find((g) => tags.includes(g.name)) ?? TEST_GROUPS.find((g) => matchers.get(g)!(file))!;
}

const matchers = new Map(TEST_GROUPS.map((g) => [g, picomatch([...g.files])]));
