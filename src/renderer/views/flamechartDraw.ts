import type { ProfileSpan } from '../../shared/protocol';
import type { Ring } from '../../shared/view/ring';
import { sizeCanvas } from '../lib/canvasFrame';
import { cssColor } from '../lib/roles';
import { forEachSpanIn } from './spanIndex';
import { DEPTHS, FOOTER, HEIGHT, ROW, RULER, rowTop, rulerTicks, xOf, type TimeRange } from './flameGeometry';

const PALETTE = ['--accent', '--assistant', '--tool', '--system', '--recalled', '--summary'];

/** The visible range and how it moves: live follows the newest spans until the user zooms or pans. */
export interface View extends TimeRange {
  live: boolean;
}

/** What a frame showed, for the toolbar, the accessible description and the details panel. */
export interface FrameInfo extends TimeRange {
  live: boolean;
  /** Spans kept, and spans drawn in the range. */
  count: number;
  shown: number;
  /** Time zero of the ruler: the first span kept when the profile started. */
  origin: number;
  /** The ruler's step in ms, its first and last labels. */
  step: number;
  from?: string;
  to?: string;
}

/** In live mode, the range of the newest ~400 spans (the last turns' worth, by time). */
export function followLive(v: View, spans: Ring<ProfileSpan>): void {
  if (!v.live || spans.size === 0) return;
  const end = spans.newest(0)!.end;
  const from = spans.newest(Math.min(399, spans.size - 1))!.start;
  v.t0 = from;
  v.t1 = Math.max(end, from + 0.001);
}

/** Draws the ruler, the spans in the view (the selected one outlined) and a status line, `width` CSS pixels wide. */
export function drawFlamechart(c: HTMLCanvasElement, width: number, v: View, spans: Ring<ProfileSpan>, origin: number, selected?: ProfileSpan): FrameInfo | undefined {
  const ctx = sizeCanvas(c, width, HEIGHT);
  if (!ctx) return undefined;
  ctx.clearRect(0, 0, width, HEIGHT);
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  const ruler = drawRuler(ctx, v, width, origin);
  const colors = PALETTE.map(cssColor);
  const scale = width / (v.t1 - v.t0);
  let shown = 0;
  // only the blocks of spans that overlap the view are read (the ring keeps up to 60,000)
  forEachSpanIn(spans, v.t0, v.t1, (s) => {
    if (s.depth >= DEPTHS) return;
    shown++;
    drawSpan(ctx, s, (s.start - v.t0) * scale, Math.max(1, (s.end - s.start) * scale), colors[hash(s.name) % colors.length]);
  });
  if (selected && selected.depth < DEPTHS) outline(ctx, selected, (selected.start - v.t0) * scale, Math.max(1, (selected.end - selected.start) * scale));
  drawStatus(ctx, v, spans.size, shown);
  return { t0: v.t0, t1: v.t1, live: v.live, count: spans.size, shown, origin, ...ruler };
}

/** Tick marks, labels and faint grid lines at nice steps of ms since the origin. */
function drawRuler(ctx: CanvasRenderingContext2D, v: View, width: number, origin: number): Pick<FrameInfo, 'step' | 'from' | 'to'> {
  const { step, ticks } = rulerTicks(v, width, origin);
  const muted = cssColor('--muted');
  ctx.fillStyle = muted;
  ctx.fillRect(0, RULER - 1, width, 1);
  for (const tick of ticks) {
    const x = Math.round(xOf(tick.t, v, width)) + 0.5;
    ctx.fillStyle = muted;
    ctx.fillRect(x - 0.5, RULER - 6, 1, 6);
    ctx.fillText(tick.label, x + 3, RULER / 2 - 1);
    ctx.globalAlpha = 0.15;
    ctx.fillRect(x - 0.5, RULER, 1, ROW * DEPTHS);
    ctx.globalAlpha = 1;
  }
  return { step, from: ticks[0]?.label, to: ticks.at(-1)?.label };
}

function drawSpan(ctx: CanvasRenderingContext2D, s: ProfileSpan, x: number, w: number, color: string): void {
  const y = rowTop(s.depth);
  ctx.fillStyle = color;
  ctx.globalAlpha = 0.85;
  ctx.fillRect(x, y, w - 0.5, ROW - 2);
  ctx.globalAlpha = 1;
  if (w > 40) {
    ctx.fillStyle = '#fff';
    ctx.fillText(`${s.name} ${fmt(s.end - s.start)}`, x + 3, y + ROW / 2 - 1, w - 6);
  }
}

function outline(ctx: CanvasRenderingContext2D, s: ProfileSpan, x: number, w: number): void {
  ctx.strokeStyle = cssColor('--text');
  ctx.lineWidth = 2;
  ctx.strokeRect(x, rowTop(s.depth), Math.max(2, w - 0.5), ROW - 2);
}

function drawStatus(ctx: CanvasRenderingContext2D, v: View, count: number, shown: number): void {
  const y = HEIGHT - FOOTER / 2;
  ctx.fillStyle = cssColor('--muted');
  if (count > 0 && shown === 0) {
    ctx.fillText('No spans in this range: press 0 or Reset zoom to fit the newest spans', 4, RULER + (ROW * DEPTHS) / 2);
  }
  ctx.fillText(`${fmt(v.t1 - v.t0)} shown${v.live ? ' · live' : ' · paused (0, double-click or Reset zoom for live)'}`, 4, y);
}

export function fmt(ms: number): string {
  return ms >= 1 ? `${ms.toFixed(2)} ms` : `${(ms * 1000).toFixed(1)} µs`;
}

function hash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (h * 31 + s.charCodeAt(i)) | 0;
  return Math.abs(h);
}
