/**
 * What the ocm CLI v0.13.0 (plugin manager v0.0.17) accepts in a handshake and which type names it keeps for itself
 * (sdk/docs/protocol.md §1.3, sdk/docs/ocm-cli.md §6). Facts about the host, kept apart from the SDK's own contracts
 * so `doctor` judges any plugin executable, written with this kit or not.
 */

/** Kind → the list fields holding its types. */
export const HANDSHAKE_KINDS: Readonly<Record<string, readonly string[]>> = {
  componentVersionRepository: ['supportedRepositorySpecTypes'],
  resourceRepository: ['supportedAccessTypes'],
  componentLister: ['supportedRepositorySpecTypes'],
  credentialRepository: ['supportedCredentialRepositorySpecTypes', 'supportedConsumerIdentityTypes', 'customCredentialTypes'],
  signingHandler: ['supportedSigningSpecTypes'],
  inputRepository: ['supportedInputTypes'],
  blobTransformer: ['supportedTransformerSpecTypes'],
  digestProcessorRepository: ['supportedAccessTypes'],
};

/** Kinds only the upstream HEAD manager knows; advertising them breaks every v0.13.0 command. */
export const HEAD_ONLY_KINDS: Readonly<Record<string, readonly string[]>> = {
  credentialPlugin: ['supportedCredentialPluginTypes'],
};

const versions = (...names: string[]): string[] => names.flatMap((n) => [`${n}/v1`, n]);
const OCI_REPO = ['OCIRepository', 'OCI', 'oci', 'CommonTransportFormat', 'CTF', 'ctf'].flatMap((n) => [`${n}/v1`, n]);
const OCI_ACCESS = versions('OCIImage', 'ociArtifact', 'ociRegistry', 'ociImage', 'OCIImageLayer', 'ociBlob');
const HELM = versions('Helm', 'helm');
const WGET = versions('Wget', 'wget');

/** Built-in type names per kind (and list field, where it matters): a plugin claiming one is never called. */
export const BUILTIN_TYPES: Readonly<Record<string, readonly string[]>> = {
  componentVersionRepository: OCI_REPO,
  componentLister: OCI_REPO,
  resourceRepository: [...OCI_ACCESS, ...HELM, ...WGET],
  digestProcessorRepository: [...OCI_ACCESS, ...HELM, ...WGET, 'LocalBlob', 'localBlob', 'LocalBlob/v1', 'localBlob/v1'],
  inputRepository: [...versions('File', 'file', 'Dir', 'dir', 'UTF8', 'utf8'), ...HELM, ...WGET],
  blobTransformer: ['extract.oci.artifact.ocm.software/v1alpha1', 'extract.oci.artifact.ocm.software'],
  signingHandler: ['RSASigningConfiguration', 'SigstoreSigningConfiguration', 'SigstoreVerificationConfiguration', 'GPGSigningConfiguration'].flatMap((n) => [`${n}/v1alpha1`, n]),
  credentialRepository: ['DockerConfig/v1', 'DockerConfig'],
  'credentialRepository.customCredentialTypes': [
    ...['OCICredentials', 'HelmHTTPCredentials', 'RSACredentials', 'WgetCredentials', 'Credentials', 'DirectCredentials'].flatMap((n) => [`${n}/v1`, n]),
    ...['GPGCredentials', 'OIDCIdentityToken', 'TrustedRoot'].flatMap((n) => [`${n}/v1alpha1`, n]),
  ],
  credentialPlugin: ['OIDCIdentityTokenProvider/v1alpha1', 'OIDCIdentityTokenProvider'],
};

/** JSON Schema dialects the manager's validator knows without network access. */
export const KNOWN_SCHEMA_DIALECTS: readonly string[] = [
  'https://json-schema.org/draft/2020-12/schema',
  'https://json-schema.org/draft/2019-09/schema',
  'http://json-schema.org/draft-07/schema',
  'http://json-schema.org/draft-06/schema',
  'http://json-schema.org/draft-04/schema',
];

/** Longest Unix socket path (bytes) per platform: `sun_path` is 108 bytes on Linux, 104 on macOS/BSD, minus the NUL. */
export const SOCKET_PATH_MAX = { linux: 107, darwin: 103 } as const;

/** How long the manager waits for the location line. */
export const LOCATION_TIMEOUT_MS = 30_000;
