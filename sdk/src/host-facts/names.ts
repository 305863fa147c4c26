/** Rules for the names the host discovers and parses: plugin file names and type strings. */

/** Characters the manager trims from both ends of a plugin path before executing it (sdk/docs/protocol.md §1.1). */
export const TRIMMED_PATH_CHARS = ',;:\'"|&*!@#$';

/** Go `filepath.Ext` of a base name: from the last dot on (`.hidden` has the extension `.hidden`). */
export function goExt(name: string): string {
  const i = name.lastIndexOf('.');
  return i >= 0 ? name.slice(i) : '';
}

/**
 * Why the CLI would not discover a plugin file of this name, or undefined when it would: the file name is the id,
 * and the CLI skips names with an extension.
 */
export function pluginIdProblem(id: string): string | undefined {
  if (!id) return 'the id is empty';
  if (id.includes('/') || id.includes('\\')) return `"${id}" contains a path separator`;
  if (goExt(id)) return `"${id}" contains a "." (the ocm CLI skips files with an extension, e.g. "${id}" would be read as having the extension "${goExt(id)}")`;
  if (TRIMMED_PATH_CHARS.includes(id[0]!) || TRIMMED_PATH_CHARS.includes(id[id.length - 1]!)) {
    return `"${id}" starts or ends with one of ${TRIMMED_PATH_CHARS}, which the ocm CLI trims from plugin paths`;
  }
  return undefined;
}

/**
 * The type-name pattern of the OCM runtime's own JSON schemas (RE2-safe): `Name` with an optional `/vN`, `/vNalphaM`
 * or `/vNbetaM`. What new plugin types should follow; the host itself accepts any {@link typeStringProblem}-free name.
 */
export const SCHEMA_TYPE_PATTERN = /^([a-zA-Z0-9][a-zA-Z0-9.]*)(\/v[0-9]+(alpha[0-9]+|beta[0-9]+)?)?$/;

/** Type-string rules live with the wire model; named here as host facts. */
export { isDeclarableType } from '../contracts/kind.js';
export { typeStringProblem } from '../contracts/model.js';
