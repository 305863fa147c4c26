import { z } from 'zod';

/** The input type this plugin serves. */
export const DIR_TARBALL = 'DirTarball.examples.ocmkit.dev/v1';

/** `input:` of a constructor resource or source: a directory to pack. */
export const DirTarballSpec = z
  .object({
    type: z.literal(DIR_TARBALL),
    /** Directory to pack; relative paths resolve against the `ocm` working directory. */
    path: z.string().min(1),
    /** Only pack entries whose relative path starts with one of these prefixes (default: everything). */
    include: z.array(z.string().min(1)).optional(),
    /** Leave out entries whose relative path starts with one of these prefixes. */
    exclude: z.array(z.string().min(1)).optional(),
    /** Media type recorded for the blob. */
    mediaType: z.string().default('application/vnd.ocmkit.dir.v1.tar+gzip'),
  })
  .strict();
export type DirTarballSpec = z.output<typeof DirTarballSpec>;
