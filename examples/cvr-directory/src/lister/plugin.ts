import { componentLister, definePlugin } from '@ocm-plugin-kit/sdk';
import { COMPONENT_DIRECTORY, ComponentDirectorySpec } from '../spec.js';

/** componentLister over a directory store (a separate binary: the CLI shares one process per plugin file). */
export const plugin = definePlugin({
  name: 'component-directory-lister',
  version: '0.1.0',
  capabilities: [
    componentLister({
      types: { [COMPONENT_DIRECTORY]: ComponentDirectorySpec },
      handler: () => import('./handler.js'),
    }),
  ],
});
