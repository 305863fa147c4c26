import { componentVersionRepository, definePlugin } from '@ocm-plugin-kit/sdk';
import { COMPONENT_DIRECTORY, ComponentDirectorySpec } from '../spec.js';

/** componentVersionRepository over a directory store. One kind per binary: the CLI shares one process per plugin file. */
export const plugin = definePlugin({
  name: 'component-directory',
  version: '0.1.0',
  capabilities: [
    componentVersionRepository({
      types: { [COMPONENT_DIRECTORY]: ComponentDirectorySpec },
      handler: () => import('./handler.js'),
    }),
  ],
});
