import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { offViewClock, onViewClock, VIEW_MS } from './viewClock';

describe('the views’ clock', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.runOnlyPendingTimers();
    vi.useRealTimers();
  });

  it('calls a listener once per tick however many changes came, and at most every VIEW_MS', () => {
    const calls: number[] = [];
    const listener = () => calls.push(performance.now());
    onViewClock(listener); // idle: the next macrotask
    onViewClock(listener);
    vi.advanceTimersByTime(0);
    expect(calls).toHaveLength(1);
    for (let i = 0; i < 50; i++) {
      onViewClock(listener);
      vi.advanceTimersByTime(1);
    }
    // 50 changes over 50 ms: not before VIEW_MS after the last call
    expect(calls).toHaveLength(1);
    vi.advanceTimersByTime(VIEW_MS);
    expect(calls).toHaveLength(2);
    expect(calls[1] - calls[0]).toBe(VIEW_MS);
  });

  it('forgets a listener taken off before its tick', () => {
    const listener = vi.fn();
    onViewClock(listener);
    offViewClock(listener);
    vi.advanceTimersByTime(VIEW_MS);
    expect(listener).not.toHaveBeenCalled();
  });
});
