/**
 * `credentialPlugin` (upstream HEAD manager only): resolves consumer credentials of a plugin-defined credential
 * type, e.g. a vault reference written in `.ocmconfig`. **ocm CLI v0.13.0 fails on every command when a plugin
 * advertises this kind**: `definePlugin` accepts it only with `target: 'head'`.
 */
import { z } from 'zod';
import { TypedCredentials } from './credential-repository.js';
import type { HandlerOf } from './handler-of.js';
import { defineKind, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas } from './kind.js';
import { Identity, RawObject, StringMap } from './model.js';

export const credentialPluginContract = defineKind({
  kind: 'credentialPlugin',
  typesField: 'supportedCredentialPluginTypes',
  typeDescribes: 'credential',
  reachedBy: 'upstream HEAD only: .ocmconfig consumer credentials of a declared type (not ocm CLI v0.13.0)',
  headOnly: true,
  endpoints: [
    {
      name: 'consumerIdentity',
      method: 'POST',
      path: '/consumer-identity',
      summary: 'The identity under which the host resolves a credential of a declared type; its `type` must be a declared type.',
      request: z.object({ credential: RawObject }),
      response: Identity,
      auth: 'never',
      specAt: ['credential'],
      specName: 'credential',
      identity: 'bare',
    },
    {
      name: 'resolve',
      method: 'POST',
      path: '/resolve',
      summary: 'Resolve the credentials for a consumer identity, given the credential in Authorization.',
      request: z.object({ identity: StringMap }),
      response: TypedCredentials,
      nullMeans: 'OCMP_ERR_NO_CREDENTIALS',
      auth: 'optional',
    },
  ],
});

/**
 * What a credential plugin implements. `S` is the union of its declared credential types.
 * - `consumerIdentity`: the identity the host files this credential under. Its `type` must be one of the declared
 *   credential types: the host finds the plugin again by it when resolving.
 * - `resolve`: the credentials for the consumer `identity`. `ctx.credentials` holds what the host resolved for the
 *   identity returned by `consumerIdentity`. Return nothing when there are none: the host gets a 404 saying so.
 */
export type CredentialPluginHandler<S> = HandlerOf<typeof credentialPluginContract, S>;

/**
 * Declares a credential plugin capability (upstream HEAD hosts only; needs `definePlugin({ target: 'head' })`).
 * @example
 * credentialPlugin({ types: { 'VaultSecret.acme.org/v1': VaultSecret }, handler: () => import('./handler.js') })
 */
export function credentialPlugin<const T extends TypeSchemas>(definition: {
  types: T;
  handler: HandlerOrLoader<CredentialPluginHandler<SpecOf<T>>>;
}): Capability<CredentialPluginHandler<SpecOf<T>>> {
  return { contract: credentialPluginContract, types: definition.types, handler: definition.handler };
}
