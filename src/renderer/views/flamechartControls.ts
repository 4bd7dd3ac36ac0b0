import { useRef, useState, type KeyboardEvent, type MouseEvent, type RefObject, type WheelEvent } from 'react';
import type { ProfileSpan } from '../../shared/protocol';
import { profilerModel } from '../state/profilerModel';
import { depthAt, spanAt, timeAt, zoomRange } from './flameGeometry';
import type { View } from './flamechartDraw';
import { firstChildOf, parentOf } from './spanDetails';

export interface FlameHover {
  x: number;
  y: number;
  span: ProfileSpan;
}

/** Pointer moves shorter than this are a click, not a drag. */
const CLICK_SLOP = 3;

/** The span drawn under a pointer event, if any. */
function spanUnder(e: MouseEvent<HTMLCanvasElement>, v: View): ProfileSpan | undefined {
  const rect = e.currentTarget.getBoundingClientRect();
  const depth = depthAt(e.clientY - rect.top);
  if (depth === undefined || rect.width <= 0) return undefined;
  const t = timeAt(e.clientX - rect.left, v, rect.width);
  return spanAt(profilerModel.spans, t, depth, (v.t1 - v.t0) / rect.width);
}

/**
 * Wheel or +/- zoom, drag or ←/→ pan, double-click or 0 resumes live; a click selects the span under
 * the pointer (empty space clears), Enter selects the span mid-view, Escape clears, ↑/↓ select the
 * parent / first child; hover finds
 * the span under the pointer. `resetZoom` returns to live (the toolbar's Reset zoom).
 */
export function useFlamechartControls(view: RefObject<View>, redraw: () => void, selected: ProfileSpan | undefined, select: (span: ProfileSpan | undefined) => void) {
  const drag = useRef<{ x: number; t0: number; t1: number; moved: boolean } | undefined>(undefined);
  const [hover, setHover] = useState<FlameHover | undefined>();
  const zoom = (factor: number, at: number) => {
    Object.assign(view.current, zoomRange(view.current, factor, at), { live: false });
    redraw();
  };
  const resetZoom = () => {
    view.current.live = true;
    redraw();
  };
  const onMouseMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    const rect = e.currentTarget.getBoundingClientRect();
    if (d && (d.moved || Math.abs(e.clientX - d.x) >= CLICK_SLOP)) {
      d.moved = true;
      const dt = ((e.clientX - d.x) / rect.width) * (d.t1 - d.t0);
      Object.assign(view.current, { t0: d.t0 - dt, t1: d.t1 - dt, live: false });
      redraw();
      return;
    }
    const span = spanUnder(e, view.current);
    setHover(span ? { x: e.clientX - rect.left, y: e.clientY - rect.top, span } : undefined);
  };
  const handlers = {
    onWheel: (e: WheelEvent<HTMLCanvasElement>) => {
      const rect = e.currentTarget.getBoundingClientRect();
      zoom(e.deltaY > 0 ? 1.25 : 0.8, timeAt(e.clientX - rect.left, view.current, rect.width));
    },
    onMouseDown: (e: MouseEvent<HTMLCanvasElement>) => {
      drag.current = { x: e.clientX, t0: view.current.t0, t1: view.current.t1, moved: false };
    },
    onMouseUp: (e: MouseEvent<HTMLCanvasElement>) => {
      if (drag.current && !drag.current.moved) select(spanUnder(e, view.current));
      drag.current = undefined;
    },
    onMouseLeave: () => {
      drag.current = undefined;
      setHover(undefined);
    },
    onMouseMove,
    onDoubleClick: resetZoom,
    onKeyDown: (e: KeyboardEvent<HTMLCanvasElement>) => {
      if (keySelects(e.key, view.current, selected, select) || keyMovesView(e.key, view.current, zoom)) {
        redraw();
        e.preventDefault();
      }
    },
  };
  return { hover, handlers, resetZoom };
}

/**
 * Enter selects the span nearest the middle of the view (in the selection's row, else the top row),
 * Escape clears the selection, ↑ selects its parent, ↓ its first child; false for any other key.
 */
function keySelects(key: string, v: View, selected: ProfileSpan | undefined, select: (span: ProfileSpan | undefined) => void): boolean {
  if (key === 'Enter') select(spanAt(profilerModel.spans, (v.t0 + v.t1) / 2, selected?.depth ?? 0, (v.t1 - v.t0) / 2) ?? selected);
  else if (key === 'Escape' && selected) select(undefined);
  else if (key === 'ArrowUp' && selected) select(parentOf(profilerModel.spans, selected) ?? selected);
  else if (key === 'ArrowDown' && selected) select(firstChildOf(profilerModel.spans, selected) ?? selected);
  else return false;
  return true;
}

/** Applies a zoom, pan or live key to the view; false for any other key. */
function keyMovesView(key: string, v: View, zoom: (factor: number, at: number) => void): boolean {
  const mid = (v.t0 + v.t1) / 2;
  const pan = (v.t1 - v.t0) * 0.2;
  if (key === '+' || key === '=') zoom(0.8, mid);
  else if (key === '-') zoom(1.25, mid);
  else if (key === 'ArrowLeft' || key === 'ArrowRight') {
    const d = key === 'ArrowLeft' ? -pan : pan;
    Object.assign(v, { t0: v.t0 + d, t1: v.t1 + d, live: false });
  } else if (key === '0') v.live = true;
  else return false;
  return true;
}
