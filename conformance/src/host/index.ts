/**
 * The reference host: what the OCM plugin manager does with a plugin, in TypeScript.
 * @module
 */
export { ReferenceHost, type HostOptions, type RegisteredPlugin } from './host.js';
export { discoverPlugins, cleanPath, type DiscoveredPlugin, type DiscoveryResult, type DiscoveryNote } from './discovery.js';
export {
  runCapabilities,
  parseCapabilities,
  loadCapabilities,
  type PluginSpec,
  type CapabilitySpec,
  type TypeEntry,
  type HandshakeIssue,
  type IssueSeverity,
  type CapabilitiesRun,
  type ParsedCapabilities,
} from './capabilities.js';
export { PluginInstance, managerConfigJson, parseLocationLine, MANAGER_HEADERS, type LaunchOptions, type ExitInfo, type HttpResponse } from './process.js';
export {
  encodeRequest,
  sendEndpoint,
  decodeResponse,
  authorizationFor,
  specOf,
  kindClient,
  type CallOptions,
  type KindClient,
  type EndpointCall,
  type WireRequest,
  type EndpointResponse,
} from './client.js';
export { compileSpecSchema, re2Problem, type CompiledSchema } from '../schema/index.js';
export { parseLogLine, type LogRecord, type LogIssue, type LogIssueKind } from './logs.js';
export { goJson, goQueryEscape, goQueryString, isPaddedStdBase64 } from './go.js';
export { HostError } from './errors.js';
