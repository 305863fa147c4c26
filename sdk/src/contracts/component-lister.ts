/**
 * `componentLister`: lists the component names in a repository of a custom type, page by page. No command of CLI
 * v0.13.0 reaches it (`ocm get cv <repo>` lists only CTF); the Go manager library and the reference host do.
 */
import { z } from 'zod';
import type { HandlerOf, RequestOf } from './handler-of.js';
import { defineKind, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas } from './kind.js';
import { identityEndpoint } from './identity-endpoint.js';
import { RawObject } from './model.js';

/** One page: component names, and `header.last` when more pages follow (omit `header` on the last page). */
export const ComponentListPage = z.object({
  list: z.array(z.string()),
  header: z.object({ last: z.string().optional() }).optional(),
});
export type ComponentListPage = z.infer<typeof ComponentListPage>;

export const componentListerContract = defineKind({
  kind: 'componentLister',
  typesField: 'supportedRepositorySpecTypes',
  typeDescribes: 'repository spec',
  reachedBy: 'no ocm CLI v0.13.0 command (Go manager library and the reference host only)',
  endpoints: [
    {
      name: 'listComponents',
      method: 'POST',
      path: '/components/list',
      summary: 'List one page of component names, starting after `last`.',
      request: z.object({
        repository: RawObject,
        /** Exclusive start: the page begins after the component named `last`; `""` for the first page. */
        last: z.string({ message: 'last must be a string ("" for the first page)' }),
      }),
      response: ComponentListPage,
      auth: 'optional',
      specAt: ['repository'],
      specName: 'repository spec',
    },
    identityEndpoint('repository spec', 'Credential consumer identity for a repository spec.'),
  ],
});

type Contract = typeof componentListerContract;

/** The request of `/components/list`: the repository spec and `last`, the exclusive start (`""` for the first page). */
export type ListComponentsRequest<S> = RequestOf<Contract, 'listComponents', S>;

/**
 * What a component lister plugin implements. `S` is the union of its declared repository specs.
 * - `listComponents`: one page of component names. Return `{ list }` alone when there are no more pages, or
 *   `{ list, header: { last } }` with the last name of this page to be asked for the next one.
 */
export type ComponentListerHandler<S> = HandlerOf<Contract, S>;

/**
 * Declares a component lister capability.
 * @example
 * componentLister({ types: { 'Store.acme.org/v1': StoreSpec }, handler: () => import('./lister.js') })
 */
export function componentLister<const T extends TypeSchemas>(definition: {
  types: T;
  handler: HandlerOrLoader<ComponentListerHandler<SpecOf<T>>>;
}): Capability<ComponentListerHandler<SpecOf<T>>> {
  return { contract: componentListerContract, types: definition.types, handler: definition.handler };
}
