/** The log of the testing helpers: the SDK's own logger, written to stderr only when `DEBUG_PLUGIN=1`. */
import type { Logger } from 'pino';
import { createLogger } from '../server/logging.js';

const discard = { write: () => true };

export function testLogger(pluginId: string): Logger {
  return createLogger({ pluginId, level: 'debug', destination: process.env.DEBUG_PLUGIN === '1' ? undefined : discard });
}
