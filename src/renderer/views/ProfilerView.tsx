import { useRef, useState, type KeyboardEvent, type MouseEvent, type WheelEvent } from 'react';
import type { ProfileSpan } from '../../shared/protocol';
import { send } from '../client/connection';
import { useCanvasFrame, sizeCanvas } from '../lib/canvasFrame';
import { cssColor } from '../lib/roles';
import { profilerModel } from '../state/profilerModel';

const ROW = 18;
const DEPTHS = 6;
const HEIGHT = ROW * DEPTHS + 22;
const PALETTE = ['--accent', '--assistant', '--tool', '--system', '--recalled', '--summary'];

interface View {
  /** Visible time range in ms on the engine clock. */
  t0: number;
  t1: number;
  /** Follow new spans (live) until the user zooms or pans. */
  live: boolean;
}

/** A live flamechart of engine spans on canvas: wheel zooms, drag pans, double-click resumes live. */
export function ProfilerView() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const view = useRef<View>({ t0: 0, t1: 1, live: true });
  const drag = useRef<{ x: number; t0: number; t1: number } | undefined>(undefined);
  const [hover, setHover] = useState<{ x: number; y: number; span: ProfileSpan } | undefined>();
  const [count, setCount] = useState(0);

  const redraw = useCanvasFrame(
    canvas,
    (c) => {
      const spans = profilerModel.spans;
      setCount(spans.size);
      const v = view.current;
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
        const x = (s.start - v.t0) * scale;
        const w = Math.max(1, (s.end - s.start) * scale);
        const y = s.depth * ROW;
        ctx.fillStyle = colors[hash(s.name) % colors.length];
        ctx.globalAlpha = 0.85;
        ctx.fillRect(x, y, w - 0.5, ROW - 2);
        ctx.globalAlpha = 1;
        if (w > 40) {
          ctx.fillStyle = '#fff';
          ctx.fillText(`${s.name} ${fmt(s.end - s.start)}`, x + 3, y + ROW / 2 - 1, w - 6);
        }
      }
      ctx.fillStyle = cssColor('--muted');
      ctx.fillText(`${fmt(v.t1 - v.t0)} shown${v.live ? ' · live' : ' · paused (double-click for live)'}`, 4, HEIGHT - 9);
    },
    [(l) => profilerModel.subscribe(l)],
    // live spans arrive with every batch; 10 redraws a second are plenty for a flamechart
    100,
  );

  const timeAt = (clientX: number): number => {
    const rect = canvas.current!.getBoundingClientRect();
    const v = view.current;
    return v.t0 + ((clientX - rect.left) / rect.width) * (v.t1 - v.t0);
  };
  const zoom = (factor: number, at: number) => {
    const v = view.current;
    v.live = false;
    v.t0 = at - (at - v.t0) * factor;
    v.t1 = at + (v.t1 - at) * factor;
    redraw();
  };
  const onWheel = (e: WheelEvent<HTMLCanvasElement>) => zoom(e.deltaY > 0 ? 1.25 : 0.8, timeAt(e.clientX));
  const onDown = (e: MouseEvent<HTMLCanvasElement>) => {
    drag.current = { x: e.clientX, t0: view.current.t0, t1: view.current.t1 };
  };
  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    const rect = e.currentTarget.getBoundingClientRect();
    if (d) {
      const dt = ((e.clientX - d.x) / rect.width) * (d.t1 - d.t0);
      Object.assign(view.current, { t0: d.t0 - dt, t1: d.t1 - dt, live: false });
      redraw();
      return;
    }
    const t = timeAt(e.clientX);
    const depth = Math.floor((e.clientY - rect.top) / ROW);
    const { spans } = profilerModel;
    let span: ProfileSpan | undefined;
    for (let i = 0; i < spans.size && !span; i++) {
      const s = spans.oldest(i)!;
      if (s.depth === depth && s.start <= t && s.end >= t) span = s;
    }
    setHover(span ? { x: e.clientX - rect.left, y: e.clientY - rect.top, span } : undefined);
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const v = view.current;
    const mid = (v.t0 + v.t1) / 2;
    const pan = (v.t1 - v.t0) * 0.2;
    if (e.key === '+' || e.key === '=') zoom(0.8, mid);
    else if (e.key === '-') zoom(1.25, mid);
    else if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
      const d = e.key === 'ArrowLeft' ? -pan : pan;
      Object.assign(v, { t0: v.t0 + d, t1: v.t1 + d, live: false });
      redraw();
    } else if (e.key === '0') {
      v.live = true;
      redraw();
    } else return;
    e.preventDefault();
  };

  return (
    <section className="panel wide" aria-label="Profiler">
      <h2>
        Profiler <span className="hint">{count.toLocaleString()} spans · wheel or +/- to zoom, drag or ←/→ to pan, 0 for live</span>
        <span style={{ flex: 1 }} />
        <button type="button" onClick={() => send({ type: 'exportProfile', format: 'speedscope' })}>
          Export speedscope
        </button>
        <button type="button" onClick={() => send({ type: 'exportProfile', format: 'chrome' })}>
          Export Chrome trace
        </button>
      </h2>
      <div style={{ position: 'relative' }}>
        <canvas
          ref={canvas}
          tabIndex={0}
          role="img"
          aria-label="Flamechart of engine spans"
          onWheel={onWheel}
          onMouseDown={onDown}
          onMouseUp={() => (drag.current = undefined)}
          onMouseLeave={() => {
            drag.current = undefined;
            setHover(undefined);
          }}
          onMouseMove={onMove}
          onDoubleClick={() => {
            view.current.live = true;
            redraw();
          }}
          onKeyDown={onKey}
          style={{ display: 'block', cursor: 'grab' }}
        />
        {hover && (
          <div role="tooltip" style={{ position: 'absolute', left: Math.min(hover.x + 10, 700), top: hover.y + 12, background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 6, padding: 6, fontSize: 12, pointerEvents: 'none' }}>
            {hover.span.name} · {fmt(hover.span.end - hover.span.start)} · turn {hover.span.turn}
          </div>
        )}
      </div>
    </section>
  );
}

function fmt(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}
