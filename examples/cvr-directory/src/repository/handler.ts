import { pluginError, type ComponentVersionRepositoryHandler, type HandlerContext } from '@ocm-plugin-kit/sdk';
import { DIRECTORY_ENV, type ComponentDirectorySpec } from '../spec.js';
import { ComponentStore } from '../store.js';

/**
 * The store a GET request means. The host sends no repository spec on GET requests, so this uses the spec the
 * CLI sent on `/identity` just before (it always asks for the identity first), else `$OCM_COMPONENT_DIRECTORY`.
 */
function storeFor(hint: ComponentDirectorySpec | undefined, ctx: HandlerContext): ComponentStore {
  const root = hint?.path ?? process.env[DIRECTORY_ENV];
  if (!root) {
    throw pluginError(
      409,
      `no component directory known for this request: the OCM host sends no repository spec on GET requests and none was seen on /identity; set ${DIRECTORY_ENV} to the store's path`,
    );
  }
  if (!hint) ctx.log.debug({ root }, `using ${DIRECTORY_ENV}`);
  return new ComponentStore(root);
}

const handler: ComponentVersionRepositoryHandler<ComponentDirectorySpec> = {
  getComponentVersion: ({ name, version, repositoryHint }, ctx) => storeFor(repositoryHint, ctx).getDescriptor(name, version),

  listComponentVersions: ({ name, repositoryHint }, ctx) => storeFor(repositoryHint, ctx).listVersions(name),

  async getLocalResource({ name, version, identity, repositoryHint }, ctx) {
    const { element, file, mediaType } = await storeFor(repositoryHint, ctx).localBlob(name, version, 'resources', identity);
    return { location: await ctx.blobs.write({ path: file }, { mediaType, name: element.name }), resource: element };
  },

  async getLocalSource({ name, version, identity, repositoryHint }, ctx) {
    const { element, file, mediaType } = await storeFor(repositoryHint, ctx).localBlob(name, version, 'sources', identity);
    return { location: await ctx.blobs.write({ path: file }, { mediaType, name: element.name }), source: element };
  },

  async addComponentVersion({ repository, descriptor }, ctx) {
    const file = await new ComponentStore(repository.path).putDescriptor(descriptor);
    ctx.log.info({ component: descriptor.component.name, version: descriptor.component.version, file }, 'stored component version');
  },

  async addLocalResource({ repository, resource, resourceLocation }, ctx) {
    const ref = await new ComponentStore(repository.path).putBlob(() => ctx.blobs.open(resourceLocation));
    const previous = (resource.access ?? {}) as { mediaType?: unknown };
    const mediaType = typeof previous.mediaType === 'string' && previous.mediaType ? previous.mediaType : 'application/octet-stream';
    return { ...resource, access: { type: 'localBlob/v1', localReference: ref, mediaType } };
  },

  async addLocalSource({ repository, source, sourceLocation }, ctx) {
    const ref = await new ComponentStore(repository.path).putBlob(() => ctx.blobs.open(sourceLocation));
    const previous = (source.access ?? {}) as { mediaType?: unknown };
    const mediaType = typeof previous.mediaType === 'string' && previous.mediaType ? previous.mediaType : 'application/octet-stream';
    return { ...source, access: { type: 'localBlob/v1', localReference: ref, mediaType } };
  },

  async checkHealth({ repository }) {
    await new ComponentStore(repository.path).listComponents();
  },
};
export default handler;
