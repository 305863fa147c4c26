/**
 * Reference OCM plugin host and conformance suite.
 *
 * - {@link runConformance}: run every check against a plugin executable or directory and get a structured report
 *   (`formatText`, `toJson`, `toJUnit` render it); the `ocm-plugin-conformance` CLI and
 *   `@ocm-plugin-kit/conformance/vitest` are built on it.
 * - {@link runHosts}: the same in the real hosts too: the Go plugin manager v0.0.17 (`go`) and the `ocm` CLI (`ocm`).
 * - {@link ReferenceHost}: the plugin manager's discovery, handshake decoding, lazy start, routing, schema
 *   validation and shutdown, with typed per-kind clients built from the SDK's contract tables.
 * @module
 */
export { runConformance, runPluginConformance, findSamplesFile, type ConformanceOptions } from './suite/run.js';
export { runHosts, type HostsOptions } from './hosts/run-hosts.js';
export { locateHarness, type HarnessLocation } from './hosts/go-build.js';
export {
  formatText,
  toJson,
  toJUnit,
  summarize,
  mergeReports,
  GROUPS,
  HOSTS,
  type HostName,
  type HostInfo,
  type ConformanceReport,
  type PluginReport,
  type CheckResult,
  type CheckStatus,
  type CheckGroup,
} from './suite/report.js';
export { loadSamples, parseSamples, SamplesError, type Sample, type SamplesFile } from './suite/samples.js';
export { DEFAULT_TIMINGS, type SuiteTimings } from './suite/context.js';
export {
  HostError,
  MANAGER_HEADERS,
  PluginInstance,
  ReferenceHost,
  authorizationFor,
  cleanPath,
  compileSpecSchema,
  decodeResponse,
  discoverPlugins,
  encodeRequest,
  goJson,
  goQueryEscape,
  goQueryString,
  isPaddedStdBase64,
  kindClient,
  loadCapabilities,
  managerConfigJson,
  parseCapabilities,
  parseLocationLine,
  parseLogLine,
  re2Problem,
  runCapabilities,
  sendEndpoint,
  specOf,
  type CallOptions,
  type CapabilitiesRun,
  type CapabilitySpec,
  type CompiledSchema,
  type DiscoveredPlugin,
  type DiscoveryNote,
  type DiscoveryResult,
  type EndpointCall,
  type EndpointResponse,
  type ExitInfo,
  type HandshakeIssue,
  type HostOptions,
  type HttpResponse,
  type IssueSeverity,
  type KindClient,
  type LaunchOptions,
  type LogIssue,
  type LogIssueKind,
  type LogRecord,
  type ParsedCapabilities,
  type PluginSpec,
  type RegisteredPlugin,
  type TypeEntry,
  type WireRequest,
} from './host/index.js';
