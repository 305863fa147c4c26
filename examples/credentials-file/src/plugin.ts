import { credentialRepository, definePlugin } from '@ocm-plugin-kit/sdk';
import { CREDENTIALS_FILE, CredentialsFileSpec, STORE_TOKEN, STORE_TOKEN_ALIAS, StoreToken } from './spec.js';

export const plugin = definePlugin({
  name: 'credentials-file',
  version: '0.1.0',
  capabilities: [
    credentialRepository({
      types: { [CREDENTIALS_FILE]: CredentialsFileSpec },
      // Makes `type: StoreToken.examples.ocmkit.dev/v1` valid in .ocmconfig consumers (works with ocm CLI v0.13.0).
      customCredentialTypes: { [STORE_TOKEN]: { aliases: [STORE_TOKEN_ALIAS], schema: StoreToken } },
      handler: () => import('./handler.js'),
    }),
  ],
});
