import { definePlugin, resourceRepository } from '@ocm-plugin-kit/sdk';
import { SHARED_FILE, SharedFileAccess } from '../spec.js';

/** resourceRepository for resources stored as files on a shared filesystem. */
export const plugin = definePlugin({
  name: 'shared-file',
  version: '0.1.0',
  capabilities: [
    resourceRepository({
      types: { [SHARED_FILE]: SharedFileAccess },
      handler: () => import('./handler.js'),
    }),
  ],
});
