/**
 * `componentLister`: lists the component names in a repository of a custom type, page by page. No command of CLI
 * v0.13.0 reaches it (`ocm get cv <repo>` lists only CTF); the Go manager library and the reference host do.
 */
import { z } from 'zod';
import type { HandlerContext } from '../context.js';
import { defineKind, type Awaitable, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas } from './kind.js';
import { identityEndpoint } from './identity-endpoint.js';
import { Identity, RawObject } from './model.js';

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
      request: z.object({ repository: RawObject, last: z.string({ message: 'last must be a string ("" for the first page)' }) }),
      response: ComponentListPage,
      auth: 'optional',
      specAt: ['repository'],
      specName: 'repository spec',
    },
    identityEndpoint('repository spec', 'Credential consumer identity for a repository spec.'),
  ],
});

export interface ListComponentsRequest<S> {
  repository: S;
  /** Exclusive start: the page begins after the component named `last`; `""` for the first page. */
  last: string;
}

/** What a component lister plugin implements. `S` is the union of its declared repository specs. */
export interface ComponentListerHandler<S> {
  /**
   * One page of component names. Return `{ list }` alone when there are no more pages, or
   * `{ list, header: { last } }` with the last name of this page to be asked for the next one.
   */
  listComponents(request: ListComponentsRequest<S>, ctx: HandlerContext): Awaitable<ComponentListPage>;
  identity?(request: { type: S }, ctx: HandlerContext): Awaitable<Identity | null | undefined>;
}

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
