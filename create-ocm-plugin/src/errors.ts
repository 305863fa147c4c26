/** A problem with what the user asked for: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    /** Exit code: 2 for bad arguments, 1 for a failure while generating. */
    readonly exitCode = 2,
  ) {
    super(message);
  }
}
