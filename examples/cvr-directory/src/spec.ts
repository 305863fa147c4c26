import { z } from 'zod';

/** The repository type: a component store kept as plain files in a directory. */
export const COMPONENT_DIRECTORY = 'ComponentDirectory.examples.ocmkit.dev/v1';

/** The consumer identity type of a store: `{type: ComponentDirectory, path: <absolute root>}`. */
export const IDENTITY_TYPE = 'ComponentDirectory';

/** The credential type a store's write token comes as (declared by the credentials-file example plugin). */
export const STORE_TOKEN_TYPES: readonly string[] = ['StoreToken.examples.ocmkit.dev/v1', 'StoreToken.examples.ocmkit.dev'];

/** A file in the store's root holding the hex SHA-256 of the write token; without it writes need no token. */
export const WRITE_TOKEN_FILE = '.write-token.sha256';

/** Environment variable naming the store for GET requests when no repository spec was seen yet. */
export const DIRECTORY_ENV = 'OCM_COMPONENT_DIRECTORY';

/**
 * Repository spec, e.g. in a `resolvers.config.ocm.software/v1alpha1` entry:
 * `{type: ComponentDirectory.examples.ocmkit.dev/v1, path: /srv/components}`.
 */
export const ComponentDirectorySpec = z
  .object({
    type: z.literal(COMPONENT_DIRECTORY),
    /** The store's root directory; relative paths resolve against the `ocm` working directory. */
    path: z.string().min(1),
    /** Components per page when listing (componentLister only). */
    pageSize: z.number().int().min(1).max(10_000).optional(),
  })
  .strict();
export type ComponentDirectorySpec = z.output<typeof ComponentDirectorySpec>;

/** The access type of files on a shared filesystem (NFS, SMB, a synced folder). */
export const SHARED_FILE = 'SharedFile.examples.ocmkit.dev/v1';

/** Access spec of a resource that is a file on a shared filesystem: `{type, path, mediaType?}`. */
export const SharedFileAccess = z
  .object({
    type: z.literal(SHARED_FILE),
    /** Absolute path of the file (relative paths resolve against the `ocm` working directory). */
    path: z.string().min(1),
    /** Media type of the file, recorded on download. */
    mediaType: z.string().min(1).optional(),
  })
  .strict();
export type SharedFileAccess = z.output<typeof SharedFileAccess>;
