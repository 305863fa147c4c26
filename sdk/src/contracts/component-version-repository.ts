/**
 * `componentVersionRepository`: a store of component versions of a custom repository type. Reached from CLI v0.13.0
 * only through `resolvers.config.ocm.software/v1alpha1` entries (read path: referenced components in `get cv
 * --recursive`, `add cv`, `transfer cv -r`). The write endpoints are part of the contract but no v0.13.0 command
 * calls them.
 *
 * The GET endpoints carry no repository spec: the manager validates the spec, then sends only the query. Handlers
 * of GET endpoints therefore receive `repository: undefined`, plus `repositoryHint`: the last spec this plugin
 * process saw on `POST /identity` or an upload. Declare one repository type per plugin.
 */
import { z } from 'zod';
import type { HandlerOf, RequestOf, ResultOf, SpecHint } from './handler-of.js';
import { defineKind, type Capability, type HandlerOrLoader, type SpecOf, type TypeSchemas } from './kind.js';
import { identityEndpoint } from './identity-endpoint.js';
import { ComponentDescriptor, Location, RawObject, Resource, Source, StringMap } from './model.js';

const STRICT_BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * The `identity` query parameter: standard padded base64 of a JSON string map (the element identity of the
 * resource or source). Absent or empty → `{}`; JSON `null` → `{}` (the manager encodes a nil identity as `null`).
 */
export const ElementIdentityQuery = z
  .string()
  .optional()
  .transform((value, ctx): Record<string, string> => {
    if (value === undefined || value === '') return {};
    if (!STRICT_BASE64.test(value)) {
      ctx.addIssue({ code: 'custom', message: 'identity is not standard padded base64 (the host sends base64 of a JSON object of strings)' });
      return z.NEVER;
    }
    let decoded: unknown;
    try {
      decoded = JSON.parse(Buffer.from(value, 'base64').toString('utf8'));
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: `identity does not decode to JSON: ${(err as Error).message}` });
      return z.NEVER;
    }
    if (decoded === null) return {};
    const map = StringMap.safeParse(decoded);
    if (!map.success) {
      ctx.addIssue({ code: 'custom', message: 'identity decodes to JSON that is not an object of string values' });
      return z.NEVER;
    }
    return map.data;
  });

const NonEmpty = (what: string) => z.string({ message: `${what} is required` }).min(1, { message: `${what} must not be empty` });

const ComponentName = NonEmpty('query parameter name (component name)');
const ComponentVersion = NonEmpty('query parameter version');
const GetLocalBlobQuery = z.object({ identity: ElementIdentityQuery, name: ComponentName, version: ComponentVersion });

export const componentVersionRepositoryContract = defineKind({
  kind: 'componentVersionRepository',
  typesField: 'supportedRepositorySpecTypes',
  typeDescribes: 'repository spec',
  reachedBy: 'resolvers.config.ocm.software/v1alpha1 entries: ocm get cv --recursive, ocm add cv (component references), ocm transfer cv -r',
  endpoints: [
    {
      name: 'getComponentVersion',
      method: 'GET',
      path: '/component-version/download',
      summary: 'Return the v2 component descriptor of a component version.',
      request: z.object({ name: ComponentName, version: ComponentVersion }),
      response: ComponentDescriptor,
      auth: 'always',
      hint: 'repository',
    },
    {
      name: 'listComponentVersions',
      method: 'GET',
      path: '/component-versions',
      summary: 'List the versions of a component.',
      request: z.object({ name: ComponentName }),
      response: z.array(z.string()),
      auth: 'always',
      hint: 'repository',
    },
    {
      name: 'getLocalResource',
      method: 'GET',
      path: '/local-resource/download',
      summary: 'Return a local resource blob and the resource it belongs to.',
      request: GetLocalBlobQuery,
      response: z.object({ location: Location, resource: Resource }),
      auth: 'always',
      hint: 'repository',
    },
    {
      name: 'getLocalSource',
      method: 'GET',
      path: '/local-source/download',
      summary: 'Return a local source blob and the source it belongs to.',
      request: GetLocalBlobQuery,
      response: z.object({ location: Location, source: Source }),
      auth: 'always',
      hint: 'repository',
      optional: true,
    },
    {
      name: 'addComponentVersion',
      method: 'POST',
      path: '/component-version/upload',
      summary: 'Store a component descriptor.',
      request: z.object({ repository: RawObject, descriptor: ComponentDescriptor }),
      auth: 'always',
      specAt: ['repository'],
      specName: 'repository spec',
      optional: true,
    },
    {
      name: 'addLocalResource',
      method: 'POST',
      path: '/local-resource/upload',
      summary: 'Store a local resource blob and return the resource with its final access.',
      request: z.object({
        repository: RawObject,
        /** Component name. */
        name: z.string().min(1),
        /** Component version. */
        version: z.string().min(1),
        /** The blob: a host temp file (`$TMPDIR/resource…`, no `mediaType`). Read it with `ctx.blobs.open(resourceLocation)`. */
        resourceLocation: Location,
        /** The resource; its `access.mediaType` usually says the blob's media type. */
        resource: Resource,
      }),
      response: Resource,
      auth: 'always',
      specAt: ['repository'],
      specName: 'repository spec',
      optional: true,
    },
    {
      name: 'addLocalSource',
      method: 'POST',
      path: '/local-source/upload',
      summary: 'Store a local source blob and return the source with its final access.',
      request: z.object({
        repository: RawObject,
        name: z.string().min(1),
        version: z.string().min(1),
        /** The blob: a host temp file. Read it with `ctx.blobs.open(sourceLocation)`. */
        sourceLocation: Location,
        source: Source,
      }),
      response: Source,
      auth: 'always',
      specAt: ['repository'],
      specName: 'repository spec',
      optional: true,
    },
    identityEndpoint('repository spec', 'Credential consumer identity for a repository spec.'),
    {
      name: 'checkHealth',
      method: 'POST',
      path: '/component-version/check-health',
      summary: 'Check that the repository is reachable (never called by CLI v0.13.0; answers 200 unless the handler throws).',
      request: z.object({ repository: RawObject }),
      auth: 'always',
      specAt: ['repository'],
      specName: 'repository spec',
      optional: true,
      whenAbsent: 'ok',
    },
  ],
});

