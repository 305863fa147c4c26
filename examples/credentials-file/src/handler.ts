import type { CredentialRepositoryHandler, TypedCredentials } from '@ocm-plugin-kit/sdk';
import type { CredentialsFileSpec } from './spec.js';
import { findEntry, readSecrets } from './secrets.js';

const handler: CredentialRepositoryHandler<CredentialsFileSpec> = {
  // No consumerIdentity: reading a local file needs no login, so the host is told "no identity" (404).
  async resolve({ config, identity }, ctx) {
    const entry = findEntry(await readSecrets(config.path, config.checkPermissions ?? true), identity);
    if (!entry) return undefined;
    ctx.log.debug({ identity: entry.identity }, 'credentials found');
    if (entry.credential) return entry.credential as TypedCredentials;
    return { type: 'Credentials/v1', properties: entry.properties ?? {} };
  },
};
export default handler;
