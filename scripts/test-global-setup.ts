/**
 * Bundles every example plugin once per test run (esbuild, well under a second each), so process-level tests run
 * the same single-file JavaScript that `ocm-plugin bundle` produces for users.
 */
import { bundleExamples } from './examples.js';

export default async function setup(): Promise<void> {
  await bundleExamples();
}
