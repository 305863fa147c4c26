/**
 * `digestProcessorRepository`: computes (or checks) the digest of a resource given by reference (`access:`), for
 * `ocm add component-version`. The declared types are **access types**. Shipping one is how a custom access type
 * becomes usable in a constructor file: at v0.13.0 `add cv` fails for an access type without a digest processor.
 */
import { z } from 'zod';
import type { HandlerOf, RequestOf, ResultOf } from './handler-of.js';
import { defineKind, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas } from './kind.js';
import { identityEndpoint } from './identity-endpoint.js';
import { RawObject, Resource } from './model.js';

/** A resource whose `access` is present: the host always sends one, and answering `access: null` fails the build. */
const ResourceWithAccess = Resource.extend({ access: RawObject });
const ProcessResourceDigestResponse = z.object({
  resource: Resource.superRefine((r, ctx) => {
    if (r.access === null || r.access === undefined) {
      ctx.addIssue({ code: 'custom', path: ['access'], message: 'access must be echoed: the host fails with "no access was present" on a null access' });
    }
    if (r.digest === null || r.digest === undefined) {
      ctx.addIssue({ code: 'custom', path: ['digest'], message: 'a digest processor must return the resource with its digest' });
    }
  }),
});

export const digestProcessorRepositoryContract = defineKind({
  kind: 'digestProcessorRepository',
  typesField: 'supportedAccessTypes',
  typeDescribes: 'access spec',
  reachedBy: 'ocm add component-version (resources with `access:`, unless --skip-reference-digest-processing)',
  endpoints: [
    identityEndpoint('access spec', 'Credential consumer identity for an access spec.'),
    {
      name: 'processResourceDigest',
      method: 'POST',
      path: '/resource/digest/process',
      summary: 'Compute or verify the digest of a resource given by reference.',
      request: z.object({ resource: ResourceWithAccess }),
      response: ProcessResourceDigestResponse,
      auth: 'optional',
      specAt: ['resource', 'access'],
      specName: 'access spec',
    },
  ],
});

type Contract = typeof digestProcessorRepositoryContract;

/**
 * The request of `/resource/digest/process`: a descriptor resource with the access typed as the plugin declared it.
 * The host does not validate this request against the plugin's schema; the SDK does. `access` is the parsed spec:
 * declare no defaults or transforms in an access schema whose value you echo, or they end up in the descriptor.
 */
export type ProcessResourceDigestRequest<S> = RequestOf<Contract, 'processResourceDigest', S>;
/**
 * The processed resource. It **replaces** the constructor's resource: echo every field of the request (name,
 * version, labels, extraIdentity, srcRefs, type, relation, access) and add or verify `digest`.
 */
export type ProcessResourceDigestResult = ResultOf<Contract, 'processResourceDigest'>;

/**
 * What a digest processor implements. `S` is the union of its declared access specs.
 * - `identity`: the consumer identity (with `type`) whose credentials read the access; return nothing when none are needed.
 * - `processResourceDigest`: returns `{resource: {...resource, digest}}`. When `resource.digest` is already set
 *   (pinned in the constructor file), check it and throw on a mismatch.
 */
export type DigestProcessorHandler<S> = HandlerOf<Contract, S>;

/**
 * Declares a digest processor for access types.
 * @example
 * digestProcessorRepository({ types: { 'HttpFile.acme.org/v1': HttpFile }, handler: () => import('./handler.js') })
 */
export function digestProcessorRepository<const T extends TypeSchemas>(definition: {
  types: T;
  handler: HandlerOrLoader<DigestProcessorHandler<SpecOf<T>>>;
}): Capability<DigestProcessorHandler<SpecOf<T>>> {
  return { contract: digestProcessorRepositoryContract, types: definition.types, handler: definition.handler };
}
