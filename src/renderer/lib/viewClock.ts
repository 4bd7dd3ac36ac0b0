import { createContext, useCallback, useContext, useRef, useSyncExternalStore } from 'react';
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
 * The share of the time one view's renders may take: a view whose last render (its commit and the
 * style and layout it left) took `cost` ms renders at most every cost / VIEW_SHARE ms (its changes
 * wait in the meantime, and render together). Views under ~4 ms (the header, the counts, the eviction
 * log) render every tick; a 10 ms one (the chat's page turned over, the context map of a long
 * session on a loaded machine) every 250 ms. During a full-speed replay every view changes every tick,
 * and rendering all of them 10 times a second kept the renderer's main thread over half busy.
 */
export const VIEW_SHARE = 0.04;

/**
 * Views that follow every tick whatever their cost: the header (the session, the replay's progress)
 * and the eviction log, which says what was evicted (the benchmark times an eviction to the screen
 * by the log's render).
 */
export const PROMPT_VIEWS: ReadonlySet<unknown> = new Set(['header', 'evictionLog']);
/**
 * How often the prompt views follow the stores (ms): every other frame. In sight, they are counted in
 * frames, not on a timer: a change is looked at in the next animation frame, and the view renders
 * there if its last render was in a frame at least PROMPT_MS - PROMPT_SLACK_MS before (frames start
 * ~16.7 ms apart). A timer armed PROMPT_MS after a render made inside a frame fired just after the
 * second frame had begun, so the view waited for the third: every 50 ms, not 33.
 */
export const PROMPT_MS = 33;
/**
 * The header (the session's title and the replay's count) follows every third frame: it changes on
 * every batch, and every other frame it was ~40% more renders a replay than before for a counter.
 */
export const HEADER_MS = 50;
const PROMPT_SLACK_MS = 8;
/** How often a prompt view follows the stores (ms). */
const promptMs = (group: unknown) => (group === 'header' ? HEADER_MS : PROMPT_MS);

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
/** When each view last rendered: it waits at least its cost / VIEW_SHARE before the next. */
const lastRun = new Map<unknown, number>();
let timer: ReturnType<typeof setTimeout> | undefined;
/** When the armed tick runs. */
let timerAt = Infinity;
let frame = false;
/** The last tick that queued a listener of its own (a view without a name). */
let anonTick = -Infinity;

/**
 * How often a view out of sight follows the stores while they keep changing (ms): scrolled out of
 * the inspector (the Spans, Profiler and Sessions panels below the fold), it is not shown, so it need
 * not follow every tick of a fast replay. It still follows (a screen reader or a search in the page
 * reads it): at least once a second, and within VIEW_MS of the stores' last change once they are
 * quiet; scrolled into view, it renders at the next tick.
 */
export const HIDDEN_VIEW_MS = 1000;
/** Views out of sight (setViewVisible, from App's <View>), and when their stores last changed. */
const hidden = new Set<unknown>();
const lastChange = new Map<unknown, number>();

/** When each prompt view last rendered: the start of that frame's drain. */
const lastFrame = new Map<unknown, number>();

/** A prompt view in sight: its changes are looked at frame by frame, not on the tick's timer. */
const framed = (group: unknown) => PROMPT_VIEWS.has(group) && !hidden.has(group);

/** Asks for what renders a view's waiting change: the next frame (a prompt view in sight) or a tick. */
function schedule(group: unknown): void {
  if (framed(group)) requestFrame();
  else arm(readyAt(group));
}

/** When a view may render next: its last render plus its cost over its share of the time (out of sight: see HIDDEN_VIEW_MS). */
function readyAt(group: unknown): number {
  const last = lastRun.get(group) ?? -Infinity;
  if (hidden.has(group)) return Math.min(last + Math.max(HIDDEN_VIEW_MS, (lastCost.get(group) ?? 0) / VIEW_SHARE), (lastChange.get(group) ?? -Infinity) + VIEW_MS);
  if (PROMPT_VIEWS.has(group)) return last + promptMs(group);
  // views by name wait VIEW_MS from their own last render, a costly one longer (never past
  // HIDDEN_VIEW_MS), and once the stores are quiet no longer than VIEW_MS from their last change: a
  // costly view must not show a finished replay's state (or a button's) seconds late; a listener of
  // its own waits VIEW_MS from the last tick
  if (typeof group !== 'string') return anonTick + VIEW_MS;
  const wait = Math.min(HIDDEN_VIEW_MS, Math.max(VIEW_MS, (lastCost.get(group) ?? 0) / VIEW_SHARE));
  return Math.min(last + wait, (lastChange.get(group) ?? -Infinity) + VIEW_MS);
}

