/** Errors of the reference host: each names the plugin and, once it ran, its exit code and the tail of its stderr. */

/** How many bytes of stderr an error message quotes. */
export const STDERR_TAIL_BYTES = 2048;

/** The last `max` bytes of a text, prefixed with `…` when cut. */
export function tail(text: string, max = STDERR_TAIL_BYTES): string {
  const trimmed = text.trimEnd();
  return trimmed.length > max ? `…${trimmed.slice(-max)}` : trimmed;
}

export interface HostErrorDetails {
  readonly pluginId?: string;
  readonly exitCode?: number | null;
  readonly signal?: string | null;
  readonly stderr?: string;
  /** HTTP status of a failed call. */
  readonly status?: number;
  /** What the plugin author should change. */
  readonly fix?: string;
}

/** An error the OCM plugin manager would also raise, with the manager's wording where it has one. */
export class HostError extends Error {
  readonly pluginId: string | undefined;
  readonly exitCode: number | null | undefined;
  readonly status: number | undefined;
  readonly fix: string | undefined;
  readonly stderr: string | undefined;
  /** The message without plugin id, exit code, stderr and fix. */
  readonly reason: string;

  constructor(message: string, details: HostErrorDetails = {}, options?: { cause?: unknown }) {
    const parts = [details.pluginId !== undefined ? `plugin ${details.pluginId}: ${message}` : message];
    if (details.exitCode !== undefined || details.signal) {
      parts.push(details.signal ? `(killed by ${details.signal})` : `(exit code ${details.exitCode})`);
    }
    if (details.stderr !== undefined && details.stderr.trim() !== '') parts.push(`\nstderr (tail):\n${tail(details.stderr)}`);
    if (details.fix) parts.push(`\nfix: ${details.fix}`);
    super(parts.join(' '), options);
    this.name = 'HostError';
    this.pluginId = details.pluginId;
    this.exitCode = details.exitCode;
    this.status = details.status;
    this.fix = details.fix;
    this.stderr = details.stderr;
    this.reason = message;
  }
}

/** Resolves with `undefined` after `ms` milliseconds (for `Promise.race` against an exit). */
export function sleepUndefined(ms: number): Promise<undefined> {
  return new Promise((resolve) => setTimeout(() => resolve(undefined), ms));
}
