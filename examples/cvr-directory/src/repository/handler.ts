import { createHash, timingSafeEqual } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pluginError, type ComponentVersionRepositoryHandler, type HandlerContext } from '@ocm-plugin-kit/sdk';
import { DIRECTORY_ENV, IDENTITY_TYPE, STORE_TOKEN_TYPES, WRITE_TOKEN_FILE, type ComponentDirectorySpec } from '../spec.js';
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

/**
 * Writes need a token when the store has a `.write-token.sha256` file (hex SHA-256 of the token): a guard against
 * clients configured with the wrong store, not protection against people who can write the directory anyway.
 */
async function checkWriteToken(store: ComponentStore, ctx: HandlerContext): Promise<void> {
  const expected = (await readFile(join(store.root, WRITE_TOKEN_FILE), 'utf8').catch(() => undefined))?.trim();
  if (expected === undefined) return;
  const creds = ctx.credentials as { type?: string; token?: unknown } | undefined;
  if (!creds || !STORE_TOKEN_TYPES.includes(creds.type ?? '') || typeof creds.token !== 'string') {
    throw pluginError(
      401,
      `${store.root} only accepts writes with a StoreToken credential; add one for consumer identity {type: ${IDENTITY_TYPE}, path: ${store.root}} to your .ocmconfig`,
    );
  }
  const actual = createHash('sha256').update(creds.token).digest();
  const wanted = Buffer.from(expected, 'hex');
  if (wanted.length !== actual.length || !timingSafeEqual(actual, wanted))
    throw pluginError(403, `the StoreToken for ${store.root} is not the store's write token`);
}

function logCredentials(ctx: HandlerContext): void {
  if (ctx.credentials) ctx.log.debug({ credentialType: ctx.credentials.type ?? '(untyped)' }, 'request carries credentials');
}

const handler: ComponentVersionRepositoryHandler<ComponentDirectorySpec> = {
  /** Lets users attach credentials (a StoreToken) to a store: `{type: ComponentDirectory, path: <absolute root>}`. */
  identity: ({ type }) => ({ type: IDENTITY_TYPE, path: new ComponentStore(type.path).root }),

  getComponentVersion: ({ name, version, repositoryHint }, ctx) => {
    logCredentials(ctx);
    return storeFor(repositoryHint, ctx).getDescriptor(name, version);
  },

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
    const store = new ComponentStore(repository.path);
    await checkWriteToken(store, ctx);
    const file = await store.putDescriptor(descriptor);
    ctx.log.info({ component: descriptor.component.name, version: descriptor.component.version, file }, 'stored component version');
  },

  async addLocalResource({ repository, resource, resourceLocation }, ctx) {
    const store = new ComponentStore(repository.path);
    await checkWriteToken(store, ctx);
    const ref = await store.putBlob(ctx.blobs, resourceLocation);
    const previous = (resource.access ?? {}) as { mediaType?: unknown };
    const mediaType = typeof previous.mediaType === 'string' && previous.mediaType ? previous.mediaType : 'application/octet-stream';
    return { ...resource, access: { type: 'localBlob/v1', localReference: ref, mediaType } };
  },

  async addLocalSource({ repository, source, sourceLocation }, ctx) {
    const store = new ComponentStore(repository.path);
    await checkWriteToken(store, ctx);
    const ref = await store.putBlob(ctx.blobs, sourceLocation);
    const previous = (source.access ?? {}) as { mediaType?: unknown };
    const mediaType = typeof previous.mediaType === 'string' && previous.mediaType ? previous.mediaType : 'application/octet-stream';
    return { ...source, access: { type: 'localBlob/v1', localReference: ref, mediaType } };
  },

  async checkHealth({ repository }) {
    await new ComponentStore(repository.path).listComponents();
  },
};
export default handler;
