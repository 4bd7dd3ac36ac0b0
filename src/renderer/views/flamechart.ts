import { useRef, useState, type KeyboardEvent, type MouseEvent, type RefObject, type WheelEvent } from 'react';
import type { ProfileSpan } from '../../shared/protocol';
import { useCanvasFrame, sizeCanvas } from '../lib/canvasFrame';
import { cssColor } from '../lib/roles';
import { profilerModel } from '../state/profilerModel';

const ROW = 18;
const DEPTHS = 6;
const HEIGHT = ROW * DEPTHS + 22;
const PALETTE = ['--accent', '--assistant', '--tool', '--system', '--recalled', '--summary'];

export interface View {
  /** Visible time range in ms on the engine clock. */
  t0: number;
  t1: number;
  /** Follow new spans (live) until the user zooms or pans. */
  live: boolean;
}

export interface FlameHover {
  x: number;
  y: number;
  span: ProfileSpan;
}

/**
 * Draws the live flamechart from the profiler model (not through React state), 10 times a second at
 * most; returns the visible range (mutable), a function that asks for a redraw, and the span count.
 */
export function useFlamechart(canvas: RefObject<HTMLCanvasElement | null>): { view: RefObject<View>; redraw: () => void; count: number } {
  const view = useRef<View>({ t0: 0, t1: 1, live: true });
  const [count, setCount] = useState(0);
  const redraw = useCanvasFrame(
    canvas,
    (c) => {
      setCount(profilerModel.spans.size);
      drawFlamechart(c, view.current);
    },
    [(l) => profilerModel.subscribe(l)],
    // live spans arrive with every batch; 10 redraws a second are plenty for a flamechart
    100,
  );
  return { view, redraw, count };
}

/** Wheel or +/- zoom, drag or ←/→ pan, double-click or 0 resumes live; hover finds the span under the pointer. */
export function useFlamechartControls(canvas: RefObject<HTMLCanvasElement | null>, view: RefObject<View>, redraw: () => void) {
  const drag = useRef<{ x: number; t0: number; t1: number } | undefined>(undefined);
  const [hover, setHover] = useState<FlameHover | undefined>();
  const timeAt = (clientX: number): number => {
    const rect = canvas.current!.getBoundingClientRect();
    const v = view.current;
    return v.t0 + ((clientX - rect.left) / rect.width) * (v.t1 - v.t0);
  };
  const zoom = (factor: number, at: number) => {
    zoomView(view.current, factor, at);
    redraw();
  };
  const onMouseMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    const rect = e.currentTarget.getBoundingClientRect();
    if (d) {
      const dt = ((e.clientX - d.x) / rect.width) * (d.t1 - d.t0);
      Object.assign(view.current, { t0: d.t0 - dt, t1: d.t1 - dt, live: false });
      redraw();
      return;
    }
    const span = spanAt(timeAt(e.clientX), Math.floor((e.clientY - rect.top) / ROW));
    setHover(span ? { x: e.clientX - rect.left, y: e.clientY - rect.top, span } : undefined);
  };
  const handlers = {
    onWheel: (e: WheelEvent<HTMLCanvasElement>) => zoom(e.deltaY > 0 ? 1.25 : 0.8, timeAt(e.clientX)),
    onMouseDown: (e: MouseEvent<HTMLCanvasElement>) => {
      drag.current = { x: e.clientX, t0: view.current.t0, t1: view.current.t1 };
    },
    onMouseUp: () => (drag.current = undefined),
    onMouseLeave: () => {
      drag.current = undefined;
      setHover(undefined);
    },
    onMouseMove,
    onDoubleClick: () => {
      view.current.live = true;
      redraw();
    },
    onKeyDown: (e: KeyboardEvent<HTMLCanvasElement>) => {
      if (keyMovesView(e.key, view.current, zoom)) {
        redraw();
        e.preventDefault();
      }
    },
  };
  return { hover, handlers };
}

function zoomView(v: View, factor: number, at: number): void {
  v.live = false;
  v.t0 = at - (at - v.t0) * factor;
  v.t1 = at + (v.t1 - at) * factor;
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

function spanAt(t: number, depth: number): ProfileSpan | undefined {
  const { spans } = profilerModel;
  for (let i = 0; i < spans.size; i++) {
    const s = spans.oldest(i)!;
    if (s.depth === depth && s.start <= t && s.end >= t) return s;
  }
  return undefined;
}

function drawFlamechart(c: HTMLCanvasElement, v: View): void {
  const spans = profilerModel.spans;
  if (v.live && spans.size > 0) {
    const end = spans.newest(0)!.end;
    // the last ~60 turns' worth of spans, by time
    const from = spans.newest(Math.min(399, spans.size - 1))!.start;
    v.t0 = from;
    v.t1 = Math.max(end, from + 0.001);
  }
  const width = c.parentElement?.clientWidth ?? 600;
  const ctx = sizeCanvas(c, width, HEIGHT);
  if (!ctx) return;
  ctx.clearRect(0, 0, width, HEIGHT);
  const scale = width / (v.t1 - v.t0);
  const colors = PALETTE.map(cssColor);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  for (let i = 0; i < spans.size; i++) {
    const s = spans.oldest(i)!;
    if (s.end < v.t0 || s.start > v.t1 || s.depth >= DEPTHS) continue;
    drawSpan(ctx, s, (s.start - v.t0) * scale, Math.max(1, (s.end - s.start) * scale), colors[hash(s.name) % colors.length]);
  }
  ctx.fillStyle = cssColor('--muted');
  ctx.fillText(`${fmt(v.t1 - v.t0)} shown${v.live ? ' · live' : ' · paused (double-click for live)'}`, 4, HEIGHT - 9);
}

function drawSpan(ctx: CanvasRenderingContext2D, s: ProfileSpan, x: number, w: number, color: string): void {
  const y = s.depth * ROW;
  ctx.fillStyle = color;
  ctx.globalAlpha = 0.85;
  ctx.fillRect(x, y, w - 0.5, ROW - 2);
  ctx.globalAlpha = 1;
  if (w > 40) {
    ctx.fillStyle = '#fff';
    ctx.fillText(`${s.name} ${fmt(s.end - s.start)}`, x + 3, y + ROW / 2 - 1, w - 6);
  }
}

export function fmt(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}
