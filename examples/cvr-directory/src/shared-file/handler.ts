import { resolve } from 'node:path';
import type { ResourceRepositoryHandler } from '@ocm-plugin-kit/sdk';
import type { SharedFileAccess } from '../spec.js';
import { blobDigest, existingFile, verifyDigest, writeAtomically } from './files.js';

const handler: ResourceRepositoryHandler<SharedFileAccess> = {
  async getGlobalResource({ resource }, ctx) {
    const file = await existingFile(resource.access.path);
    const check = await verifyDigest(file, resource.digest);
    ctx.log.debug({ file, digest: check }, 'serving shared file');
    return { location: await ctx.blobs.write({ path: file }, { mediaType: resource.access.mediaType, name: resource.name }) };
  },

  async addGlobalResource({ resource, resourceLocation }, ctx) {
    const target = resolve(resource.access.path);
    const hex = await writeAtomically(ctx.blobs, resourceLocation, target);
    ctx.log.info({ target }, 'stored shared file');
    return { resource: { ...resource, access: { ...resource.access, path: target }, digest: blobDigest(hex) } };
  },
};
export default handler;
