import { blobTransformer, definePlugin } from '@ocm-plugin-kit/sdk';
import { GZIP, GzipSpec } from './spec.js';

/** The plugin definition; `main.ts` runs it. Handler code loads only when the plugin serves. */
export const plugin = definePlugin({
  name: 'blob-gzip',
  version: '0.1.0',
  capabilities: [
    blobTransformer({
      types: { [GZIP]: GzipSpec },
      handler: () => import('./handler.js'),
    }),
  ],
});
