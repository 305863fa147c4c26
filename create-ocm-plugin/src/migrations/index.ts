/** Every migration, in order. A new one is a file `NNN-title.ts` here and a line below. */
import { migration as m001 } from './001-sdk-testing.js';
import type { Migration } from './types.js';

export type { Migration, ProjectTree } from './types.js';

export const MIGRATIONS: readonly Migration[] = [m001];
