import { z } from 'zod';

/** The credential repository config type. */
export const CREDENTIALS_FILE = 'CredentialsFile.examples.ocmkit.dev/v1';

/** `{type: CredentialsFile.examples.ocmkit.dev/v1, path: ~/.config/ocm/credentials.yaml}` */
export const CredentialsFileSpec = z
  .object({
    type: z.literal(CREDENTIALS_FILE),
    /** The secrets file (YAML or JSON). Must be a regular file readable only by its owner (mode 0600 or 0400). */
    path: z.string().min(1),
    /**
     * Refuse files others may read, or that belong to another user (default true). Turn off only where POSIX modes
     * mean nothing, e.g. on SMB mounts or Windows.
     */
    checkPermissions: z.boolean().optional(),
  })
  .strict();
export type CredentialsFileSpec = z.output<typeof CredentialsFileSpec>;

/** The credential type this plugin introduces: an opaque token for a store. */
export const STORE_TOKEN = 'StoreToken.examples.ocmkit.dev/v1';
export const STORE_TOKEN_ALIAS = 'StoreToken.examples.ocmkit.dev';

export const StoreToken = z
  .object({
    type: z.enum([STORE_TOKEN, STORE_TOKEN_ALIAS]),
    /** The token, sent by consumers as a bearer token or similar. */
    token: z.string().min(1),
  })
  .strict();
export type StoreToken = z.output<typeof StoreToken>;

/**
 * One entry of the secrets file. `identity` attributes must all equal the consumer identity's (extra attributes of
 * the consumer are ignored); the entry with the most attributes wins. Give either `properties` (returned as
 * `Credentials/v1`) or a typed `credential` (returned as written, e.g. a StoreToken).
 */
export const FileEntry = z
  .object({
    identity: z.record(z.string(), z.string()).refine((m) => typeof m.type === 'string' && m.type !== '', { message: 'identity needs a type' }),
    properties: z.record(z.string(), z.string()).optional(),
    credential: z.looseObject({ type: z.string().min(1) }).optional(),
  })
  .strict()
  .refine((e) => (e.properties === undefined) !== (e.credential === undefined), { message: 'give exactly one of properties or credential' });
export type FileEntry = z.output<typeof FileEntry>;

export const CredentialsFileContent = z.object({ credentials: z.array(FileEntry) }).strict();
