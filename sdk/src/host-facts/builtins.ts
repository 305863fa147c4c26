/** Type names the CLI registers itself: a plugin claiming one is never called. */
import type { HostVersion } from './version.js';

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
 * choosing new names: `helm.acme.org/v1` is fine, `Helm/v2` or `HELM` is not. With `field`, only that list field's
 * built-ins count (and the kind's `*`).
 */
export function builtinNameCollision(kind: string, type: string, field?: string): string | undefined {
  const nameOf = (t: string) => t.split('/')[0] ?? '';
  const wanted = nameOf(type).toLowerCase();
  const table = BUILTIN_TYPES[kind] ?? {};
  const fields = field === undefined ? Object.values(table) : [table['*'] ?? [], table[field] ?? []];
  const names = [...fields.flat(), ...(HEAD_BUILTIN_TYPES[kind] ?? [])].map(nameOf);
  return names.find((n) => n.toLowerCase() === wanted);
}
