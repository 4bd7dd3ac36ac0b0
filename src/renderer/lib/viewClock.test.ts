import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createStore } from 'zustand/vanilla';
import { FRAME_BUDGET_MS, HEADER_MS, HIDDEN_VIEW_MS, offViewClock, onSelectionChange, onViewClock, setViewVisible, VIEW_MS, VIEW_SHARE, viewsSettled, type Selection } from './viewClock';

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
    onViewClock(header, 'title');
    onViewClock(counts, 'counts');
    advance(0);
    frame();
    expect(log).toEqual(['chart', 'header', 'counts']); // not measured yet: in order
    advance(VIEW_MS);
    onViewClock(chart, 'chart');
    onViewClock(counts, 'counts');
    onViewClock(header, 'title');
    advance(VIEW_MS);
    frame();
    expect(log.slice(3)).toEqual(['header', 'counts', 'chart']);
  });

  it('leaves a view for the next frame when its last render would take this one past the budget', () => {
    const log: string[] = [];
    const costly = (name: string, ms: number) => () => {
      log.push(name);
      now += ms;
    };
    const [small, big] = [costly('small', FRAME_BUDGET_MS / 2), costly('big', FRAME_BUDGET_MS)];
    onViewClock(small, 'small');
    onViewClock(big, 'big');
    advance(0);
    frame();
    frame(); // measured: small costs half the budget, big all of it
    expect(log).toEqual(['small', 'big']);
    advance(VIEW_MS * 3);
    onViewClock(small, 'small');
    onViewClock(big, 'big');
    advance(0); // both past their wait: the tick is due
    frame();
    expect(log.slice(2)).toEqual(['small']); // big would not fit after small
    frame();
    expect(log.slice(2)).toEqual(['small', 'big']);
  });

  it('renders the prompt views (the header, the eviction log) first and every tick, whatever they cost', () => {
    const log: string[] = [];
    const costly = (name: string, ms: number) => () => {
      log.push(name);
      now += ms;
    };
    const [evictionLog, counts] = [costly('evictionLog', 20), costly('counts', 1)];
    for (let i = 0; i < 3; i++) {
      onViewClock(counts, 'counts');
      onViewClock(evictionLog, 'evictionLog');
      advance(VIEW_MS);
      frame();
      frame();
    }
    // 20 ms would wait 20 / VIEW_SHARE between renders; a prompt view renders on each tick, first
    expect(log).toEqual(['evictionLog', 'counts', 'evictionLog', 'counts', 'evictionLog', 'counts']);
  });

  it('looks at a prompt view in sight in the next frame, no timer first, and renders it at most every other frame', () => {
    const FRAME = 1000 / 60;
    const renders: number[] = [];
    const log = () => {
      renders.push(now);
      now += 3;
    };
    const t0 = now + 1000;
    // a batch before each frame: the log renders in the first frame, then every other one (a timer
    // armed PROMPT_MS after a render made inside a frame fired after the second frame began)
    for (let i = 0; i < 7; i++) {
      now = t0 + i * FRAME;
      onViewClock(log, 'evictionLog');
      frame();
    }
    expect(renders.map((t) => Math.round((t - t0) / FRAME))).toEqual([0, 2, 4, 6]);
    // quiet, then one change: the next frame renders it
    now += 10 * FRAME;
    onViewClock(log, 'evictionLog');
    const at = now;
    frame();
    expect(renders.at(-1)).toBe(at);
    expect(viewsSettled()).toBe(true);
  });

  it('renders the header every third frame', () => {
    const FRAME = 1000 / 60;
    const renders: number[] = [];
    const header = () => renders.push(now);
    const t0 = now + 1000;
    for (let i = 0; i < 7; i++) {
      now = t0 + i * FRAME;
      onViewClock(header, 'header');
      frame();
    }
    expect(HEADER_MS).toBe(50);
    expect(renders.map((t) => Math.round((t - t0) / FRAME))).toEqual([0, 3, 6]);
  });

  it('queues a view only when a store change changes what its selector gives', () => {
    const store = createStore(() => ({ shown: 1, other: 1 }));
    const seen: Selection<{ shown: number; other: number }, number> = { current: undefined };
    const changed = vi.fn();
    store.subscribe(onSelectionChange(seen, changed));
    store.setState({ other: 2 });
    expect(changed).toHaveBeenCalledTimes(1); // nothing seen yet: a change
    seen.current = { selector: (s) => s.shown, value: 1 };
    store.setState({ other: 3 });
    expect(changed).toHaveBeenCalledTimes(1);
    store.setState({ shown: 2 });
    expect(changed).toHaveBeenCalledTimes(2);
  });

  it('renders a prompt view out of sight on the timer, and in frames again once in sight', () => {
    const renders: number[] = [];
    const log = () => renders.push(now);
    advance(HIDDEN_VIEW_MS);
    setViewVisible('evictionLog', false);
    onViewClock(log, 'evictionLog');
    frame(); // no frame was asked for
    expect(renders).toHaveLength(0);
    advance(VIEW_MS);
    frame();
    expect(renders).toHaveLength(1);
    advance(HIDDEN_VIEW_MS);
    onViewClock(log, 'evictionLog');
    setViewVisible('evictionLog', true);
    frame();
    expect(renders).toHaveLength(2);
  });

  it('lays the page out once per frame, after its views, and shares that time among them by their commits', () => {
    let layouts = 0;
    vi.stubGlobal('document', {
      documentElement: {
        get offsetHeight() {
          layouts++;
          now += 6; // the frame's style and layout
          return 0;
        },
      },
    });
    const costs: Record<string, number[]> = {};
    (globalThis as { __FMS_VIEWS__?: Record<string, number[]> }).__FMS_VIEWS__ = costs;
    const commit = (ms: number) => () => {
      now += ms;
    };
    advance(HIDDEN_VIEW_MS);
    onViewClock(commit(1), 'layout-a');
    onViewClock(commit(2), 'layout-b');
    advance(0);
    frame();
    delete (globalThis as { __FMS_VIEWS__?: unknown }).__FMS_VIEWS__;
    expect(layouts).toBe(1);
    expect(costs).toEqual({ 'layout-a': [3], 'layout-b': [6] });
  });

  it('renders a costly view at most every cost / VIEW_SHARE, its changes together, while quick views follow every tick', () => {
    const renders: Record<string, number[]> = { slow: [], quick: [] };
    const COST = 10; // ms: waits COST / VIEW_SHARE (250 ms) between renders
    const slow = () => {
      renders.slow.push(now);
      now += COST;
    };
    const quick = () => renders.quick.push(now);
    // a change to both every 10 ms for a second, frames every 10 ms
    for (let t = 0; t < 1000; t += 10) {
      onViewClock(slow, 'slow');
      onViewClock(quick, 'quick');
      advance(10);
      frame();
    }
    advance(1000);
    frame();
    const gaps = (xs: number[]) => xs.slice(1).map((x, i) => x - xs[i]);
    expect(Math.min(...gaps(renders.slow))).toBeGreaterThanOrEqual(COST / VIEW_SHARE);
    expect(Math.max(...gaps(renders.quick.filter((t) => t < 1000)))).toBeLessThanOrEqual(VIEW_MS + 2 * COST + 10);
    const during = (xs: number[]) => xs.filter((t) => t < renders.quick[0] + 970).length; // the second of changes
    expect(during(renders.quick)).toBeGreaterThan(during(renders.slow) * 2);
    // the last change is rendered: nothing is left waiting
    expect(renders.slow.at(-1)).toBeGreaterThan(1000);
  });

  it('renders a costly view within VIEW_MS of the last change once the changes stop, and waits at most HIDDEN_VIEW_MS during a burst', () => {
    const renders: number[] = [];
    const COST = 100; // ms: COST / VIEW_SHARE would be 2.5 s between renders
    const heavy = () => {
      renders.push(now);
      now += COST;
    };
    onViewClock(heavy, 'heavy');
    advance(0);
    frame(); // its first render costs COST
    for (let t = 0; t < 3000; t += 10) {
      onViewClock(heavy, 'heavy');
      advance(10);
      frame();
    }
    const gaps = renders.slice(1).map((x, i) => x - renders[i]);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(HIDDEN_VIEW_MS + COST + 10 + VIEW_MS);
    // one more change, then quiet: shown within VIEW_MS (and a tick's frame), not seconds later
    onViewClock(heavy, 'heavy');
    const changed = now;
    const before = renders.length;
    for (let i = 0; i < 20 && renders.length === before; i++) {
      advance(10);
      frame();
    }
    expect(renders.length).toBe(before + 1);
    expect(renders.at(-1)! - changed).toBeLessThanOrEqual(VIEW_MS + 40);
  });

  it('renders a view out of sight at most every HIDDEN_VIEW_MS, and at the next tick once it comes into sight', () => {
    const renders: number[] = [];
    const view = () => renders.push(now);
    setViewVisible('below', false);
    for (let t = 0; t < 2500; t += 20) {
      onViewClock(view, 'below');
      advance(20);
      frame();
    }
    const gaps = renders.slice(1).map((x, i) => x - renders[i]);
    expect(renders.length).toBeGreaterThanOrEqual(2);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(HIDDEN_VIEW_MS);
    // the changes stop: it renders the last one within VIEW_MS (and a tick), not a second later
    const quiet = now;
    advance(VIEW_MS + 60);
    frame();
    expect(renders.at(-1)! - quiet).toBeLessThanOrEqual(VIEW_MS + 60);
    expect(renders.at(-1)! - quiet).toBeGreaterThanOrEqual(VIEW_MS);
    const before = renders.length;
    onViewClock(view, 'below');
    advance(20);
    frame();
    expect(renders).toHaveLength(before); // still out of sight and changing: waits
    setViewVisible('below', true);
    advance(VIEW_MS);
    frame();
    expect(renders).toHaveLength(before + 1);
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

  it('says the views are settled only when no change waits for a tick or a frame', () => {
    advance(VIEW_MS); // a quiet start
    expect(viewsSettled()).toBe(true);
    const calls: number[] = [];
    onViewClock(() => calls.push(now), 'settled-test');
    expect(viewsSettled()).toBe(false); // waiting for its tick
    advance(0);
    expect(viewsSettled()).toBe(false); // its tick came: waiting for its frame
    frame();
    expect(calls).toHaveLength(1);
    expect(viewsSettled()).toBe(true);
  });
});
