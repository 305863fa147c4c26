/**
 * `npm run test:fuzz`: the root configuration with only conformance/test/examples.fuzz.ts, which `npm test` does not
 * run. The root script sets `OCM_CONFORMANCE_FUZZ_RUNS`.
 */
import { defineConfig } from 'vitest/config';
import base from '../../vitest.config.js';

export default defineConfig({
  ...base,
  test: { ...base.test, include: ['conformance/test/examples.fuzz.ts'], typecheck: { enabled: false } },
});