type Contract = typeof componentVersionRepositoryContract;

/**
 * What every GET endpoint gets instead of a repository spec (the host never sends the spec on GET requests):
 * - `repository`: always `undefined`.
 * - `repositoryHint`: best-effort hint, not part of the request: the last repository spec this plugin process
 *   received on `POST /identity` or an upload, already validated. The CLI calls `/identity` before reading, so with
 *   one repository of this type in the resolver config it is that repository; with several it may be another one.
 *   `undefined` when no such request came yet. Fall back to configuration (e.g. an environment variable) then.
 */
export type NoRepositorySpec<S> = SpecHint<'repository', S>;

/** The request of `GET /component-version/download`: component `name` (e.g. `acme.org/demo`) and `version`. */
export type GetComponentVersionRequest<S> = RequestOf<Contract, 'getComponentVersion', S>;
/** The request of `GET /component-versions`: the component `name`. */
export type ListComponentVersionsRequest<S> = RequestOf<Contract, 'listComponentVersions', S>;
/**
 * The request of the local blob downloads: component `name` and `version`, and the element `identity` of the
 * resource or source (`name`, `version` and its `extraIdentity` keys; `{}` if none was sent).
 */
export type GetLocalBlobRequest<S> = RequestOf<Contract, 'getLocalResource', S>;
/** The request of `/component-version/upload`: the repository spec and the descriptor to store. */
export type AddComponentVersionRequest<S> = RequestOf<Contract, 'addComponentVersion', S>;
/** The request of `/local-resource/upload`. */
export type AddLocalResourceRequest<S> = RequestOf<Contract, 'addLocalResource', S>;
/** The request of `/local-source/upload`. */
export type AddLocalSourceRequest<S> = RequestOf<Contract, 'addLocalSource', S>;
/** A local resource blob: `location` from `ctx.blobs.write` (never deleted on responding) and the resource (required: the host dereferences it). */
export type LocalResourceResult = ResultOf<Contract, 'getLocalResource'>;
/** A local source blob: `location` from `ctx.blobs.write` and the source. */
export type LocalSourceResult = ResultOf<Contract, 'getLocalSource'>;

/**
 * What a component version repository plugin implements. `S` is the union of its declared repository specs.
 * - `listComponentVersions`: versions of a component, best effort sorted; the host sorts and filters itself.
 * - `addLocalResource`, `addLocalSource`: store the blob and return the element as stored (typically with its final `access`).
 * - `identity`: the consumer identity (with `type`) whose credentials the host passes on every other call.
 * - `checkHealth`: left out, `/component-version/check-health` answers 200.
 */
export type ComponentVersionRepositoryHandler<S> = HandlerOf<Contract, S>;

/**
 * Declares a component version repository capability.
 * @example
 * componentVersionRepository({ types: { 'Store.acme.org/v1': StoreSpec }, handler: () => import('./handler.js') })
 */
export function componentVersionRepository<const T extends TypeSchemas>(definition: {
  types: T;
  handler: HandlerOrLoader<ComponentVersionRepositoryHandler<SpecOf<T>>>;
}): Capability<ComponentVersionRepositoryHandler<SpecOf<T>>> {
  return { contract: componentVersionRepositoryContract, types: definition.types, handler: definition.handler };
}
