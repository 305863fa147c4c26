/**
 * The registry of capability kinds. Everything that needs "all kinds" iterates {@link KINDS}: the SDK's server,
 * the reference host, the scaffolder's `--kind` choices, the conformance suite and the generated docs.
 */
import type { KindContract } from './kind.js';
import { inputRepositoryContract } from './input-repository.js';
import { componentVersionRepositoryContract } from './component-version-repository.js';
import { resourceRepositoryContract } from './resource-repository.js';
import { componentListerContract } from './component-lister.js';
import { credentialRepositoryContract } from './credential-repository.js';
import { credentialPluginContract } from './credential-plugin.js';
import { signingHandlerContract } from './signing-handler.js';
import { blobTransformerContract } from './blob-transformer.js';
import { digestProcessorRepositoryContract } from './digest-processor-repository.js';

export * from './kind.js';
export * from './handler-of.js';
/** Go `encoding/json` escaping, shared by the plugin side and hosts that must emit the manager's exact bytes. */
export { goEscape, canonicalJson } from '../json.js';
export * from './model.js';
export * from './identity-endpoint.js';
export * from './input-repository.js';
export * from './component-version-repository.js';
export * from './resource-repository.js';
export * from './component-lister.js';
export * from './credential-repository.js';
export * from './credential-plugin.js';
export * from './signing-handler.js';
export * from './blob-transformer.js';
export * from './digest-processor-repository.js';

/** Every capability kind the SDK implements, keyed by kind string. */
export const KINDS: Readonly<Record<string, KindContract>> = {
  [inputRepositoryContract.kind]: inputRepositoryContract,
  [componentVersionRepositoryContract.kind]: componentVersionRepositoryContract,
  [resourceRepositoryContract.kind]: resourceRepositoryContract,
  [componentListerContract.kind]: componentListerContract,
  [credentialRepositoryContract.kind]: credentialRepositoryContract,
  [credentialPluginContract.kind]: credentialPluginContract,
  [signingHandlerContract.kind]: signingHandlerContract,
  [blobTransformerContract.kind]: blobTransformerContract,
  [digestProcessorRepositoryContract.kind]: digestProcessorRepositoryContract,
};

/** Kinds the v0.13.0 plugin manager (ocm CLI v0.13.0) accepts in a handshake. */
export const RELEASED_KINDS: readonly string[] = Object.values(KINDS)
  .filter((k) => !k.headOnly)
  .map((k) => k.kind);
