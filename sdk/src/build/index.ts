/**
 * Build tooling for plugin authors: bundling, packaging into single executables, publishing as an OCM component.
 * @module
 */
export { bundlePlugin, type BundleOptions } from './bundle.js';
export { buildPlugin, type BuildOptions, type BuildResult, type Artifact } from './package.js';
export { TARGETS, parseTargets, hostTarget, artifactName, type Target, type GoOs, type GoArch } from './targets.js';
export { defaultCacheDir, ensureNode, MissingNodeError } from './node-cache.js';
export { chooseRuntime, parseRuntimeRequest, RuntimeChoiceError, type RuntimeChoice, type RuntimeRequest } from './runtime-choice.js';
export { RUNTIME_LINES, eolWarning, supportedLines, type RuntimeLine } from './runtime-lines.js';
export { adhocSign, checkSignature, type SignatureCheck, type CodeDirectoryCheck } from './macho.js';
export { readFooter, readBuildInfo, readBuildInfoFile, type BuildInfo } from './launcher.js';
