import type { ProfileSpan } from '../../shared/protocol';
import { niceStep } from '../lib/niceStep';

/** Height of one depth row, in CSS pixels. */
export const ROW = 18;
/** Depth rows drawn (deeper spans are not drawn). */
export const DEPTHS = 6;
/** Height of the time ruler above the rows. */
export const RULER = 20;
/** Height of the status line below the rows. */
export const FOOTER = 22;
export const HEIGHT = RULER + ROW * DEPTHS + FOOTER;
/** The narrowest range a zoom reaches, in ms (1 µs): span times have microsecond resolution. */
export const MIN_RANGE = 0.001;

/** A visible time range in ms on the engine clock. */
export interface TimeRange {
  t0: number;
  t1: number;
}

export interface Tick {
  /** Time on the engine clock, in ms. */
  t: number;
  /** Milliseconds since the origin, with as many decimals as the step needs. */
  label: string;
}

export { niceStep };

/** Decimals a label needs to tell ticks `step` apart (0 for steps of 1 ms and more). */
export function stepDecimals(step: number): number {
  return Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
}

/**
 * Ruler ticks over a range drawn `width` pixels wide: a nice step leaving at least `minPx` pixels
 * between labels, ticks at whole multiples of it counted from `origin` (labels read as ms since it).
 */
export function rulerTicks(range: TimeRange, width: number, origin: number, minPx = 80): { step: number; ticks: Tick[] } {
  const span = range.t1 - range.t0;
  if (!(span > 0) || !(width > 0)) return { step: 0, ticks: [] };
  const step = niceStep((span * minPx) / width);
  const decimals = stepDecimals(step);
  const ticks: Tick[] = [];
  const first = Math.ceil((range.t0 - origin) / step - 1e-9);
  const last = Math.floor((range.t1 - origin) / step + 1e-9);
  for (let k = first; k <= last; k++) {
    const rel = k * step;
    ticks.push({ t: origin + rel, label: `${(rel === 0 ? 0 : rel).toFixed(decimals)} ms` });
  }
  return { step, ticks };
}

/** The x of time t in a range drawn `width` pixels wide. */
export function xOf(t: number, range: TimeRange, width: number): number {
  return ((t - range.t0) / (range.t1 - range.t0)) * width;
}

/** The time at x in a range drawn `width` pixels wide. */
export function timeAt(x: number, range: TimeRange, width: number): number {
  return range.t0 + (x / width) * (range.t1 - range.t0);
}

/** The depth row at y (below the ruler), or undefined on the ruler, the footer or outside. */
export function depthAt(y: number): number | undefined {
  const depth = Math.floor((y - RULER) / ROW);
  return y >= RULER && depth < DEPTHS ? depth : undefined;
}

/** The top of a depth's row. */
export function rowTop(depth: number): number {
  return RULER + depth * ROW;
}

/**
 * The span drawn at time t in a depth row: the newest one containing t (newer spans draw on top),
 * else the nearest within `slack` ms (a span narrower than a pixel is drawn a pixel wide).
 */
export function spanAt(spans: Iterable<ProfileSpan>, t: number, depth: number, slack = 0): ProfileSpan | undefined {
  let hit: ProfileSpan | undefined;
  let near: ProfileSpan | undefined;
  let nearest = slack;
  for (const s of spans) {
    if (s.depth !== depth) continue;
    if (s.start <= t && t <= s.end) hit = s;
    else if (!hit) {
      const d = Math.max(s.start - t, t - s.end);
      if (d <= nearest) [near, nearest] = [s, d];
    }
  }
  return hit ?? near;
}

/** Zooms a range by `factor` around time `at`, never narrower than MIN_RANGE. */
export function zoomRange(range: TimeRange, factor: number, at: number): TimeRange {
  const f = Math.max(factor, MIN_RANGE / (range.t1 - range.t0));
  return { t0: at - (at - range.t0) * f, t1: at + (range.t1 - at) * f };
}