/** Says whether a view is in sight; a view coming into sight with changes waiting renders at the next tick. */
export function setViewVisible(group: unknown, visible: boolean): void {
  if (visible === !hidden.has(group)) return;
  if (visible) hidden.delete(group);
  else hidden.add(group);
  if (!due.has(group)) return;
  if (visible && !framed(group)) arm(Math.max(readyAt(group), performance.now()));
  else schedule(group);
}

/**
 * A tick: the views with a change whose turn has come join the queue (after what an earlier tick
 * left), drained in frames; a costly view that rendered recently waits for a later tick.
 */
function tick(): void {
  timer = undefined;
  timerAt = Infinity;
  const now = performance.now();
  let next = Infinity;
  let anon = false;
  for (const [group, listeners] of due) {
    if (framed(group)) continue; // looked at in the next frame
    const at = readyAt(group);
    if (at > now) {
      next = Math.min(next, at);
      continue;
    }
    if (typeof group !== 'string') anon = true;
    due.delete(group);
    const waiting = queue.get(group);
    if (waiting) for (const l of listeners) waiting.add(l);
    else queue.set(group, listeners);
  }
  if (anon) anonTick = now;
  if (next < Infinity) arm(Math.max(now + PROMPT_MS, next));
  if (queue.size > 0) requestFrame();
}

/** A tick at `at` (ms), unless one is armed for no later. */
function arm(at: number): void {
  if (timer !== undefined) {
    if (timerAt <= at) return;
    clearTimeout(timer);
  }
  timerAt = at;
  timer = setTimeout(tick, Math.max(0, at - performance.now()));
}

/**
 * The style and layout the frame's commits left, done at the end of the frame's views (one pass,
 * as the frame would do it after them) and shared among the views that rendered in it, in proportion
 * to their commits, so a view's cost includes its layout. Forced after each view's commit it was a
 * pass per view: ~20% of the renderer's main thread in a profile of a full-speed replay.
 */
function layoutNow(): void {
  if (typeof document !== 'undefined') void document.documentElement.offsetHeight;
}
/** The share of its last cost each view's layout took: the frame's budget counts it before the pass. */
const layoutShare = new Map<unknown, number>();

/**
 * Renders the queue's views until the frame's budget is spent; the rest in the next frame. A
 * benchmark that sets window.__FMS_VIEWS__ = {} gets each view's render times there (ms, by view).
 */
