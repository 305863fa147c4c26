import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { IdleTimer } from '../../src/server/idle.js';

describe('IdleTimer', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('fires after the interval without requests', () => {
    const fired = vi.fn();
    new IdleTimer(1000, fired).start();
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });
  it('never fires while a request is in flight and restarts the full interval after the last one', () => {
    const fired = vi.fn();
    const t = new IdleTimer(1000, fired);
    t.start();
    vi.advanceTimersByTime(900);
    t.begin();
    t.begin();
    vi.advanceTimersByTime(5000);
    t.end();
    vi.advanceTimersByTime(5000);
    expect(fired).not.toHaveBeenCalled();
    t.end();
    vi.advanceTimersByTime(999);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledOnce();
  });
  it("waits beyond setTimeout's 24.8-day limit", () => {
    const fired = vi.fn();
    new IdleTimer(30 * 24 * 3600 * 1000, fired).start();
    vi.advanceTimersByTime(2 ** 31);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(30 * 24 * 3600 * 1000 - 2 ** 31);
    expect(fired).toHaveBeenCalledOnce();
  });
  it('stays silent once stopped', () => {
    const fired = vi.fn();
    const t = new IdleTimer(10, fired);
    t.start();
    t.stop();
    t.end();
    vi.advanceTimersByTime(100);
    expect(fired).not.toHaveBeenCalled();
  });
});
