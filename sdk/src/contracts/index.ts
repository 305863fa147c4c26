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

export {
  defineKind,
  isDeclarableType,
  type AuthHeader,
  type Awaitable,
  type Capability,
  type Endpoint,
  type HandlerOrLoader,
  type KindContract,
  type KnownFields,
  type SpecOf,
  type TypeSchemas,
} from './kind.js';
export type {
  EndpointMethod,
  EndpointNamed,
  EndpointRequest,
  EndpointResult,
  HandlerOf,
  RequestOf,
  ResultOf,
  SpecHint,
  WithSpecAt,
} from './handler-of.js';
/** Go `encoding/json` escaping, shared by the plugin side and hosts that must emit the manager's exact bytes. */
export { goEscape, canonicalJson } from '../json.js';
export {
  ComponentDescriptor,
  ConstructorResource,
  ConstructorSource,
  Credentials,
  Digest,
  Identity,
  IdentityResponse,
  Label,
  Location,
  RawObject,
  Reference,
  Resource,
  Signature,
  SignatureInfo,
  Source,
  SourceRef,
  StringMap,
  TypeString,
  TypedObject,
  typeStringProblem,
} from './model.js';
export { IdentityByTypeRequest, identityEndpoint } from './identity-endpoint.js';
export {
  inputRepository,
  inputRepositoryContract,
  type InputRepositoryHandler,
  type ProcessResourceRequest,
  type ProcessResourceResult,
  type ProcessSourceRequest,
  type ProcessSourceResult,
} from './input-repository.js';
export {
  ElementIdentityQuery,
  componentVersionRepository,
  componentVersionRepositoryContract,
  type AddComponentVersionRequest,
  type AddLocalResourceRequest,
  type AddLocalSourceRequest,
  type ComponentVersionRepositoryHandler,
  type GetComponentVersionRequest,
  type GetLocalBlobRequest,
  type ListComponentVersionsRequest,
  type LocalResourceResult,
  type LocalSourceResult,
  type NoRepositorySpec,
} from './component-version-repository.js';
export {
  resourceRepository,
  resourceRepositoryContract,
  type AddGlobalResourceRequest,
  type GetGlobalResourceRequest,
  type ResourceRepositoryHandler,
  type ResourceWithAccess,
} from './resource-repository.js';
export {
  ComponentListPage,
  componentLister,
  componentListerContract,
  type ComponentListerHandler,
  type ListComponentsRequest,
} from './component-lister.js';
export {
  TypedCredentials,
  credentialRepository,
  credentialRepositoryContract,
  type CredentialRepositoryHandler,
  type CustomCredentialType,
  type ResolveCredentialsRequest,
} from './credential-repository.js';
export { credentialPlugin, credentialPluginContract, type CredentialPluginHandler } from './credential-plugin.js';
export {
  signingHandler,
  signingHandlerContract,
  type SignRequest,
  type SignResult,
  type SignerIdentityRequest,
  type SigningHandler,
  type VerifyRequest,
} from './signing-handler.js';
export {
  blobTransformer,
  blobTransformerContract,
  type BlobTransformerHandler,
  type TransformBlobRequest,
  type TransformBlobResult,
} from './blob-transformer.js';
export {
  digestProcessorRepository,
  digestProcessorRepositoryContract,
  type DigestProcessorHandler,
  type ProcessResourceDigestRequest,
  type ProcessResourceDigestResult,
} from './digest-processor-repository.js';

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
