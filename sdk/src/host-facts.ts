/**
 * What the OCM host knows by itself: the Go plugin manager v0.0.17 inside `ocm` CLI v0.13.0, and where upstream HEAD
 * differs. The SDK's runtime, the reference host, `doctor`, the scaffolder and the tests all read these facts here;
 * endpoint paths and payloads stay in the kinds' contracts ({@link KINDS}), from which the per-kind facts derive.
 *
 * Data and zod only, no I/O. The built-in type names are checked against the real CLI's `ocm describe types` by
 * `conformance/test/interop/host-facts-ocm-cli.test.ts`, the rest against the upstream source at the tags named.
 */
import { z } from 'zod';
import { KINDS } from './contracts/index.js';

/** The released host the kit targets. */
export const HOST = { cli: 'v0.13.0', pluginManager: 'v0.0.17' } as const;

/** Which host a check is made for: the release, or upstream HEAD (forward-compatibility warnings). */
export type HostVersion = 'v0.13.0' | 'head';

// ---------------------------------------------------------------------------------------------------------------
// Kinds

/** A capability kind as the manager's scheme sees it. */
export interface ManagerKind {
  readonly kind: string;
  /** Handshake fields holding `[{type, aliases, jsonSchema}]` lists: the contract's `typesField` first. */
  readonly listFields: readonly string[];
  /** Known only to upstream HEAD; the v0.13.0 manager fails on it (`unsupported type`). */
  readonly headOnly: boolean;
  /** After SIGINT the registry waits up to {@link SHUTDOWN_WAIT_MS} for the exit, then SIGKILLs. */
  readonly waitsOnShutdown: boolean;
}

/** List fields a kind has besides its contract's `typesField` (credentialrepository/v1 `CapabilitySpec`). */
const EXTRA_LIST_FIELDS: Readonly<Record<string, readonly string[]>> = {
  credentialRepository: ['supportedConsumerIdentityTypes', 'customCredentialTypes'],
};

/** Registries whose shutdown waits for the plugin's exit (sdk/docs/protocol.md §1.10). */
const WAITS_ON_SHUTDOWN: ReadonlySet<string> = new Set(['componentLister', 'inputRepository']);

/** Every kind the manager's scheme knows (v0.13.0 and HEAD), derived from {@link KINDS} (sdk/docs/protocol.md §1.3). */
export const MANAGER_KINDS: readonly ManagerKind[] = Object.values(KINDS).map((k) => ({
  kind: k.kind,
  listFields: [k.typesField, ...(EXTRA_LIST_FIELDS[k.kind] ?? [])],
  headOnly: k.headOnly === true,
  waitsOnShutdown: WAITS_ON_SHUTDOWN.has(k.kind),
}));

/** The manager kind for a kind string, or undefined when the host's scheme does not register it. */
export function managerKind(kind: string, host: HostVersion = 'v0.13.0'): ManagerKind | undefined {
  const k = MANAGER_KINDS.find((m) => m.kind === kind);
  return !k || (k.headOnly && host === 'v0.13.0') ? undefined : k;
}

/** The list fields whose entries are looked up by spec type for routing and schema validation. */
export function routingFields(kind: string): readonly string[] {
  if (kind === 'credentialRepository') return ['supportedConsumerIdentityTypes', 'supportedCredentialRepositorySpecTypes'];
  return managerKind(kind, 'head')?.listFields ?? [];
}

// ---------------------------------------------------------------------------------------------------------------
// Built-in type names

/** `Name/version` and `Name` for each name. */
const versioned = (version: string, ...names: string[]): string[] => names.flatMap((n) => [`${n}/${version}`, n]);

const OCM_REPOSITORY = versioned('v1', 'OCIRepository', 'OCI', 'oci', 'CommonTransportFormat', 'CTF', 'ctf');
const OCI_ACCESS = versioned('v1', 'OCIImage', 'ociArtifact', 'ociRegistry', 'ociImage', 'OCIImageLayer', 'ociBlob');
const HELM = versioned('v1', 'Helm', 'helm');
const WGET = versioned('v1', 'Wget', 'wget');

