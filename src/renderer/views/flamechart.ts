import { useEffect, useRef, useState, type RefObject } from 'react';
import type { ProfileSpan } from '../../shared/protocol';
import type { Ring } from '../../shared/view/ring';
import { useCanvasFrame } from '../lib/canvasFrame';
import { profilerModel } from '../state/profilerModel';
import { drawFlamechart, followLive, type FrameInfo, type View } from './flamechartDraw';

export { fmt, type FrameInfo, type View } from './flamechartDraw';
export { useFlamechartControls, type FlameHover } from './flamechartControls';

const EMPTY_FRAME: FrameInfo = { t0: 0, t1: 1, live: true, count: 0, shown: 0, origin: 0, step: 0 };

/**
 * Draws the live flamechart from the profiler model (not through React state), 10 times a second at
 * most; returns the visible range (mutable), a function that asks for a redraw, and what the last
 * frame showed. When the model is cleared (a new session, an open, a reload: the model starts a new
 * ring) the view returns to live, which fits the new spans, and `onCleared` drops the selection.
 */
export function useFlamechart(canvas: RefObject<HTMLCanvasElement | null>, selected: ProfileSpan | undefined, onCleared: () => void): { view: RefObject<View>; redraw: () => void; frame: FrameInfo } {
  const view = useRef<View>({ t0: 0, t1: 1, live: true });
  const profile = useRef<{ ring?: Ring<ProfileSpan>; origin?: number }>({});
  const [frame, setFrame] = useState<FrameInfo>(EMPTY_FRAME);
  /** A new ring (a new session, a hello): back to live, the selection dropped. True when it was new. */
  const follow = (spans: Ring<ProfileSpan>): boolean => {
    const p = profile.current;
    if (p.ring === spans) return false;
    Object.assign(p, { ring: spans, origin: undefined });
    view.current.live = true;
    onCleared();
    return true;
  };
  // noticed as the model changes, not at the next draw: the canvas draws in its turn of the views'
  // clock, and a zoom or a selection made before that draw must apply to the new spans, not be undone by it
  useEffect(() => profilerModel.subscribe(() => void follow(profilerModel.spans)), []);
  const redraw = useCanvasFrame(
    canvas,
    (c, width) => {
      const spans = profilerModel.spans;
      const p = profile.current;
      const cleared = follow(spans);
      if (p.origin === undefined && spans.size > 0) p.origin = spans.oldest(0)!.start;
      followLive(view.current, spans);
      const info = drawFlamechart(c, width, view.current, spans, p.origin ?? 0, cleared ? undefined : selected);
      if (info) setFrame((prev) => (sameFrame(prev, info) ? prev : info));
    },
    // live spans arrive with every batch; redrawn on the views' clock (10 times a second at most)
    [(l) => profilerModel.subscribe(l)],
  );
  useEffect(() => redraw(), [selected]); // outline the new selection
  return { view, redraw, frame };
}

function sameFrame(a: FrameInfo, b: FrameInfo): boolean {
  return (Object.keys(b) as (keyof FrameInfo)[]).every((k) => a[k] === b[k]);
}
