import { z } from 'zod';

/** The access type this plugin digests: a file behind an http(s) URL. */
export const HTTP_FILE = 'HttpFile.examples.ocmkit.dev/v1';

/**
 * The access spec, as written under `access:` in a constructor file. Unknown fields are kept (another plugin, such
 * as a resource repository for the same type, may define more), and nothing has a default: the digest processor
 * echoes the access into the component descriptor exactly as written.
 */
export const HttpFileAccess = z
  .object({
    type: z.literal(HTTP_FILE),
    /** `http://` or `https://` URL of the file. */
    url: z
      .string()
      .regex(/^https?:\/\/[^/]+/, { message: 'url must be an http:// or https:// URL' })
      .refine((url) => URL.canParse(url), { message: 'url is not a valid URL' }),
    /** Media type of the file, for whoever downloads it (not used for the digest). */
    mediaType: z.string().min(1).optional(),
  })
  .loose();
export type HttpFileAccess = z.output<typeof HttpFileAccess>;

/** The digest normalisation for plain blobs (the same the built-in processors use). */
export const GENERIC_BLOB_DIGEST = 'genericBlobDigest/v1';
