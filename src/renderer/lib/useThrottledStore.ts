import { useEffect, useState } from 'react';
import type { StoreApi } from 'zustand/vanilla';

/**
 * Like useStore(store, selector), but re-renders at most every `ms` (trailing edge, so the last value
 * always shows). For SVG charts, which are too slow to redraw on every batch of a fast replay.
 */
export function useThrottledStore<S, T>(store: StoreApi<S>, selector: (s: S) => T, ms = 250): T {
  const [value, setValue] = useState(() => selector(store.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastRun = 0;
    let prev = selector(store.getState());
    const flush = () => {
      timer = undefined;
      lastRun = performance.now();
      const next = selector(store.getState());
      if (!Object.is(next, prev)) {
        prev = next;
        setValue(next);
      }
    };
    const unsub = store.subscribe(() => {
      if (timer) return;
      const wait = Math.max(0, ms - (performance.now() - lastRun));
      timer = setTimeout(flush, wait);
    });
    return () => {
      unsub();
      if (timer) clearTimeout(timer);
    };
  }, [store, ms]); // the selector is read when the store changes; callers pass stable selectors
  return value;
}
