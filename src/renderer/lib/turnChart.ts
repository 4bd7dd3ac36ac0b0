import { endTicks } from './downsample';
import { niceStepOf } from './niceStep';

/**
 * A chart over turns drawn on canvas: stacked step areas and lines over evenly spaced points (the
 * downsampled window the view keeps), a dashed grid, y ticks at nice steps from 0 and x ticks chosen
 * back from the newest turn. recharts redrew such a chart as SVG in one 12-60 ms task (a dropped
 * frame every update during a fast replay); this draws 120-200 points in well under a millisecond,
 * so the chart follows the views' clock like the other views.
 */
export interface ChartSeries {
  key: string;
  name: string;
  /** A CSS variable (`--user`): canvas needs its value. */
  color: string;
  /** Areas are stacked in order, from 0; lines are drawn over them, unstacked. */
  kind: 'area' | 'line';
  /** 'step': the value holds until the next point (recharts' stepAfter); 'linear': straight segments. */
  curve: 'step' | 'linear';
}

export interface ChartFrame {
  width: number;
  height: number;
  /** The y axis's width, left of the plot. */
  axis: number;
  /** A fixed y range (a rate in %), or undefined for [0, a nice ceiling over the data]. */
  domain?: readonly [number, number];
  unit?: string;
}

export const MARGIN = { top: 6, right: 8, bottom: 18 } as const;
/** An 11 px label's width per character, and the gap kept between x labels. */
const CHAR_PX = 7;
const GAP_PX = 5;

export interface ChartLayout {
  /** The plot's box in CSS pixels. */
  left: number;
  right: number;
  top: number;
  bottom: number;
  /** The y value at the plot's top, and the ticks from 0 to it. */
  yMax: number;
  yMin: number;
  yTicks: number[];
  /** Indexes of the labelled points. */
  xTicks: number[];
  n: number;
}

/** Ticks from 0 at a 1, 2, 2.5 or 5 × 10^k step, at most `intervals` steps, the last at or above max. */
export function niceTicks(max: number, intervals = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const step = niceStepOf(max / intervals, [1, 2, 2.5, 5, 10]); // the y axes also step by 2.5
  const ticks: number[] = [];
  for (let v = 0; ticks.length <= intervals; v += step) {
    ticks.push(Number(v.toPrecision(12)));
    if (v >= max) break;
  }
  return ticks;
}

/** The highest value drawn: the top of the stacked areas, or a line's, whichever is higher. */
export function dataMax(points: readonly Record<string, unknown>[], series: readonly ChartSeries[]): number {
  let max = 0;
  for (const p of points) {
    let stack = 0;
    for (const s of series) {
      const v = Number(p[s.key]) || 0;
      if (s.kind === 'area') max = Math.max(max, (stack += v));
      else max = Math.max(max, v);
    }
  }
  return max;
}

export function layoutChart(points: readonly Record<string, unknown>[], x: string, series: readonly ChartSeries[], f: ChartFrame): ChartLayout {
  const [yMin, top] = f.domain ?? [0, undefined];
  const yTicks = f.domain ? niceTicks(f.domain[1] - f.domain[0]).map((t) => t + yMin) : niceTicks(dataMax(points, series));
  const left = f.axis;
  const right = Math.max(left + 1, f.width - MARGIN.right);
  const last = points.length > 0 ? String(points[points.length - 1][x]) : '';
  const fit = Math.max(2, Math.floor((right - left) / (last.length * CHAR_PX + GAP_PX)));
  const index = points.map((_, i) => ({ i }));
  return {
    left,
    right,
    top: MARGIN.top,
    bottom: Math.max(MARGIN.top + 1, f.height - MARGIN.bottom),
    yMin,
    yMax: top ?? yTicks[yTicks.length - 1],
    yTicks,
    xTicks: endTicks(index, 'i', fit),
    n: points.length,
  };
}

/** The x of the i-th of n evenly spaced points. */
export const xAt = (l: ChartLayout, i: number) => (l.n <= 1 ? (l.left + l.right) / 2 : l.left + ((l.right - l.left) * i) / (l.n - 1));
export const yAt = (l: ChartLayout, v: number) => l.bottom - ((l.bottom - l.top) * (v - l.yMin)) / (l.yMax - l.yMin || 1);

/** The point nearest to x (clamped to the data), or -1 without points. */
export function indexAt(l: ChartLayout, x: number): number {
  if (l.n === 0) return -1;
  if (l.n === 1) return 0;
  const i = Math.round(((x - l.left) / (l.right - l.left)) * (l.n - 1));
  return Math.max(0, Math.min(l.n - 1, i));
}

