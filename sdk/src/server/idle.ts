/**
 * The idle timer: runs only while no request is in flight, restarts with the full interval when the last one
 * ends, fires once. (The Go SDK signals "work ended" before decrementing its counter and can stay stopped for good.)
 */
export class IdleTimer {
  #inFlight = 0;
  #timer: NodeJS.Timeout | undefined;
  #stopped = false;

  constructor(
    private readonly ms: number,
    private readonly onIdle: () => void,
  ) {}

  /** Requests in flight right now. */
  get inFlight(): number {
    return this.#inFlight;
  }

  start(): void {
    this.#arm();
  }

  begin(): void {
    this.#inFlight++;
    this.#disarm();
  }

  end(): void {
    this.#inFlight = Math.max(0, this.#inFlight - 1);
    if (this.#inFlight === 0) this.#arm();
  }

  stop(): void {
    this.#stopped = true;
    this.#disarm();
  }

  #arm(): void {
    this.#disarm();
    if (this.#stopped) return;
    // setTimeout cannot wait longer than 2^31-1 ms (~24.8 days); longer timeouts are re-armed when they fire.
    const max = 2 ** 31 - 1;
    const delay = Math.min(this.ms, max);
    const remaining = this.ms - delay;
    this.#timer = setTimeout(() => {
      if (remaining > 0) {
        this.#timer = setTimeout(() => this.onIdle(), Math.min(remaining, max));
        return;
      }
      this.onIdle();
    }, delay);
  }

  #disarm(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }
}
