/**
 * Build tooling for plugin authors: bundling, packaging into single executables, publishing as an OCM component.
 * @module
 */
export { bundlePlugin, type BundleOptions } from './bundle.js';
export { buildPlugin, type BuildOptions, type BuildResult, type Artifact } from './package.js';
export { TARGETS, parseTargets, hostTarget, artifactName, type Target, type GoOs, type GoArch } from './targets.js';
export { NODE_VERSION, defaultCacheDir, ensureNode, MissingNodeError } from './node-cache.js';
export { adhocSign, checkSignature, type SignatureCheck, type CodeDirectoryCheck } from './macho.js';
export { readFooter } from './launcher.js';
