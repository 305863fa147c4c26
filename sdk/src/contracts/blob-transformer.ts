/**
 * `blobTransformer`: turns one blob into another (recompress, convert a format, extract). The host hands over a
 * `localFile` it created and expects a `localFile` back. No `ocm` CLI command reaches external transformers
 * (v0.13.0 and HEAD: `download resource --transformer` knows only the built-in `helm`); hosts embedding the Go
 * plugin manager, and this kit's reference host, do.
 */
import { z } from 'zod';
import type { HandlerOf, RequestOf, ResultOf } from './handler-of.js';
import { defineKind, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas } from './kind.js';
import { identityEndpoint } from './identity-endpoint.js';
import { Location, RawObject } from './model.js';

export const blobTransformerContract = defineKind({
  kind: 'blobTransformer',
  typesField: 'supportedTransformerSpecTypes',
  typeDescribes: 'transformer spec',
  reachedBy: 'no ocm CLI command (v0.13.0 knows only the built-in `helm` transformer); Go plugin manager library and the kit reference host',
  endpoints: [
    identityEndpoint('transformer spec', 'Credential consumer identity for a transformer spec (the CLI never asks).'),
    {
      name: 'transformBlob',
      method: 'POST',
      path: '/blob/transform',
      summary: 'Transform a blob file into a new blob file.',
      request: z.object({ location: Location, specification: RawObject }),
      response: z.object({ location: Location }),
      auth: 'optional',
      specAt: ['specification'],
      specName: 'transformer spec',
    },
  ],
});

type Contract = typeof blobTransformerContract;

/** The request of `/blob/transform`: the input blob (a host-created `localFile`, no media type) and the spec. */
export type TransformBlobRequest<S> = RequestOf<Contract, 'transformBlob', S>;
/** The transformed blob: a location from `ctx.blobs.write` or `ctx.blobs.locationOf` (never deleted on answering). */
export type TransformBlobResult = ResultOf<Contract, 'transformBlob'>;

/**
 * What a blob transformer implements. `S` is the union of its declared transformer specs.
 * - `identity`: the consumer identity for a spec (the real body `{type: <spec>}` is decoded); return nothing when none is needed.
 * - `transformBlob`: read the input with `ctx.blobs.open(location)` and write the output as a stream; never buffer whole blobs.
 */
export type BlobTransformerHandler<S> = HandlerOf<Contract, S>;

/**
 * Declares a blob transformer capability.
 * @example
 * blobTransformer({ types: { 'Gzip.acme.org/v1': GzipSpec }, handler: () => import('./handler.js') })
 */
export function blobTransformer<const T extends TypeSchemas>(definition: {
  types: T;
  handler: HandlerOrLoader<BlobTransformerHandler<SpecOf<T>>>;
}): Capability<BlobTransformerHandler<SpecOf<T>>> {
  return { contract: blobTransformerContract, types: definition.types, handler: definition.handler };
}
