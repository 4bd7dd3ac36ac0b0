import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import { flushSync } from 'react-dom';
import type { StoreApi } from 'zustand/vanilla';

/**
 * How often the views follow the engine's stores: a tick at most every VIEW_MS, whatever the batch
 * rate. Batches come once a frame during a fast replay, and a view re-rendered on each of them made the
 * renderer's work grow with the event rate.
 */
export const VIEW_MS = 100;

/**
 * The views' work a frame may take (ms). A tick's views render in animation frames, the quickest (by
 * its last render) first, each view in its own commit (flushSync) and timed: once a frame has spent
 * FRAME_BUDGET_MS the other views wait for the next frame. All views rendering in one commit made one
 * long task per tick (30-60 ms during a full-speed replay: a dropped frame every sixth); spread over
 * frames the work per frame stays bounded, and every view still shows a change within a tick and a
 * few frames.
 */
export const FRAME_BUDGET_MS = 6;

/**
 * Which view a component belongs to: its listeners render together, in one commit (one per listener
 * cost a commit for each of the chat's hundreds of badges). Listeners outside any view (a canvas, a
 * probe) are a view of their own.
 */
export const ViewGroup = createContext<string | undefined>(undefined);

type Listener = () => void;
/** Waiting for the next tick, by view. */
const due = new Map<unknown, Set<Listener>>();
/** This tick's views, run frame by frame in the order their changes came. */
const queue = new Map<unknown, Set<Listener>>();
const groupOf = new Map<Listener, unknown>();
/** How long each view's last render took (ms): a frame renders the quickest first. */
const lastCost = new Map<unknown, number>();
let timer: ReturnType<typeof setTimeout> | undefined;
let frame = false;
let lastTick = -Infinity;

/** A tick: the views with a change join the queue (after what an earlier tick left), drained in frames. */
function tick(): void {
  timer = undefined;
  lastTick = performance.now();
  for (const [group, listeners] of due) {
    const waiting = queue.get(group);
    if (waiting) for (const l of listeners) waiting.add(l);
    else queue.set(group, listeners);
  }
  due.clear();
  requestFrame();
}

/**
 * Renders the queue's views until the frame's budget is spent; the rest in the next frame. A
 * benchmark that sets window.__FMS_VIEWS__ = {} gets each view's render times there (ms, by view).
 */
function drain(): void {
  frame = false;
  const start = performance.now();
  const costs = (globalThis as { __FMS_VIEWS__?: Record<string, number[]> }).__FMS_VIEWS__;
  // the quick views first (the header, the counts): a slow one (a chart) cannot hold them a frame
  const order = [...queue.keys()].sort((a, b) => (lastCost.get(a) ?? 0) - (lastCost.get(b) ?? 0));
  for (const group of order) {
    const listeners = queue.get(group)!;
    queue.delete(group);
    for (const l of listeners) groupOf.delete(l);
    const t0 = performance.now();
    // React renders what these listeners notified now, in one commit: the time it took is this view's
    flushSync(() => listeners.forEach((l) => l()));
    const t1 = performance.now();
    if (typeof group === 'string') lastCost.set(group, t1 - t0); // views by name (a listener of its own costs nothing to keep)
    if (costs) (costs[typeof group === 'string' ? group : 'other'] ??= []).push(t1 - t0);
    if (t1 - start >= FRAME_BUDGET_MS) break;
  }
  if (queue.size > 0) requestFrame();
}

/**
 * The next animation frame, or a macrotask when frames are paused (a hidden window): the views keep
 * following the stores there too, as they did on timers.
 */
function requestFrame(): void {
  if (frame) return;
  frame = true;
  let done = false;
  const run = () => {
    if (done) return;
    done = true;
    clearTimeout(fallback);
    drain();
  };
  const id = requestAnimationFrame(run);
  const fallback = setTimeout(() => {
    cancelAnimationFrame(id);
    run();
  }, VIEW_MS);
}

/**
 * Calls `listener` on the views' next tick (listeners added before it runs are called once), with
 * the other listeners of its `group` (a view) in one commit.
 */
export function onViewClock(listener: Listener, group: unknown = listener): void {
  if (groupOf.has(listener)) return; // already waiting: it will read the latest state
  groupOf.set(listener, group);
  let set = due.get(group);
  if (!set) due.set(group, (set = new Set()));
  set.add(listener);
  timer ??= setTimeout(tick, Math.max(0, lastTick + VIEW_MS - performance.now()));
}

/** Forgets a listener that has not been called yet (its view unmounted). */
export function offViewClock(listener: Listener): void {
  const group = groupOf.get(listener);
  if (group === undefined) return;
  groupOf.delete(listener);
  due.get(group)?.delete(listener);
  queue.get(group)?.delete(listener);
}

/**
 * Like zustand's useStore(store, selector), but the view hears of a change on the views' clock, not
 * on every batch, in its turn among the views (ViewGroup). A render for another reason reads the
 * store as it is now, so nothing shows older data than before; it is only re-rendered less often. The
 * selector must return a stable value for an unchanged state (as with useStore).
 */
export function useViewStore<S, T>(store: StoreApi<S>, selector: (s: S) => T): T {
  const group = useContext(ViewGroup);
  const subscribe = useCallback(
    (notify: () => void) => {
      const unsubscribe = store.subscribe(() => onViewClock(notify, group ?? notify));
      return () => {
        unsubscribe();
        offViewClock(notify);
      };
    },
    [store, group],
  );
  return useSyncExternalStore(subscribe, () => selector(store.getState()));
}
