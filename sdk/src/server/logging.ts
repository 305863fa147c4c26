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

const SECRET_KEYS = ['authorization', 'credentials'];
const CENSOR = '[redacted]';

function censorKeys(obj: Record<string, unknown>): Record<string, unknown> {
  let out = obj;
  for (const key of SECRET_KEYS) {
    if (Object.hasOwn(obj, key)) {
      if (out === obj) out = { ...obj };
      out[key] = CENSOR;
    }
  }
  return out;
}

/**
 * Hides `authorization` and `credentials` at the top level, one level down, and in `req.headers`: what pino's
 * `redact` paths would do, without the start-up cost of compiling them.
 */
export function redact(obj: Record<string, unknown>): Record<string, unknown> {
  let out = censorKeys(obj);
  for (const [key, value] of Object.entries(out)) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || value instanceof Error) continue;
    let inner = censorKeys(value as Record<string, unknown>);
    if (key === 'req' && inner.headers !== null && typeof inner.headers === 'object') {
      const headers = censorKeys(inner.headers as Record<string, unknown>);
      if (headers !== inner.headers) inner = { ...inner, headers };
    }
    if (inner !== value) {
      if (out === obj) out = { ...obj };
      out[key] = inner;
    }
  }
  return out;
}

/** A pino logger writing host-compatible lines to stderr (fd 2), never to stdout. */
export function createLogger(options: { pluginId: string; level: LogLevel; destination?: pino.DestinationStream }): Logger {
  return pino(
    {
      level: options.level,
      messageKey: 'msg',
      base: { plugin: options.pluginId },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: HOST_LEVEL[label] ?? 'INFO' }), log: redact },
      hooks: { streamWrite: capLine },
    },
    options.destination ?? pino.destination({ dest: 2, sync: false }),
  );
}

/** Writes out what the logger still buffers, synchronously; false when its destination cannot (then flush async). */
export function flushLogSync(log: Logger): boolean {
  const stream = (log as unknown as Record<symbol, { flushSync?: () => void } | undefined>)[pino.symbols.streamSym];
  if (typeof stream?.flushSync !== 'function') return false;
  try {
    stream.flushSync();
    return true;
  } catch {
    // stderr closed (the host went away) or not writable: nothing more can be written anyway.
    return true;
  }
}
