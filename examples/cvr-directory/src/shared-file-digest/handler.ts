import type { DigestProcessorHandler } from '@ocm-plugin-kit/sdk';
import type { SharedFileAccess } from '../spec.js';
import { blobDigest, existingFile, sha256File, verifyDigest } from '../shared-file/files.js';

const handler: DigestProcessorHandler<SharedFileAccess> = {
  async processResourceDigest({ resource }) {
    const file = await existingFile(resource.access.path);
    // A digest pinned in the constructor file is checked, not replaced.
    if (resource.digest && (await verifyDigest(file, resource.digest)) === 'verified') return { resource };
    if (resource.digest) return { resource };
    return { resource: { ...resource, digest: blobDigest(await sha256File(file)) } };
  },
};
export default handler;