/** The tick label of a y value: integers with separators, others to one decimal, with the unit. */
export function yLabel(v: number, unit = ''): string {
  // by hand: toLocaleString made a formatter per label (most of the chart's draw in a profile)
  return `${Number.isInteger(v) ? String(v).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : v.toFixed(1)}${unit}`;
}

/** The part of CanvasRenderingContext2D the chart uses (tests record calls on a fake). */
export type Ctx = Pick<
  CanvasRenderingContext2D,
  'beginPath' | 'moveTo' | 'lineTo' | 'closePath' | 'fill' | 'stroke' | 'fillText' | 'setLineDash' | 'fillStyle' | 'strokeStyle' | 'lineWidth' | 'globalAlpha' | 'font' | 'textAlign' | 'textBaseline'
>;

export interface ChartColors {
  grid: string;
  axis: string;
  cursor: string;
  series: readonly string[];
}

/**
 * Draws the chart: grid, stacked areas (filled at 35% with their top stroked), lines, axes' labels,
 * and a cursor line at `cursor` (the hovered or keyboard-selected point).
 */
export function drawChart(ctx: Ctx, points: readonly Record<string, unknown>[], x: string, series: readonly ChartSeries[], l: ChartLayout, colors: ChartColors, unit?: string, cursor = -1): void {
  ctx.lineWidth = 1;
  ctx.strokeStyle = colors.grid;
  ctx.setLineDash([3, 3]);
  ctx.beginPath();
  for (const t of l.yTicks) {
    const y = Math.round(yAt(l, t)) + 0.5;
    ctx.moveTo(l.left, y);
    ctx.lineTo(l.right, y);
  }
  for (const i of l.xTicks) {
    const xi = Math.round(xAt(l, i)) + 0.5;
    ctx.moveTo(xi, l.top);
    ctx.lineTo(xi, l.bottom);
  }
  ctx.stroke();
  ctx.setLineDash([]);

  const base = new Float64Array(points.length);
  const top = new Float64Array(points.length);
  series.forEach((s, k) => {
    const color = colors.series[k];
    for (let i = 0; i < points.length; i++) top[i] = (s.kind === 'area' ? base[i] : 0) + (Number(points[i][s.key]) || 0);
    if (s.kind === 'area') {
      ctx.beginPath();
      trace(ctx, l, top, s.curve, false);
      trace(ctx, l, base, s.curve, true);
      ctx.closePath();
      ctx.fillStyle = color;
      ctx.globalAlpha = 0.35;
      ctx.fill();
      ctx.globalAlpha = 1;
      base.set(top);
    }
    ctx.beginPath();
    trace(ctx, l, top, s.curve, false);
    ctx.strokeStyle = color;
    ctx.stroke();
  });

  // the axes
  ctx.strokeStyle = colors.axis;
  ctx.beginPath();
  ctx.moveTo(l.left + 0.5, l.top);
  ctx.lineTo(l.left + 0.5, l.bottom + 0.5);
  ctx.lineTo(l.right, l.bottom + 0.5);
  ctx.stroke();

  if (cursor >= 0 && cursor < points.length) {
    const xc = Math.round(xAt(l, cursor)) + 0.5;
    ctx.strokeStyle = colors.cursor;
    ctx.beginPath();
    ctx.moveTo(xc, l.top);
    ctx.lineTo(xc, l.bottom);
    ctx.stroke();
  }

  ctx.fillStyle = colors.axis;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'right';
  ctx.textBaseline = 'middle';
  for (const t of l.yTicks) ctx.fillText(yLabel(t, unit), l.left - 4, yAt(l, t));
  ctx.textAlign = 'center';
  ctx.textBaseline = 'top';
  for (const i of l.xTicks) ctx.fillText(String(points[i][x]), xAt(l, i), l.bottom + 4);
}

/** The polyline of `values` over the points (forwards, or backwards to close an area). */
function trace(ctx: Ctx, l: ChartLayout, values: Float64Array, curve: ChartSeries['curve'], backwards: boolean): void {
  const n = values.length;
  if (n === 0) return;
  const step = curve === 'step';
  if (!backwards) {
    ctx.moveTo(xAt(l, 0), yAt(l, values[0]));
    for (let i = 1; i < n; i++) {
      if (step) ctx.lineTo(xAt(l, i), yAt(l, values[i - 1]));
      ctx.lineTo(xAt(l, i), yAt(l, values[i]));
    }
    return;
  }
  ctx.lineTo(xAt(l, n - 1), yAt(l, values[n - 1]));
  for (let i = n - 2; i >= 0; i--) {
    if (step) ctx.lineTo(xAt(l, i + 1), yAt(l, values[i]));
    ctx.lineTo(xAt(l, i), yAt(l, values[i]));
  }
}
