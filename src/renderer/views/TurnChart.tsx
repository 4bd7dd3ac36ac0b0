import { useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { sizeCanvas, useCanvasFrame } from '../lib/canvasFrame';
import { cssColor } from '../lib/roles';
import { drawChart, indexAt, layoutChart, xAt, yLabel, type ChartLayout, type ChartSeries } from '../lib/turnChart';

type Subscribe = (listener: () => void) => () => void;
type Point = Record<string, unknown>;

export interface TurnChartProps {
  /** The chart's accessible name (also what tests find it by). */
  label: string;
  height: number;
  /** The y axis's width (px). */
  axis: number;
  /** The points to draw, read when drawing (a downsampled window of a store's ring). */
  read: () => readonly Point[];
  /** What says the points changed (a store's version): an unchanged key, size and cursor skip the draw. */
  version: () => unknown;
  /** The stores the points come from: a change redraws in the view's turn of the views' clock. */
  sources: readonly Subscribe[];
  x: string;
  series: readonly ChartSeries[];
  domain?: readonly [number, number];
  unit?: string;
}

/**
 * A chart over turns on canvas (lib/turnChart), drawn from the stores on the views' clock like the
 * context map. Hover or ←/→ (Home/End) on the focused chart shows a point's values; Escape clears.
 */
export function TurnChart(p: TurnChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const layout = useRef<ChartLayout | undefined>(undefined);
  const shown = useRef<readonly Point[]>([]);
  const cursor = useRef(-1);
  const drawn = useRef<{ version: unknown; width: number; cursor: number; theme: string | undefined } | undefined>(undefined);
  const [tip, setTip] = useState<{ i: number; point: Point } | undefined>();
  const redraw = useCanvasFrame(
    canvas,
    (c, width) => {
      const version = p.version();
      const theme = document.documentElement.dataset.theme;
      const last = drawn.current;
      if (last && last.version === version && last.width === width && last.cursor === cursor.current && last.theme === theme) return;
      drawn.current = { version, width, cursor: cursor.current, theme };
      const points = p.read();
      shown.current = points;
      const l = layoutChart(points, p.x, p.series, { width, height: p.height, axis: p.axis, domain: p.domain, unit: p.unit });
      layout.current = l;
      const ctx = sizeCanvas(c, width, p.height);
      if (!ctx) return;
      const colors = { grid: cssColor('--border'), axis: cssColor('--muted'), cursor: cssColor('--muted'), series: p.series.map((s) => cssColor(s.color)) };
      const i = Math.min(cursor.current, points.length - 1);
      drawChart(ctx, points, p.x, p.series, l, colors, p.unit, i);
      // a shown tooltip follows the data under it (a replay moves the points)
      if (i >= 0) setTip((t) => (t && t.i === i && t.point === points[i] ? t : { i, point: points[i] }));
    },
    p.sources,
  );

  const select = (i: number) => {
    cursor.current = i;
    const point = shown.current[i];
    setTip(i >= 0 && point ? { i, point } : undefined);
    redraw();
  };
  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    if (!layout.current) return;
    select(indexAt(layout.current, e.clientX - e.currentTarget.getBoundingClientRect().left));
  };
  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const n = shown.current.length;
    if (n === 0) return;
    const at = cursor.current < 0 ? n : cursor.current;
    const next = e.key === 'ArrowLeft' ? Math.max(0, at - 1) : e.key === 'ArrowRight' ? Math.min(n - 1, at + 1) : e.key === 'Home' ? 0 : e.key === 'End' ? n - 1 : e.key === 'Escape' ? -1 : undefined;
    if (next === undefined) return;
    e.preventDefault();
    select(next);
  };

  const left = tip && layout.current ? xAt(layout.current, tip.i) : 0;
  return (
    <div style={{ position: 'relative', height: p.height }}>
      <canvas
        ref={canvas}
        role="img"
        tabIndex={0}
        aria-label={p.label}
        onMouseMove={onMove}
        onMouseLeave={() => select(-1)}
        onBlur={() => select(-1)}
        onKeyDown={onKey}
        style={{ display: 'block' }}
      />
      {tip && (
        <div role="tooltip" aria-live="polite" style={{ position: 'absolute', top: 4, ...(left > 200 ? { right: `calc(100% - ${left - 8}px)` } : { left: left + 8 }), background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 6, padding: '4px 8px', fontSize: 12, pointerEvents: 'none', whiteSpace: 'nowrap', zIndex: 5 }}>
          <div>
            {p.x} {String(tip.point[p.x])}
          </div>
          {p.series.map((s) => (
            <div key={s.key} style={{ color: `var(${s.color})` }}>
              {s.name}: {yLabel(Number(tip.point[s.key]) || 0, p.unit)}
            </div>
          ))}
        </div>
      )}
    </div>
  );
}
