/**
 * Build tooling for plugin authors: bundling (and packaging into single executables).
 * @module
 */
export { bundlePlugin, type BundleOptions } from './bundle.js';
