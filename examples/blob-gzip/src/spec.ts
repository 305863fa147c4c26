import { z } from 'zod';

/** The transformer spec type this plugin serves. */
export const GZIP = 'Gzip.examples.ocmkit.dev/v1';

/** What to do with the blob. */
export const GzipSpec = z
  .object({
    type: z.literal(GZIP),
    /** `compress` (default) wraps the blob in gzip; `decompress` unwraps a gzip blob. */
    mode: z.enum(['compress', 'decompress']).default('compress'),
    /** zlib level for `compress`, 1 (fastest) to 9 (smallest). */
    level: z.number().int().min(1).max(9).default(6),
    /** Media type recorded for the output (default `application/gzip` when compressing, none when decompressing). */
    mediaType: z.string().min(1).optional(),
  })
  .strict();
export type GzipSpec = z.output<typeof GzipSpec>;
