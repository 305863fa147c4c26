/**
 * What the OCM plugin manager (bindings/go/plugin v0.0.17, inside `ocm` CLI v0.13.0) knows by itself: the capability
 * kinds its scheme registers, their list fields, and the type names the CLI registers as built-ins. These are facts
 * about the Go host, not about this kit's contracts; endpoint paths and payloads always come from the SDK's `KINDS`.
 */

/** Which host the plugin must satisfy. */
export type Target = 'v0.13.0' | 'head';

/** A capability kind the manager's scheme knows, with the handshake fields that carry type lists. */
export interface ManagerKind {
  readonly kind: string;
  /** Fields holding `[{type, aliases, jsonSchema}]` lists. */
  readonly listFields: readonly string[];
  /** Known only to upstream HEAD; the v0.13.0 manager fails on it (`unsupported type`). */
  readonly headOnly?: boolean;
  /** After SIGINT, the registry waits up to 10 s for the exit, then SIGKILLs (componentLister, inputRepository). */
  readonly waitsOnShutdown?: boolean;
}

/** sdk/docs/protocol.md §1.3 (kind strings) and §1.10 (shutdown per registry). */
export const MANAGER_KINDS: readonly ManagerKind[] = [
  { kind: 'componentVersionRepository', listFields: ['supportedRepositorySpecTypes'] },
  { kind: 'resourceRepository', listFields: ['supportedAccessTypes'] },
  { kind: 'componentLister', listFields: ['supportedRepositorySpecTypes'], waitsOnShutdown: true },
  {
    kind: 'credentialRepository',
    listFields: ['supportedCredentialRepositorySpecTypes', 'supportedConsumerIdentityTypes', 'customCredentialTypes'],
  },
  { kind: 'credentialPlugin', listFields: ['supportedCredentialPluginTypes'], headOnly: true },
  { kind: 'signingHandler', listFields: ['supportedSigningSpecTypes'] },
  { kind: 'inputRepository', listFields: ['supportedInputTypes'], waitsOnShutdown: true },
  { kind: 'blobTransformer', listFields: ['supportedTransformerSpecTypes'] },
  { kind: 'digestProcessorRepository', listFields: ['supportedAccessTypes'] },
];

/** The manager kind for a kind string, or undefined when the target's scheme does not register it. */
export function managerKind(kind: string, target: Target = 'v0.13.0'): ManagerKind | undefined {
  const k = MANAGER_KINDS.find((m) => m.kind === kind);
  if (!k || (k.headOnly && target === 'v0.13.0')) return undefined;
  return k;
}

/**
 * The list fields whose entries are looked up by spec type for routing and schema validation
 * (sdk/docs/protocol.md §2.5, §2.6).
 */
export function routingFields(kind: string): readonly string[] {
  if (kind === 'credentialRepository') return ['supportedConsumerIdentityTypes', 'supportedCredentialRepositorySpecTypes'];
  return managerKind(kind, 'head')?.listFields ?? [];
}

const withVersions = (...names: string[]): string[] => names;

const OCI_CTF = withVersions('OCIRepository/v1', 'OCIRepository', 'OCI/v1', 'OCI', 'oci/v1', 'oci', 'CommonTransportFormat/v1', 'CommonTransportFormat', 'CTF/v1', 'CTF', 'ctf/v1', 'ctf');
const OCI_ACCESS = withVersions('OCIImage/v1', 'OCIImage', 'ociArtifact/v1', 'ociArtifact', 'ociRegistry/v1', 'ociRegistry', 'ociImage/v1', 'ociImage', 'OCIImageLayer/v1', 'OCIImageLayer', 'ociBlob/v1', 'ociBlob');
const HELM = withVersions('Helm/v1', 'Helm', 'helm/v1', 'helm');
const WGET = withVersions('Wget/v1', 'Wget', 'wget/v1', 'wget');
const GITHUB_HEAD = withVersions('GitHub/v1', 'GitHub', 'github/v1', 'github', 'gitHub/v1', 'gitHub');
const CREDENTIAL_TYPES = ['OCICredentials', 'HelmHTTPCredentials', 'RSACredentials', 'WgetCredentials']
  .flatMap((n) => [`${n}/v1`, n])
  .concat(['GPGCredentials/v1alpha1', 'GPGCredentials', 'OIDCIdentityToken/v1alpha1', 'OIDCIdentityToken', 'TrustedRoot/v1alpha1', 'TrustedRoot'])
  .concat(['Credentials/v1', 'Credentials', 'DirectCredentials/v1', 'DirectCredentials']);

