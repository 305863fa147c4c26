/**
 * The manager's log streamer (sdk/docs/protocol.md §1.8): stderr is read line by line (64 KiB max); a line must be a
 * JSON object with string `msg` and `level`, `level` one of DEBUG/INFO/WARN/ERROR; other lines are silently dropped,
 * and non-string `msg`/`level` panic the CLI. This parser applies the same rules and reports every violation.
 */
import { LOG_LEVELS, MAX_LINE_BYTES } from '@ocm-plugin-kit/sdk/host-facts';

export interface LogRecord {
  readonly level: (typeof LOG_LEVELS)[number];
  readonly msg: string;
  /** Every other key, as the manager re-emits them (sorted) as attributes. */
  readonly attrs: Readonly<Record<string, unknown>>;
}

export type LogIssueKind =
  /** not JSON or not an object, or without `msg`/`level`: dropped silently */
  | 'dropped'
  /** `level` not one of the four names: dropped */
  | 'unknown-level'
  /** `msg` or `level` present but not a string: the manager's type assertion panics and the CLI crashes */
  | 'crash'
  /** longer than 64 KiB: the streamer stops for good and the plugin later blocks on a full stderr pipe */
  | 'too-long';

export interface LogIssue {
  readonly kind: LogIssueKind;
  readonly line: string;
  readonly message: string;
}

export interface ParsedLogLine {
  readonly record?: LogRecord;
  readonly issue?: LogIssue;
}

const preview = (line: string) => (line.length > 120 ? `${line.slice(0, 120)}…` : line);

/** Applies the manager's rules to one stderr line (without its newline). */
export function parseLogLine(line: string): ParsedLogLine {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  if (Buffer.byteLength(text) > MAX_LINE_BYTES) {
    return {
      issue: {
        kind: 'too-long',
        line: preview(text),
        message: `stderr line of ${Buffer.byteLength(text)} bytes exceeds 64 KiB: the manager's log streamer stops and stderr is never drained again`,
      },
    };
  }
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { issue: { kind: 'dropped', line: preview(text), message: `stderr line is not JSON, the manager drops it: ${preview(text)}` } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { issue: { kind: 'dropped', line: preview(text), message: `stderr line is not a JSON object, the manager drops it: ${preview(text)}` } };
  }
  const obj = value as Record<string, unknown>;
  if (!('msg' in obj) || !('level' in obj)) {
    return {
      issue: { kind: 'dropped', line: preview(text), message: `log line lacks ${'msg' in obj ? '"level"' : '"msg"'}, the manager drops it: ${preview(text)}` },
    };
  }
  if (typeof obj.msg !== 'string' || typeof obj.level !== 'string') {
    const bad = typeof obj.level !== 'string' ? 'level' : 'msg';
    return {
      issue: {
        kind: 'crash',
        line: preview(text),
        message: `log line has a non-string "${bad}" (${JSON.stringify(obj[bad])}): the manager's type assertion panics and crashes the ocm CLI: ${preview(text)}`,
      },
    };
  }
  if (!(LOG_LEVELS as readonly string[]).includes(obj.level)) {
    return {
      issue: {
        kind: 'unknown-level',
        line: preview(text),
        message: `log level "${obj.level}" is not one of DEBUG, INFO, WARN, ERROR; the manager drops the line`,
      },
    };
  }
  const attrs: Record<string, unknown> = {};
  for (const key of Object.keys(obj).sort()) if (key !== 'msg' && key !== 'level') attrs[key] = obj[key];
  return { record: { level: obj.level as LogRecord['level'], msg: obj.msg, attrs } };
}

/** Splits a chunked stream into lines; calls `onLine` for each complete line. */
export class LineSplitter {
  private buffer = '';
  constructor(private readonly onLine: (line: string) => void) {}
  push(chunk: string): void {
    this.buffer += chunk;
    for (let nl = this.buffer.indexOf('\n'); nl >= 0; nl = this.buffer.indexOf('\n')) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      this.onLine(line);
    }
  }
  /** Flushes a final unterminated line. */
  end(): void {
    if (this.buffer !== '') this.onLine(this.buffer);
    this.buffer = '';
  }
}
