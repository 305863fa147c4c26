/**
 * `inputRepository`: turns a constructor file's `input:` into a blob, for `ocm add component-version`.
 * Reached from CLI v0.13.0 for every resource or source with an `input` of a declared type.
 */
import { z } from 'zod';
import type { HandlerOf, RequestOf, ResultOf } from './handler-of.js';
import { defineKind, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas } from './kind.js';
import { identityEndpoint } from './identity-endpoint.js';
import { ConstructorResource, ConstructorSource, Location, Resource, Source } from './model.js';

export const inputRepositoryContract = defineKind({
  kind: 'inputRepository',
  typesField: 'supportedInputTypes',
  typeDescribes: 'input spec',
  reachedBy: 'ocm add component-version (resources and sources with `input:`)',
  endpoints: [
    identityEndpoint('input spec', 'Credential consumer identity for an input spec (the Go SDK does not serve this endpoint).', { nullable: true }),
    {
      name: 'processResource',
      method: 'POST',
      path: '/resource/process',
      summary: 'Produce the blob for a resource input.',
      request: z.object({ resource: ConstructorResource }),
      response: z.object({ resource: Resource.nullish(), location: Location }),
      auth: 'optional',
      specAt: ['resource', 'input'],
      specName: 'resource input',
    },
    {
      name: 'processSource',
      method: 'POST',
      path: '/source/process',
      summary: 'Produce the blob for a source input.',
      request: z.object({ source: ConstructorSource }),
      response: z.object({ source: Source, location: Location }),
      auth: 'optional',
      specAt: ['source', 'input'],
      specName: 'source input',
      optional: true,
    },
  ],
});

type Contract = typeof inputRepositoryContract;

/** The request of `/resource/process`, with the input typed as the plugin declared it. */
export type ProcessResourceRequest<S> = RequestOf<Contract, 'processResource', S>;
/** The request of `/source/process`, with the input typed as the plugin declared it. */
export type ProcessSourceRequest<S> = RequestOf<Contract, 'processSource', S>;
/**
 * A processed resource: the blob's location (from `ctx.blobs.write`) and optionally the finished resource
 * (informational: `ocm add cv` v0.13.0 stores the blob with the constructor's own resource).
 */
export type ProcessResourceResult = ResultOf<Contract, 'processResource'>;
/** A processed source: the blob's location and the source (the host requires both). */
export type ProcessSourceResult = ResultOf<Contract, 'processSource'>;

/**
 * What an input plugin implements. `S` is the union of its declared input specs.
 * - `identity`: the consumer identity whose credentials the host should resolve; return nothing when none are needed.
 * - `processSource`: leave out to reject source inputs with a clear error.
 */
export type InputRepositoryHandler<S> = HandlerOf<Contract, S>;

/**
 * Declares an input capability.
 * @example
 * inputRepository({ types: { 'Greeting.acme.org/v1': Greeting }, handler: () => import('./handler.js') })
 */
export function inputRepository<const T extends TypeSchemas>(definition: {
  types: T;
  handler: HandlerOrLoader<InputRepositoryHandler<SpecOf<T>>>;
}): Capability<InputRepositoryHandler<SpecOf<T>>> {
  return { contract: inputRepositoryContract, types: definition.types, handler: definition.handler };
}
