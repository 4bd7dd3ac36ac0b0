import { useCallback, useSyncExternalStore } from 'react';
import type { StoreApi } from 'zustand/vanilla';

/**
 * How often the views follow the engine's stores: at most every VIEW_MS, whatever the batch rate.
 * Batches come once a frame during a fast replay, and a view re-rendered on each of them made the
 * renderer's work grow with the event rate; on the clock, every view that changed re-renders in the
 * same commit, at most 10 times a second, and the frames in between are free. 100 ms keeps what the
 * user sees within 150 ms of the engine.
 */
export const VIEW_MS = 100;

const due = new Set<() => void>();
let timer: ReturnType<typeof setTimeout> | undefined;
let lastFlush = -Infinity;

function flush(): void {
  timer = undefined;
  lastFlush = performance.now();
  const listeners = [...due];
  due.clear();
  for (const l of listeners) l();
}

/** Calls `listener` on the views' next tick (listeners added before it runs are called once). */
export function onViewClock(listener: () => void): void {
  due.add(listener);
  timer ??= setTimeout(flush, Math.max(0, lastFlush + VIEW_MS - performance.now()));
}

/** Forgets a listener that has not been called yet (its view unmounted). */
export function offViewClock(listener: () => void): void {
  due.delete(listener);
}

/**
 * Like zustand's useStore(store, selector), but the view hears of a change on the views' clock, not
 * on every batch. A render for another reason reads the store as it is now, so nothing shows older
 * data than before; it is only re-rendered less often. The selector must return a stable value for
 * an unchanged state (as with useStore).
 */
export function useViewStore<S, T>(store: StoreApi<S>, selector: (s: S) => T): T {
  const subscribe = useCallback(
    (notify: () => void) => {
      const unsubscribe = store.subscribe(() => onViewClock(notify));
      return () => {
        unsubscribe();
        offViewClock(notify);
      };
    },
    [store],
  );
  return useSyncExternalStore(subscribe, () => selector(store.getState()));
}
