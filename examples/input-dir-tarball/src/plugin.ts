import { definePlugin, inputRepository } from '@ocm-plugin-kit/sdk';
import { DIR_TARBALL, DirTarballSpec } from './spec.js';

/** The plugin definition; `main.ts` runs it. Handler code loads only when the plugin serves. */
export const plugin = definePlugin({
  name: 'dir-tarball',
  version: '0.1.0',
  capabilities: [
    inputRepository({
      types: { [DIR_TARBALL]: DirTarballSpec },
      handler: () => import('./handler.js'),
    }),
  ],
});
