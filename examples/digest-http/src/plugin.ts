import { definePlugin, digestProcessorRepository } from '@ocm-plugin-kit/sdk';
import { HTTP_FILE, HttpFileAccess } from './spec.js';

/** The plugin definition; `main.ts` runs it. Handler code loads only when the plugin serves. */
export const plugin = definePlugin({
  name: 'http-file-digest',
  version: '0.1.0',
  capabilities: [
    digestProcessorRepository({
      types: { [HTTP_FILE]: HttpFileAccess },
      handler: () => import('./handler.js'),
    }),
  ],
});
