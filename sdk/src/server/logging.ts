/**
 * Logs as the OCM plugin manager re-logs them: one JSON object per line on stderr with string `level`
 * (`DEBUG`/`INFO`/`WARN`/`ERROR`) and string `msg`. Lines over 64 KiB stop the manager's reader for good, so long
 * lines are cut.
 */
import { pino, type Logger } from 'pino';
import type { LogLevel } from '../plugin.js';

const HOST_LEVEL: Record<string, string> = {
  trace: 'DEBUG',
  debug: 'DEBUG',
  info: 'INFO',
  warn: 'WARN',
  error: 'ERROR',
  fatal: 'ERROR',
};

/** Longest line written; the manager's scanner gives up at 64 KiB. */
export const MAX_LOG_LINE = 60 * 1024;

const LEVELS = new Set<string>(['debug', 'info', 'warn', 'error']);

/** The effective level: `OCM_PLUGIN_LOG_LEVEL` if valid, else the definition's, else `info`. */
export function logLevel(fromDefinition: LogLevel | undefined, env: NodeJS.ProcessEnv = process.env): LogLevel {
  const fromEnv = env.OCM_PLUGIN_LOG_LEVEL?.toLowerCase();
  if (fromEnv && LEVELS.has(fromEnv)) return fromEnv as LogLevel;
  return fromDefinition ?? 'info';
}

/** Cuts a serialized log line that would exceed {@link MAX_LOG_LINE}, keeping it valid JSON. */
export function capLine(line: string): string {
  if (line.length <= MAX_LOG_LINE) return line;
  const obj = JSON.parse(line) as Record<string, unknown>;
  const msg = String(obj.msg ?? '');
  const slim: Record<string, unknown> = { time: obj.time, level: obj.level, msg: `${msg.slice(0, MAX_LOG_LINE / 2)}… (truncated)` };
  return `${JSON.stringify(slim)}\n`;
}

/** A pino logger writing host-compatible lines to stderr (fd 2), never to stdout. */
export function createLogger(options: { pluginId: string; level: LogLevel; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      messageKey: 'msg',
      base: { plugin: options.pluginId },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: HOST_LEVEL[label] ?? 'INFO' }) },
      redact: { paths: ['authorization', 'credentials', '*.authorization', '*.credentials', 'req.headers.authorization'], censor: '[redacted]' },
      hooks: { streamWrite: capLine },
    },
    options.destination ?? pino.destination({ dest: 2, sync: false }),
  );
}
