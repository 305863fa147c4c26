/** Path rules the manager applies to plugin files (sdk/docs/protocol.md §1.1). */
import { TRIMMED_PATH_CHARS } from '@ocm-plugin-kit/sdk/host-facts';

export { goExt } from '@ocm-plugin-kit/sdk/host-facts';

const escaped = TRIMMED_PATH_CHARS.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&');

/** Matches the trimmed characters at either end of a path. */
export const TRIMMED_PATH_CHARS_RE = new RegExp(`^[${escaped}]+|[${escaped}]+$`, 'g');