function drain(): void {
  frame = false;
  const start = performance.now();
  // the prompt views in sight whose turn has come join the frame's views; the others look again next frame
  let promptWaiting = false;
  for (const [group, listeners] of due) {
    if (!framed(group)) continue;
    if (start - (lastFrame.get(group) ?? -Infinity) < promptMs(group) - PROMPT_SLACK_MS) {
      promptWaiting = true;
      continue;
    }
    due.delete(group);
    const waiting = queue.get(group);
    if (waiting) for (const l of listeners) waiting.add(l);
    else queue.set(group, listeners);
  }
  const costs = (globalThis as { __FMS_VIEWS__?: Record<string, number[]> }).__FMS_VIEWS__;
  // the prompt views first, then the quick ones (the counts): a slow one cannot hold them a frame
  const rank = (g: unknown) => (PROMPT_VIEWS.has(g) ? -1e9 : 0) + (lastCost.get(g) ?? 0);
  const order = [...queue.keys()].sort((a, b) => rank(a) - rank(b));
  /** The views rendered in this frame and their commits (ms); their layout, estimated, is still to come. */
  const ran: { group: unknown; commit: number }[] = [];
  let layoutDue = 0;
  for (const group of order) {
    // a view whose last render would take the frame past its budget waits for the next frame, unless
    // it is the frame's first (the frame then holds that view alone): a 10 ms view after 5 ms of
    // quick ones made a 15 ms frame, and a dropped one once paint and commit came on top
    if (performance.now() - start + layoutDue + (lastCost.get(group) ?? 0) > FRAME_BUDGET_MS && group !== order[0]) break;
    const listeners = queue.get(group)!;
    queue.delete(group);
    for (const l of listeners) groupOf.delete(l);
    const t0 = performance.now();
    // React renders what these listeners notified now, in one commit: the time it took is this view's
    flushSync(() => listeners.forEach((l) => l()));
    const commit = performance.now() - t0;
    ran.push({ group, commit });
    layoutDue += (layoutShare.get(group) ?? 0) * (lastCost.get(group) ?? 0);
    if (performance.now() - start + layoutDue >= FRAME_BUDGET_MS) break;
  }
  const l0 = performance.now();
  if (ran.length > 0) layoutNow();
  const t1 = performance.now();
  const layout = t1 - l0;
  const commits = ran.reduce((a, r) => a + r.commit, 0);
  for (const { group, commit } of ran) {
    const cost = commit + (commits > 0 ? (layout * commit) / commits : layout / ran.length);
    if (typeof group === 'string') {
      // views by name (a listener of its own costs nothing to keep)
      lastCost.set(group, cost);
      layoutShare.set(group, cost > 0 ? (cost - commit) / cost : 0);
      lastRun.set(group, t1);
      if (PROMPT_VIEWS.has(group)) lastFrame.set(group, start);
    }
    if (costs) (costs[typeof group === 'string' ? group : 'other'] ??= []).push(cost);
  }
  if (queue.size > 0 || promptWaiting) requestFrame();
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
  if (typeof group === 'string') lastChange.set(group, performance.now());
  if (groupOf.has(listener)) return; // already waiting: it will read the latest state
  groupOf.set(listener, group);
  let set = due.get(group);
  if (!set) due.set(group, (set = new Set()));
  set.add(listener);
  schedule(group);
}

/**
 * Whether every view shows its stores as they are: no change waiting for a tick or a frame. Tests
 * and benchmarks wait for it (window.__FMS_VIEWS_SETTLED__) before they read several views at once,
 * since each view follows the stores in its own turn.
 */
export function viewsSettled(): boolean {
  return due.size === 0 && queue.size === 0;
}
if (typeof window !== 'undefined') (window as unknown as { __FMS_VIEWS_SETTLED__?: () => boolean }).__FMS_VIEWS_SETTLED__ = viewsSettled;

/** Forgets a listener that has not been called yet (its view unmounted). */
export function offViewClock(listener: Listener): void {
  const group = groupOf.get(listener);
  if (group === undefined) return;
  groupOf.delete(listener);
  due.get(group)?.delete(listener);
  queue.get(group)?.delete(listener);
}

/** What a view's selector last gave, with the selector that gave it. */
export interface Selection<S, T> {
  current: { selector: (s: S) => T; value: T } | undefined;
}

/** A store listener that calls `changed` only when the state's selection differs from the one last seen (Object.is). */
export function onSelectionChange<S, T>(seen: Selection<S, T>, changed: () => void): (state: S) => void {
  return (state) => {
    const last = seen.current;
    if (last && Object.is(last.selector(state), last.value)) return;
    changed();
  };
}

/**
 * Like zustand's useStore(store, selector), but the view hears of a change on the views' clock, not
 * on every batch, in its turn among the views (ViewGroup). A render for another reason reads the
 * store as it is now, so nothing shows older data than before; it is only re-rendered less often. The
 * selector must return a stable value for an unchanged state (as with useStore).
 */
export function useViewStore<S, T>(store: StoreApi<S>, selector: (s: S) => T): T {
  const group = useContext(ViewGroup);
  // what the selector last gave (rendered, or seen unchanged): a store change that leaves it as it was
  // queues no render. A batch changes the window store on every turn, and the eviction log, which reads
  // one count from it, rendered for nothing and then waited its next turn for the batch that evicted
  const seen: Selection<S, T> = useRef<Selection<S, T>['current']>(undefined);
  const read = (): T => {
    const value = selector(store.getState());
    seen.current = { selector, value };
    return value;
  };
  const subscribe = useCallback(
    (notify: () => void) => {
      const unsubscribe = store.subscribe(onSelectionChange(seen, () => onViewClock(notify, group ?? notify)));
      return () => {
        unsubscribe();
        offViewClock(notify);
      };
    },
    [store, group],
  );
  return useSyncExternalStore(subscribe, read);
}
