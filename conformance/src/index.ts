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
export { formatText, toJson, toJUnit, summarize, mergeReports, GROUPS, HOSTS, type HostName, type HostInfo, type ConformanceReport, type PluginReport, type CheckResult, type CheckStatus, type CheckGroup } from './suite/report.js';
export { loadSamples, parseSamples, SamplesError, type Sample, type SamplesFile } from './suite/samples.js';
export { DEFAULT_TIMINGS, type SuiteTimings } from './suite/context.js';
export * from './host/index.js';
