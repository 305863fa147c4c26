/**
 * What the OCM host knows by itself: the Go plugin manager v0.0.17 inside `ocm` CLI v0.13.0, and where upstream HEAD
 * differs. The SDK's runtime, the reference host, `doctor`, the scaffolder and the tests all read these facts here;
 * endpoint paths and payloads stay in the kinds' contracts ({@link KINDS}), from which the per-kind facts derive.
 *
 * Data and zod only, no I/O. The built-in type names are checked against the real CLI's `ocm describe types` by
 * `sdk/test/ocm-cli-host-facts.test.ts`, the rest against the upstream source at the tags named.
 */
export { HOST, type HostVersion } from './version.js';
export { MANAGER_KINDS, managerKind, routingFields, type ManagerKind } from './kinds.js';
export { BUILTIN_TYPES, HEAD_BUILTIN_TYPES, builtinFor, builtinNameCollision } from './builtins.js';
export {
  DEFAULT_IDLE_TIMEOUT_NS,
  PluginConfigSchema,
  managerConfigJson,
  type ManagerConfigOptions,
  type PluginConfig,
} from './config.js';
export { formatLocationLine, parseLocationLine, type PluginAddress } from './location.js';
export {
  SCHEMA_TYPE_PATTERN,
  TRIMMED_PATH_CHARS,
  goExt,
  isDeclarableType,
  pluginIdProblem,
  typeStringProblem,
} from './names.js';
export {
  KNOWN_SCHEMA_DIALECTS,
  LOCATION_TIMEOUT_MS,
  LOG_LEVELS,
  MAX_LINE_BYTES,
  SHUTDOWN_WAIT_MS,
  SOCKET_PATH_MAX,
} from './limits.js';
