/**
 * Build tooling for plugin authors: bundling, packaging into single executables, publishing as an OCM component.
 * @module
 */
export { bundlePlugin, type BundleOptions } from './build/bundle.js';
export { buildPlugin, type BuildOptions, type BuildResult, type Artifact } from './build/package.js';
export { TARGETS, parseTargets, hostTarget, artifactName, type Target, type GoOs, type GoArch } from './build/targets.js';
export { defaultCacheDir, ensureNode, MissingNodeError } from './build/node-cache.js';
export { chooseRuntime, parseRuntimeRequest, RuntimeChoiceError, type RuntimeChoice, type RuntimeRequest } from './build/runtime-choice.js';
export { RUNTIME_LINES, eolWarning, supportedLines, type RuntimeLine } from '@ocm-plugin-kit/sdk/runtime-lines';
export { adhocSign, checkSignature, type SignatureCheck, type CodeDirectoryCheck } from './build/macho.js';
export { readFooter, readBuildInfo, readBuildInfoFile, type BuildInfo } from './build/native-launcher.js';
