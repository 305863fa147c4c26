/**
 * Type names the `ocm` CLI v0.13.0 registers itself (`cli/internal/plugin/builtin`), per capability kind. A plugin
 * claiming one of them is silently shadowed: the CLI never calls it. Source: `sdk/docs/ocm-cli.md` §6.
 */
const OCI_CTF = ['OCIRepository', 'OCI', 'oci', 'CommonTransportFormat', 'CTF', 'ctf', 'OCIRegistry', 'ociRegistry'];
const OCI_ACCESS = ['OCIImage', 'ociArtifact', 'ociRegistry', 'ociImage', 'OCIImageLayer', 'ociBlob', 'Helm', 'helm', 'Wget', 'wget', 'GitHub', 'github', 'gitHub'];

/** Built-in type *names* (the part before `/version`) per kind; every version of them is reserved. */
export const BUILTIN_TYPE_NAMES: Readonly<Record<string, readonly string[]>> = {
  componentVersionRepository: OCI_CTF,
  componentLister: OCI_CTF,
  resourceRepository: OCI_ACCESS,
  digestProcessorRepository: [...OCI_ACCESS, 'LocalBlob', 'localBlob'],
  inputRepository: ['File', 'file', 'Dir', 'dir', 'UTF8', 'utf8', 'Helm', 'helm', 'Wget', 'wget'],
  blobTransformer: ['extract.oci.artifact.ocm.software'],
  signingHandler: ['RSASigningConfiguration', 'SigstoreSigningConfiguration', 'SigstoreVerificationConfiguration', 'GPGSigningConfiguration'],
  credentialRepository: ['DockerConfig'],
};

/** The built-in name a type collides with in `kind`'s registry (compared case-insensitively), if any. */
export function builtinCollision(kind: string, type: string): string | undefined {
  const name = (type.split('/')[0] ?? '').toLowerCase();
  return (BUILTIN_TYPE_NAMES[kind] ?? []).find((b) => b.toLowerCase() === name);
}
