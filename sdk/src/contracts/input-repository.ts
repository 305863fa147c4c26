/**
 * `inputRepository`: turns a constructor file's `input:` into a blob, for `ocm add component-version`.
 * Reached from CLI v0.13.0 for every resource or source with an `input` of a declared type.
 */
import { z } from 'zod';
import type { HandlerContext } from '../context.js';
import { defineKind, type Awaitable, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas, type WithSpec } from './kind.js';
import { identityEndpoint } from './identity-endpoint.js';
import { ConstructorResource, ConstructorSource, Identity, Location, Resource, Source } from './model.js';

const ProcessResourceRequest = z.object({ resource: ConstructorResource });
const ProcessSourceRequest = z.object({ source: ConstructorSource });
const ProcessResourceResponse = z.object({ resource: Resource.nullish(), location: Location });
const ProcessSourceResponse = z.object({ source: Source, location: Location });

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
      request: ProcessResourceRequest,
      response: ProcessResourceResponse,
      auth: 'optional',
      specAt: ['resource', 'input'],
      specName: 'resource input',
    },
    {
      name: 'processSource',
      method: 'POST',
      path: '/source/process',
      summary: 'Produce the blob for a source input.',
      request: ProcessSourceRequest,
      response: ProcessSourceResponse,
      auth: 'optional',
      specAt: ['source', 'input'],
      specName: 'source input',
      optional: true,
    },
  ],
});

/** The request of `/resource/process`, with the input typed as the plugin declared it. */
export interface ProcessResourceRequest<S> {
  resource: WithSpec<ConstructorResource, 'input', S>;
}
/** The request of `/source/process`, with the input typed as the plugin declared it. */
export interface ProcessSourceRequest<S> {
  source: WithSpec<ConstructorSource, 'input', S>;
}
/** A processed resource: the blob's location (from `ctx.blobs.write`) and optionally the finished resource. */
export interface ProcessResourceResult {
  location: Location;
  /** Informational: `ocm add cv` v0.13.0 stores the blob with the constructor's own resource. */
  resource?: Resource;
}
/** A processed source: the blob's location and the source (the host requires both). */
export interface ProcessSourceResult {
  location: Location;
  source: Source;
}

/** What an input plugin implements. `S` is the union of its declared input specs. */
export interface InputRepositoryHandler<S> {
  /** The consumer identity whose credentials the host should resolve; return nothing when none are needed. */
  identity?(request: { type: S }, ctx: HandlerContext): Awaitable<Identity | null | undefined>;
  processResource(request: ProcessResourceRequest<S>, ctx: HandlerContext): Awaitable<ProcessResourceResult>;
  /** Leave out to reject source inputs with a clear error. */
  processSource?(request: ProcessSourceRequest<S>, ctx: HandlerContext): Awaitable<ProcessSourceResult>;
}

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
