/**
 * `credentialRepository`: resolves credentials for consumer identities from a store (vault, file, …), and declares
 * custom credential types. In CLI v0.13.0 only `customCredentialTypes` has an effect: those types become valid
 * credential types in `.ocmconfig`, handed as they are to the plugin that consumes them. The endpoints are served
 * for hosts that call them (the reference host; future CLIs).
 */
import { z } from 'zod';
import { PluginError } from '../errors.js';
import { base64 } from '../json.js';
import { jsonSchemaOf } from '../schema.js';
import type { HandlerOf, RequestOf } from './handler-of.js';
import { defineKind, isDeclarableType, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas } from './kind.js';
import { Identity, RawObject, StringMap, TypeString } from './model.js';
import { builtinNameCollision } from '../host-facts/builtins.js';

/** Credentials a plugin returns: a JSON object that names its `type` (e.g. `Credentials/v1` with `properties`). */
export const TypedCredentials = z.looseObject({
  type: TypeString.describe('the credential type, e.g. Credentials/v1; the host reads it to decide who understands the credentials'),
});
export type TypedCredentials = z.infer<typeof TypedCredentials>;

export const credentialRepositoryContract = defineKind({
  kind: 'credentialRepository',
  typesField: 'supportedCredentialRepositorySpecTypes',
  typeDescribes: 'credential repository config',
  reachedBy: 'ocm CLI v0.13.0: customCredentialTypes only (credential types accepted in .ocmconfig); endpoints via the reference host',
  fixedFields: { supportedConsumerIdentityTypes: null },
  endpoints: [
    {
      name: 'consumerIdentity',
      method: 'POST',
      path: '/consumer-identity',
      summary: "The consumer identity of the repository's own login, for a repository config.",
      request: z.object({ config: RawObject }),
      response: Identity,
      auth: 'never',
      specAt: ['config'],
      specName: 'credential repository config',
      optional: true,
      identity: 'bare',
    },
    {
      name: 'resolve',
      method: 'POST',
      path: '/resolve',
      summary: 'Resolve the credentials stored for a consumer identity.',
      request: z.object({
        config: RawObject,
        /** The consumer identity whose credentials are wanted, e.g. `{"type":"OCIRegistry","hostname":"ghcr.io"}`. */
        identity: StringMap,
      }),
      response: TypedCredentials,
      nullMeans: 'OCMP_ERR_NO_CREDENTIALS',
      auth: 'optional',
      specAt: ['config'],
      specName: 'credential repository config',
    },
  ],
});

type Contract = typeof credentialRepositoryContract;

/** The request of `/resolve`: the repository config and the consumer `identity` whose credentials are wanted. */
export type ResolveCredentialsRequest<S> = RequestOf<Contract, 'resolve', S>;

/**
 * What a credential repository plugin implements. `S` is the union of its declared repository configs.
 * - `consumerIdentity`: the identity whose credentials the host passes to `resolve` (the store's own login); nothing when none.
 * - `resolve`: the credentials for `identity`, with `type` inside (`{ type: 'Credentials/v1', properties: {…} }` is
 *   understood by every consumer). Return nothing when the store has none: the host gets a 404 saying so.
 */
export type CredentialRepositoryHandler<S> = HandlerOf<Contract, S>;

/** A credential type the plugin introduces, e.g. `com.acme.StoreToken/v1`. */
export interface CustomCredentialType {
  /** Further names users may write for the same type (registered too; they must not collide with other plugins). */
  readonly aliases?: readonly string[];
  /** Schema of the credential object; emitted for documentation, ignored by the v0.13.0 manager. */
  readonly schema?: z.ZodType;
}

function customCredentialEntries(types: Readonly<Record<string, CustomCredentialType>>): Array<Record<string, unknown>> {
  const problems: string[] = [];
  const entries = Object.entries(types).map(([type, def]) => {
    for (const name of [type, ...(def.aliases ?? [])]) {
      if (!isDeclarableType(name)) problems.push(`custom credential type "${name}" is not \`Name\` or \`Name/version\``);
      const builtin = builtinNameCollision('credentialRepository', name, 'customCredentialTypes');
      if (builtin) problems.push(`custom credential type "${name}" is built into the ocm CLI as ${builtin}; claiming it crashes the CLI at start-up`);
    }
    return {
      type,
      aliases: def.aliases && def.aliases.length > 0 ? [...def.aliases] : null,
      jsonSchema: def.schema ? base64(JSON.stringify(jsonSchemaOf(def.schema))) : null,
    };
  });
  if (problems.length > 0) throw PluginError.of('OCMP_ERR_DEFINITION', { detail: `credentialRepository: ${problems.join('; ')}` });
  return entries;
}

/**
 * Declares a credential repository capability and the credential types the plugin introduces.
 * @example
 * credentialRepository({
 *   types: { 'FileStore.acme.org/v1': FileStore },
 *   customCredentialTypes: { 'com.acme.StoreToken/v1': { schema: StoreToken } },
 *   handler: () => import('./handler.js'),
 * })
 */
export function credentialRepository<const T extends TypeSchemas>(definition: {
  types: T;
  /** Credential types users may then write in `.ocmconfig` consumers (emitted as `customCredentialTypes`). */
  customCredentialTypes?: Readonly<Record<string, CustomCredentialType>>;
  handler: HandlerOrLoader<CredentialRepositoryHandler<SpecOf<T>>>;
}): Capability<CredentialRepositoryHandler<SpecOf<T>>> {
  const custom = customCredentialEntries(definition.customCredentialTypes ?? {});
  return {
    contract: credentialRepositoryContract,
    types: definition.types,
    handler: definition.handler,
    ...(custom.length > 0 ? { extraFields: { customCredentialTypes: custom } } : {}),
  };
}
