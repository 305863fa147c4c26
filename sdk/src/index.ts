/**
 * Write OCM CLI plugins in TypeScript.
 *
 * @example
 * ```ts
 * import { definePlugin, inputRepository, runPlugin } from '@ocm-plugin-kit/sdk';
 * const plugin = definePlugin({ name: 'hello', capabilities: [inputRepository({ types, handler })] });
 * await runPlugin(plugin);
 * ```
 * @module
 */
export { definePlugin, runPlugin, parseArgs, type Plugin, type PluginDefinition, type LogLevel } from './plugin.js';
export {
  inputRepository,
  type InputRepositoryHandler,
  type ProcessResourceRequest,
  type ProcessSourceRequest,
  type ProcessResourceResult,
  type ProcessSourceResult,
} from './contracts/input-repository.js';
export {
  componentVersionRepository,
  type ComponentVersionRepositoryHandler,
  type NoRepositorySpec,
  type GetComponentVersionRequest,
  type ListComponentVersionsRequest,
  type GetLocalBlobRequest,
  type AddComponentVersionRequest,
  type AddLocalResourceRequest,
  type AddLocalSourceRequest,
  type LocalResourceResult,
  type LocalSourceResult,
} from './contracts/component-version-repository.js';
export {
  resourceRepository,
  type ResourceRepositoryHandler,
  type ResourceWithAccess,
  type GetGlobalResourceRequest,
  type AddGlobalResourceRequest,
} from './contracts/resource-repository.js';
export { componentLister, type ComponentListerHandler, type ComponentListPage, type ListComponentsRequest } from './contracts/component-lister.js';
export {
  credentialRepository,
  type CredentialRepositoryHandler,
  type CustomCredentialType,
  type ResolveCredentialsRequest,
  type TypedCredentials,
} from './contracts/credential-repository.js';
export { credentialPlugin, type CredentialPluginHandler } from './contracts/credential-plugin.js';
export { withJsonSchema } from './schema.js';
export {
  signingHandler,
  type SigningHandler,
  type SignerIdentityRequest,
  type SignRequest,
  type SignResult,
  type VerifyRequest,
} from './contracts/signing-handler.js';
export { blobTransformer, type BlobTransformerHandler, type TransformBlobRequest, type TransformBlobResult } from './contracts/blob-transformer.js';
export {
  digestProcessorRepository,
  type DigestProcessorHandler,
  type ProcessResourceDigestRequest,
  type ProcessResourceDigestResult,
} from './contracts/digest-processor-repository.js';
export type { Capability, HandlerOrLoader, SpecOf, TypeSchemas, KindContract, Endpoint } from './contracts/kind.js';
export type { HandlerOf, RequestOf, ResultOf, EndpointRequest, EndpointResult } from './contracts/handler-of.js';
export type {
  Identity,
  Location,
  Resource,
  Source,
  ComponentDescriptor,
  Digest,
  Signature,
  SignatureInfo,
  Credentials,
  ConstructorResource,
  ConstructorSource,
  Label,
  TypedObject,
} from './contracts/model.js';
export type { HandlerContext, Blobs, BlobSource, WriteBlobOptions, CopyBlobOptions, CopiedBlob } from './context.js';
export type { PluginConfig } from './host-facts/index.js';
export { PluginError, pluginError, ERRORS, type ErrorCode } from './errors.js';
export { credentialProperties } from './server/credentials.js';
export { handshakeJson } from './handshake.js';
export { readAsset, readAssetSync } from './assets.js';
