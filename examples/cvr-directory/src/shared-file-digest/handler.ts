import { pluginError, type DigestProcessorHandler } from '@ocm-plugin-kit/sdk';
import type { SharedFileAccess } from '../spec.js';
import { blobDigest, existingFile, sha256File, verifyDigest } from '../shared-file/files.js';

const handler: DigestProcessorHandler<SharedFileAccess> = {
  async processResourceDigest({ resource }) {
    const file = await existingFile(resource.access.path);
    // A digest pinned in the constructor file is checked, not replaced; one this plugin cannot check is refused.
    if (resource.digest) {
      if ((await verifyDigest(file, resource.digest)) === 'unchecked') {
        throw pluginError(
          400,
          `resource ${resource.name}: the pinned digest is ${resource.digest.hashAlgorithm} / ${resource.digest.normalisationAlgorithm}; this plugin can check only SHA-256 / genericBlobDigest/v1 (pin that, or leave the digest out to have it computed)`,
        );
      }
      return { resource };
    }
    return { resource: { ...resource, digest: blobDigest(await sha256File(file)) } };
  },
};
export default handler;
