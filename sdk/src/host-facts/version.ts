/** The host versions the kit's facts are about. */
/** The released host the kit targets. */
export const HOST = { cli: 'v0.13.0', pluginManager: 'v0.0.17' } as const;

/** Which host a check is made for: the release, or upstream HEAD (forward-compatibility warnings). */
export type HostVersion = 'v0.13.0' | 'head';