/**
 * Type names the CLI v0.13.0 registers itself (sdk/docs/ocm-cli.md §6, `cli/internal/plugin/builtin` @ cli/v0.13.0),
 * keyed by kind, then by list field (`*` = every list field of the kind). The CLI asks its built-ins first: a plugin
 * claiming one of these is silently never called. As a custom credential type, a built-in's unversioned alias makes
 * every command panic; its versioned name is silently kept by the built-in.
 */
export const BUILTIN_TYPES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  componentVersionRepository: { '*': OCM_REPOSITORY },
  componentLister: { '*': OCM_REPOSITORY },
  resourceRepository: { '*': [...OCI_ACCESS, ...HELM, ...WGET] },
  digestProcessorRepository: { '*': [...OCI_ACCESS, ...HELM, ...WGET, ...versioned('v1', 'LocalBlob', 'localBlob')] },
  inputRepository: { '*': [...versioned('v1', 'File', 'file', 'Dir', 'dir', 'UTF8', 'utf8'), ...HELM, ...WGET] },
  blobTransformer: { '*': versioned('v1alpha1', 'extract.oci.artifact.ocm.software') },
  signingHandler: {
    '*': versioned('v1alpha1', 'RSASigningConfiguration', 'SigstoreSigningConfiguration', 'SigstoreVerificationConfiguration', 'GPGSigningConfiguration'),
  },
  credentialRepository: {
    supportedCredentialRepositorySpecTypes: versioned('v1', 'DockerConfig'),
    customCredentialTypes: [
      ...versioned('v1', 'OCICredentials', 'HelmHTTPCredentials', 'RSACredentials', 'WgetCredentials'),
      ...versioned('v1alpha1', 'GPGCredentials', 'OIDCIdentityToken', 'TrustedRoot'),
      // The credential graph's own direct credentials (credentials@v0.0.14 spec/config/v1/config.go).
      ...versioned('v1', 'Credentials', 'DirectCredentials'),
    ],
  },
  credentialPlugin: { '*': versioned('v1alpha1', 'OIDCIdentityTokenProvider') },
};

/** Names upstream HEAD adds as built-ins (`cli/internal/plugin/builtin/github`), warned about for forward compatibility. */
export const HEAD_BUILTIN_TYPES: Readonly<Record<string, readonly string[]>> = {
  resourceRepository: versioned('v1', 'GitHub', 'github', 'gitHub'),
  digestProcessorRepository: versioned('v1', 'GitHub', 'github', 'gitHub'),
  credentialRepository: versioned('v1', 'GitHubCredentials'),
};

/** Which host's built-ins a type string collides with for a kind and list field, if any. */
export function builtinFor(kind: string, field: string, type: string): HostVersion | undefined {
  const table = BUILTIN_TYPES[kind];
  if ([...(table?.['*'] ?? []), ...(table?.[field] ?? [])].includes(type)) return 'v0.13.0';
  if (HEAD_BUILTIN_TYPES[kind]?.includes(type)) return 'head';
  return undefined;
}

/**
 * The built-in name (of either host) that a type's name part collides with, compared case-insensitively, for
 * choosing new names: `helm.acme.org/v1` is fine, `Helm/v2` or `HELM` is not.
 */
export function builtinNameCollision(kind: string, type: string): string | undefined {
  const nameOf = (t: string) => t.split('/')[0] ?? '';
  const wanted = nameOf(type).toLowerCase();
  const table = BUILTIN_TYPES[kind] ?? {};
  const names = [...Object.values(table).flat(), ...(HEAD_BUILTIN_TYPES[kind] ?? [])].map(nameOf);
  return names.find((n) => n.toLowerCase() === wanted);
}

// ---------------------------------------------------------------------------------------------------------------
// `--config`

/** One hour, the manager's default idle timeout, in nanoseconds. */
export const DEFAULT_IDLE_TIMEOUT_NS = 3_600_000_000_000;

