/** Path rules the manager applies to plugin files (sdk/docs/protocol.md §1.1). */
import { TRIMMED_PATH_CHARS } from './manager-facts.js';

export { goExt } from './go.js';

const escaped = TRIMMED_PATH_CHARS.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&');

/** Matches the trimmed characters at either end of a path. */
export const TRIMMED_PATH_CHARS_RE = new RegExp(`^[${escaped}]+|[${escaped}]+$`, 'g');
