import { definePlugin, signingHandler } from '@ocm-plugin-kit/sdk';
import { KEYRING_ED25519, KeyringSpec } from './spec.js';

/** The plugin definition; the handler (and the native keyring addon) loads only when the plugin serves. */
export const plugin = definePlugin({
  name: 'keyring-signer',
  version: '0.1.0',
  capabilities: [
    signingHandler({
      types: { [KEYRING_ED25519]: KeyringSpec },
      handler: () => import('./handler.js'),
    }),
  ],
});