/** The manager's `types.Config` as a plugin receives it: unknown fields are ignored, `configTypes` is optional. */
export const PluginConfigSchema = z.looseObject({
  id: z.string().min(1, { message: 'id must name the plugin' }),
  type: z.enum(['unix', 'tcp'], { message: 'type must be "unix" or "tcp"' }),
  pluginType: z.string().optional(),
  idleTimeout: z
    .number({ message: 'idleTimeout must be a number of nanoseconds' })
    .int({ message: 'idleTimeout must be an integer number of nanoseconds (e.g. 3600000000000 for 1h)' })
    .nonnegative({ message: 'idleTimeout must not be negative' })
    .optional(),
  configTypes: z.array(z.looseObject({ type: z.string().optional() })).optional(),
});

/** The validated `--config`. */
export type PluginConfig = z.infer<typeof PluginConfigSchema>;

export interface ManagerConfigOptions {
  readonly type?: 'unix' | 'tcp';
  /** Integer nanoseconds. Default {@link DEFAULT_IDLE_TIMEOUT_NS}. */
  readonly idleTimeoutNs?: number;
  readonly configTypes?: readonly unknown[];
}

/** The exact `--config` JSON the v0.13.0 manager sends: Go field order, `pluginType` always `""`. */
export function managerConfigJson(id: string, options: ManagerConfigOptions = {}): string {
  const config: Record<string, unknown> = { id, type: options.type ?? 'unix', pluginType: '', idleTimeout: options.idleTimeoutNs ?? DEFAULT_IDLE_TIMEOUT_NS };
  if (options.configTypes && options.configTypes.length > 0) config.configTypes = options.configTypes;
  return JSON.stringify(config);
}

// ---------------------------------------------------------------------------------------------------------------
// Location line

/** Where a plugin listens, as its location line says. */
export type PluginAddress = { readonly socketPath: string } | { readonly origin: string };

/** The location line a plugin prints once on stdout after binding, `\n`-terminated. */
export function formatLocationLine(location: PluginAddress): string {
  return 'socketPath' in location ? `http+unix://${location.socketPath}\n` : `${location.origin}\n`;
}

/**
 * Parses a stdout line as the manager does: a line starting with `http+unix://` (then the socket path) or `http://`
 * is the location; any other line is skipped (sdk/docs/protocol.md §1.6).
 */
export function parseLocationLine(line: string): PluginAddress | undefined {
  const l = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (l.startsWith('http+unix://')) return { socketPath: l.slice('http+unix://'.length) };
  if (l.startsWith('http://')) return { origin: l };
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Names

/** Characters the manager trims from both ends of a plugin path before executing it (sdk/docs/protocol.md §1.1). */
export const TRIMMED_PATH_CHARS = ",;:'\"|&*!@#$";

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
export { isDeclarableType } from './contracts/kind.js';
export { typeStringProblem } from './contracts/model.js';

// ---------------------------------------------------------------------------------------------------------------
// Timeouts and limits

/** How long the manager waits for the location line (`connectionTimeout`). */
export const LOCATION_TIMEOUT_MS = 30_000;

/** How long the componentLister and inputRepository registries wait after SIGINT before SIGKILL. */
export const SHUTDOWN_WAIT_MS = 10_000;

/** `bufio.Scanner`'s default maximum token: a longer line stops the location scan and the log streamer. */
export const MAX_LINE_BYTES = 64 * 1024;

/** Log levels the manager's log streamer accepts (Go `slog.Level.String()`). */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

/** Longest Unix socket path in bytes: `sun_path` is 108 bytes on Linux, 104 on macOS/BSD, minus the NUL. */
export const SOCKET_PATH_MAX = { linux: 107, darwin: 103 } as const;

/** JSON Schema dialects the manager's validator knows without network access. */
export const KNOWN_SCHEMA_DIALECTS: readonly string[] = [
  'https://json-schema.org/draft/2020-12/schema',
  'https://json-schema.org/draft/2019-09/schema',
  'http://json-schema.org/draft-07/schema',
  'http://json-schema.org/draft-06/schema',
  'http://json-schema.org/draft-04/schema',
];