/**
 * Built-in type names per registry (sdk/docs/ocm-cli.md §6, `cli/internal/plugin/builtin` @ cli/v0.13.0). The CLI
 * checks its built-ins first: a plugin claiming one of these is silently never called (credential type aliases:
 * startup panic). Keyed by kind, then by list field (`*` = every list field of the kind).
 */
export const BUILTIN_TYPES: Readonly<Record<string, Readonly<Record<string, readonly string[]>>>> = {
  componentVersionRepository: { '*': OCI_CTF },
  componentLister: { '*': OCI_CTF },
  resourceRepository: { '*': [...OCI_ACCESS, ...HELM, ...WGET] },
  digestProcessorRepository: { '*': [...OCI_ACCESS, ...HELM, ...WGET, 'LocalBlob', 'localBlob', 'LocalBlob/v1', 'localBlob/v1'] },
  inputRepository: {
    '*': [
      ...withVersions('File/v1', 'File', 'file/v1', 'file', 'Dir/v1', 'Dir', 'dir/v1', 'dir', 'UTF8/v1', 'UTF8', 'utf8/v1', 'utf8'),
      ...HELM,
      ...WGET,
    ],
  },
  blobTransformer: { '*': ['extract.oci.artifact.ocm.software/v1alpha1', 'extract.oci.artifact.ocm.software'] },
  signingHandler: {
    '*': ['RSASigningConfiguration', 'SigstoreSigningConfiguration', 'SigstoreVerificationConfiguration', 'GPGSigningConfiguration'].flatMap((n) => [
      `${n}/v1alpha1`,
      n,
    ]),
  },
  credentialRepository: {
    supportedCredentialRepositorySpecTypes: ['DockerConfig/v1', 'DockerConfig'],
    customCredentialTypes: CREDENTIAL_TYPES,
  },
  credentialPlugin: { '*': ['OIDCIdentityTokenProvider/v1alpha1', 'OIDCIdentityTokenProvider'] },
};

/** Names that upstream HEAD adds as built-ins (warned about for forward compatibility). */
export const HEAD_BUILTIN_TYPES: Readonly<Record<string, readonly string[]>> = {
  resourceRepository: GITHUB_HEAD,
  digestProcessorRepository: GITHUB_HEAD,
  credentialRepository: ['GitHubCredentials/v1', 'GitHubCredentials'],
};

/** The built-in names a type string collides with for a kind and list field, if any. */
export function builtinFor(kind: string, field: string, type: string): 'v0.13.0' | 'head' | undefined {
  const table = BUILTIN_TYPES[kind];
  const names = [...(table?.['*'] ?? []), ...(table?.[field] ?? [])];
  if (names.includes(type)) return 'v0.13.0';
  if (HEAD_BUILTIN_TYPES[kind]?.includes(type)) return 'head';
  return undefined;
}

/** Log levels the manager's log streamer accepts (Go `slog.Level.String()`). */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;

/** `bufio.Scanner` default maximum token size: longer lines stop the location scan and the log streamer. */
export const MAX_LINE_BYTES = 64 * 1024;

/** The manager's wait for the location line (`connectionTimeout`). */
export const LOCATION_TIMEOUT_MS = 30_000;

/** How long componentLister and inputRepository registries wait after SIGINT before SIGKILL. */
export const SHUTDOWN_WAIT_MS = 10_000;

/** The idle timeout the CLI sends by default: 1 h in nanoseconds. */
export const DEFAULT_IDLE_TIMEOUT_NS = 3_600_000_000_000;

/** Characters the manager trims from both ends of a plugin path before executing it (sdk/docs/protocol.md §1.1). */
export const TRIMMED_PATH_CHARS = ",;:'\"|&*!@#$";
