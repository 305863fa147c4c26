/**
 * The suite covers exactly the kinds in the SDK's `KINDS`. If the package import resolves to a stale build instead
 * of the sources, kinds silently drop out of every conformance run; this test makes that visible.
 */
import { expect, it } from 'vitest';
import { KINDS } from '@ocm-plugin-kit/sdk/contracts';
import { KINDS as SOURCE_KINDS } from '../../sdk/src/contracts/index.js';

it('the conformance package sees every kind of the SDK sources', () => {
  expect(
    Object.keys(KINDS),
    '@ocm-plugin-kit/sdk/contracts resolved to something other than sdk/src (a stale sdk/dist?). Vitest runs tests in its ' +
      'SSR environment, whose conditions do not inherit resolve.conditions: set ssr.resolve.conditions to ["source"] in vitest.config.ts, ' +
      'or rebuild the SDK.',
  ).toEqual(Object.keys(SOURCE_KINDS));
});
