/**
 * The kit's conformance suite against the bundled plugins in `dist/plugins/`, through a reference host that starts
 * and talks to them the way the ocm CLI v0.13.0 plugin manager does: handshake, every endpoint with the samples in
 * conformance.samples.yaml, lifecycle (idle exit, SIGINT, concurrency, stale sockets), faults and secret leaks.
 * One test per check group; warnings are printed, skipped checks say why.
 */
import { resolve } from 'node:path';
import { describeConformance } from '@ocm-plugin-kit/conformance/vitest';
import { PLUGIN_DIR } from './support/bundle.js';

describeConformance({
  plugin: PLUGIN_DIR,
  samples: resolve(import.meta.dirname, '../conformance.samples.yaml'),
  timeoutMs: 300_000,
});
