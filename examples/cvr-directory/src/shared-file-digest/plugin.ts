import { definePlugin, digestProcessorRepository } from '@ocm-plugin-kit/sdk';
import { SHARED_FILE, SharedFileAccess } from '../spec.js';

/** digestProcessorRepository for shared files: lets `ocm add cv` record their SHA-256. */
export const plugin = definePlugin({
  name: 'shared-file-digest',
  version: '0.1.0',
  capabilities: [
    digestProcessorRepository({
      types: { [SHARED_FILE]: SharedFileAccess },
      handler: () => import('./handler.js'),
    }),
  ],
});
