import { useContext, useEffect, useState } from 'react';
import { flushSync } from 'react-dom';
import type { StoreApi } from 'zustand/vanilla';
import { offViewClock, onViewClock, ViewGroup } from './viewClock';

/** The share of the time a throttled view's renders may take. */
const SHARE = 0.05;

/**
 * Like useStore(store, selector), but re-renders at most every `ms` (trailing edge, so the last value
 * always shows), in a turn of the views' clock of its own (its view's charts together): for SVG charts, too slow to redraw on every
 * tick of a fast replay. On the clock a chart's update is one view's render in a frame's budget, not a
 * timer's render that could land in the same frame as the other views'. A view that renders slowly
 * (its last re-render) is rendered less often: at most SHARE of the time.
 */
export function useThrottledStore<S, T>(store: StoreApi<S>, selector: (s: S) => T, ms = 250): T {
  const [value, setValue] = useState(() => selector(store.getState()));
  // a view's charts render together, apart from the rest of the view (and named so in __FMS_VIEWS__)
  const view = useContext(ViewGroup);
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastRun = 0;
    let prev = selector(store.getState());
    /** How long the last re-render took (ms): rendered here, on its own, to be timed. */
    let cost = 0;
    const render = () => {
      lastRun = performance.now();
      const next = selector(store.getState());
      if (!Object.is(next, prev)) {
        prev = next;
        flushSync(() => setValue(next));
        cost = performance.now() - lastRun;
      }
    };
    const group = view ? `${view} charts` : render;
    const due = () => {
      timer = undefined;
      onViewClock(render, group);
    };
    const unsub = store.subscribe(() => {
      if (timer) return;
      // at most every `ms`, and no more than SHARE of the time: a chart whose update took 40 ms on a
      // loaded machine waits 800 ms (recharts' SVG is the views' costliest render)
      const every = Math.max(ms, cost / SHARE);
      timer = setTimeout(due, Math.max(0, every - (performance.now() - lastRun)));
    });
    return () => {
      unsub();
      if (timer) clearTimeout(timer);
      offViewClock(render);
    };
  }, [store, ms, view]); // the selector is read when the store changes; callers pass stable selectors
  return value;
}
