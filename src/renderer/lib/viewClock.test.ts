import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FRAME_BUDGET_MS, offViewClock, onViewClock, VIEW_MS } from './viewClock';

describe('the views’ clock', () => {
  let now = 0;
  let frames: (() => void)[] = [];
  /** Runs the animation frame that is waiting (the clock asks for one at a time). */
  const frame = () => {
    const f = frames;
    frames = [];
    f.forEach((cb) => cb());
  };
  const advance = (ms: number) => {
    now += ms;
    vi.advanceTimersByTime(ms);
  };

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    vi.spyOn(performance, 'now').mockImplementation(() => now);
    vi.stubGlobal('requestAnimationFrame', (cb: () => void) => frames.push(cb));
    vi.stubGlobal('cancelAnimationFrame', () => undefined);
  });
  afterEach(() => {
    // let a pending tick and its frames run out, so the next test starts on a quiet clock
    advance(VIEW_MS);
    while (frames.length > 0) frame();
    vi.useRealTimers();
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
  });

  it('calls a listener once per tick however many changes came, in an animation frame, ticks at most every VIEW_MS', () => {
    const calls: number[] = [];
    const listener = () => calls.push(now);
    onViewClock(listener); // idle: the next macrotask, then the next frame
    onViewClock(listener);
    advance(0);
    expect(calls).toHaveLength(0);
    frame();
    expect(calls).toEqual([0]);
    for (let i = 0; i < 50; i++) {
      onViewClock(listener);
      advance(1);
      frame();
    }
    // 50 changes over 50 ms: not before VIEW_MS after the last tick
    expect(calls).toHaveLength(1);
    advance(VIEW_MS - 50);
    frame();
    expect(calls).toEqual([0, VIEW_MS]);
  });

  it('renders a view’s listeners together, new views in the order their changes came, and leaves the rest for the next frame once the frame’s budget is spent', () => {
    const log: string[] = [];
    const costly = (name: string, ms: number) => () => {
      log.push(name);
      now += ms;
    };
    const [a1, a2, b, c] = [costly('a1', 1), costly('a2', FRAME_BUDGET_MS), costly('b', 1), costly('c', 1)];
    onViewClock(b, 'B');
    onViewClock(a1, 'A');
    onViewClock(c, 'C');
    onViewClock(a2, 'A');
    advance(0);
    frame();
    // B (1 ms), then A whole (a1 and a2: over the budget), C waits
    expect(log).toEqual(['b', 'a1', 'a2']);
    frame();
    expect(log).toEqual(['b', 'a1', 'a2', 'c']);
    expect(frames).toHaveLength(0);
  });

  it('keeps a listener still queued from a tick in its place, and runs the views a tick left before the next tick’s', () => {
    const log: string[] = [];
    const slow = () => {
      log.push('slow');
      now += FRAME_BUDGET_MS;
    };
    const late = () => log.push('late');
    const fresh = () => log.push('fresh');
    onViewClock(slow, 'S');
    onViewClock(late, 'L');
    advance(0);
    advance(VIEW_MS); // no frame yet: the tick is waiting for one
    onViewClock(late, 'L'); // already queued: called once
    onViewClock(fresh, 'F');
    advance(VIEW_MS);
    frame();
    frame();
    frame();
    expect(log).toEqual(['slow', 'late', 'fresh']);
  });

  it('renders the quickest views first, by their last render', () => {
    const log: string[] = [];
    const costly = (name: string, ms: number) => () => {
      log.push(name);
      now += ms;
    };
    const [chart, header, counts] = [costly('chart', 4), costly('header', 0.5), costly('counts', 1)];
    onViewClock(chart, 'chart');
    onViewClock(header, 'header');
    onViewClock(counts, 'counts');
    advance(0);
    frame();
    expect(log).toEqual(['chart', 'header', 'counts']); // not measured yet: in order
    advance(VIEW_MS);
    onViewClock(chart, 'chart');
    onViewClock(counts, 'counts');
    onViewClock(header, 'header');
    advance(VIEW_MS);
    frame();
    expect(log.slice(3)).toEqual(['header', 'counts', 'chart']);
  });

  it('runs without animation frames (a hidden window) after VIEW_MS', () => {
    const listener = vi.fn();
    onViewClock(listener);
    advance(0);
    expect(listener).not.toHaveBeenCalled();
    advance(VIEW_MS);
    expect(listener).toHaveBeenCalledTimes(1);
    frames = []; // the frame that never came
  });

  it('forgets a listener taken off before its tick', () => {
    const listener = vi.fn();
    onViewClock(listener);
    offViewClock(listener);
    advance(VIEW_MS);
    frame();
    expect(listener).not.toHaveBeenCalled();
  });
});
