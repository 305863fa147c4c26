/**
 * What the OCM host knows by itself: the Go plugin manager v0.0.17 inside `ocm` CLI v0.13.0, and where upstream HEAD
 * differs. The SDK's runtime, the reference host, `doctor`, the scaffolder and the tests all read these facts here;
 * endpoint paths and payloads stay in the kinds' contracts ({@link KINDS}), from which the per-kind facts derive.
 *
 * Data and zod only, no I/O. The built-in type names are checked against the real CLI's `ocm describe types` by
 * `sdk/test/ocm-cli-host-facts.test.ts`, the rest against the upstream source at the tags named.
 */
export * from './version.js';
export * from './kinds.js';
export * from './builtins.js';
export * from './config.js';
export * from './location.js';
export * from './names.js';
export * from './limits.js';
