/**
 * `resourceRepository`: downloads (and uploads) resources whose `access` is of a custom type. The declared types are
 * access types. Reached from CLI v0.13.0 by `ocm download resource` (and `ocm download plugin`) for resources whose
 * access is not `localBlob`.
 */
import { z } from 'zod';
import type { HandlerOf, RequestOf, WithSpecAt } from './handler-of.js';
import { defineKind, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas } from './kind.js';
import { identityEndpoint } from './identity-endpoint.js';
import { Location, Resource } from './model.js';

export const resourceRepositoryContract = defineKind({
  kind: 'resourceRepository',
  typesField: 'supportedAccessTypes',
  typeDescribes: 'access spec',
  reachedBy: 'ocm download resource (non-localBlob access), ocm download plugin',
  endpoints: [
    identityEndpoint('access spec', 'Credential consumer identity for an access spec.'),
    {
      name: 'getGlobalResource',
      method: 'POST',
      path: '/resource/get',
      summary: 'Fetch the blob a resource access points to.',
      request: z.object({ resource: Resource }),
      response: z.object({ location: Location }),
      auth: 'optional',
      specAt: ['resource', 'access'],
      specName: 'access spec',
    },
    {
      name: 'addGlobalResource',
      method: 'POST',
      path: '/resource/add',
      summary: 'Store a blob where the resource access says and return the resource with its final access.',
      request: z.object({
        /** The blob: a host temp file without `mediaType`. Read it with `ctx.blobs.open(resourceLocation)`. */
        resourceLocation: Location,
        resource: Resource,
      }),
      response: z.object({ resource: Resource }),
      auth: 'optional',
      specAt: ['resource', 'access'],
      specName: 'access spec',
      optional: true,
    },
  ],
});

/** A resource whose `access` is typed as the plugin declared it. */
export type ResourceWithAccess<S> = WithSpecAt<Resource, ['access'], S>;

type Contract = typeof resourceRepositoryContract;

/** The request of `/resource/get`: the resource, its access typed as the plugin declared it. */
export type GetGlobalResourceRequest<S> = RequestOf<Contract, 'getGlobalResource', S>;
/** The request of `/resource/add`: the blob and the resource to store it for. */
export type AddGlobalResourceRequest<S> = RequestOf<Contract, 'addGlobalResource', S>;

/**
 * What a resource repository plugin implements. `S` is the union of its declared access specs.
 * - `identity`: the consumer identity (with `type`) for an access spec; return nothing when no credentials are needed.
 * - `getGlobalResource`: fetch the blob; return the location from `ctx.blobs.write` (set `mediaType` if known).
 * - `addGlobalResource`: store the blob; return the resource with its final access (never `null`).
 */
export type ResourceRepositoryHandler<S> = HandlerOf<Contract, S>;

/**
 * Declares a resource repository capability for custom access types.
 * @example
 * resourceRepository({ types: { 'Bucket.acme.org/v1': BucketAccess }, handler: () => import('./handler.js') })
 */
export function resourceRepository<const T extends TypeSchemas>(definition: {
  types: T;
  handler: HandlerOrLoader<ResourceRepositoryHandler<SpecOf<T>>>;
}): Capability<ResourceRepositoryHandler<SpecOf<T>>> {
  return { contract: resourceRepositoryContract, types: definition.types, handler: definition.handler };
}
