/**
 * `digestProcessorRepository`: computes (or checks) the digest of a resource given by reference (`access:`), for
 * `ocm add component-version`. The declared types are **access types**. Shipping one is how a custom access type
 * becomes usable in a constructor file: at v0.13.0 `add cv` fails for an access type without a digest processor.
 */
import { z } from 'zod';
import type { HandlerContext } from '../context.js';
import { defineKind, type Awaitable, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas, type WithSpec } from './kind.js';
import { identityEndpoint } from './identity-endpoint.js';
import { Identity, RawObject, Resource } from './model.js';

/** A resource whose `access` is present: the host always sends one, and answering `access: null` fails the build. */
const ResourceWithAccess = Resource.extend({ access: RawObject });
const ProcessResourceDigestRequest = z.object({ resource: ResourceWithAccess });
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
      request: ProcessResourceDigestRequest,
      response: ProcessResourceDigestResponse,
      auth: 'optional',
      specAt: ['resource', 'access'],
      specName: 'access spec',
    },
  ],
});

/**
 * The request of `/resource/digest/process`: a descriptor resource with the access typed as the plugin declared it.
 * The host does not validate this request against the plugin's schema; the SDK does. `access` is the parsed spec:
 * declare no defaults or transforms in an access schema whose value you echo, or they end up in the descriptor.
 */
export interface ProcessResourceDigestRequest<S> {
  resource: WithSpec<Resource, 'access', S>;
}
/**
 * The processed resource. It **replaces** the constructor's resource: echo every field of the request (name,
 * version, labels, extraIdentity, srcRefs, type, relation, access) and add or verify `digest`.
 */
export interface ProcessResourceDigestResult {
  resource: Resource;
}

/** What a digest processor implements. `S` is the union of its declared access specs. */
export interface DigestProcessorHandler<S> {
  /** The consumer identity (with `type`) whose credentials read the access; return nothing when none are needed. */
  identity?(request: { type: S }, ctx: HandlerContext): Awaitable<Identity | null | undefined>;
  /**
   * Returns `{resource: {...resource, digest}}`. When `resource.digest` is already set (pinned in the constructor
   * file), check it and throw on a mismatch.
   */
  processResourceDigest(request: ProcessResourceDigestRequest<S>, ctx: HandlerContext): Awaitable<ProcessResourceDigestResult>;
}

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
