import { useRef, useState, type MouseEvent, type RefObject } from 'react';
import type { Role } from '../../shared/protocol';
import { useCanvasFrame, sizeCanvas } from '../lib/canvasFrame';
import { cssColor } from '../lib/roles';
import type { MessageList } from '../../shared/view/appendList.js';
import { evictionStore, sessionStore, uiStore, windowStore } from '../state/stores';
import { summaryInContext, tokenCounts, type Run, type TokenCounts } from '../../shared/view/tokenStates.js';
import { runsOf } from './contextMapRuns';
import { anchorPosition } from './contextMapLayout';

export const ROW_H = 12;
const GAP = 3;
const MAX_ROWS = 18;
/** Summarized tokens: the summary colour, faded (out of the context, but a summary stands in). */
export const SUMMARIZED_ALPHA = 0.45;

export interface Geometry {
  perRow: number;
  px: number;
  runs: Run[];
  total: number;
}

type Colors = Record<Role | 'evicted' | 'summary' | 'anchor', string>;

/**
 * Draws the token strip on the canvas from the stores (not through React state), on the views' clock
 * (at most 10 times a second); returns the layout of the last drawing (for hover and click), the strip's height, and the
 * drawn tokens counted by state.
 */
export function useContextMapCanvas(canvas: RefObject<HTMLCanvasElement | null>): { geo: RefObject<Geometry>; height: number; counts: TokenCounts | undefined } {
  const geo = useRef<Geometry>({ perRow: 1, px: 1, runs: [], total: 0 });
  const [height, setHeight] = useState(60);
  const [counts, setCounts] = useState<TokenCounts>();
  useCanvasFrame(
    canvas,
    (c, width) => {
      const list = sessionStore.getState().messages;
      const { byMessage, summarized, summaries } = evictionStore.getState();
      const runs = runsOf(list.items, byMessage, summarized);
      const next = tokenCounts(runs, (id) => list.byId(id)?.startPos, windowStore.getState().context, summaryInContext(summaries, byMessage));
      setCounts((prev) => (prev && sameCounts(prev, next) ? prev : next));
      const total = runs.length > 0 ? runs[runs.length - 1].end : 0;
      const px = total > 0 ? Math.min(6, (width * MAX_ROWS) / total) : 1;
      const perRow = Math.max(1, Math.floor(width / px));
      const rows = Math.max(1, Math.ceil(total / perRow));
      const h = rows * (ROW_H + GAP);
      setHeight(h);
      geo.current = { perRow, px, runs, total };
      const ctx = sizeCanvas(c, width, h);
      if (!ctx) return;
      ctx.clearRect(0, 0, width, h);
      drawMap(ctx, list, geo.current);
    },
    [sessionStore.subscribe, evictionStore.subscribe, windowStore.subscribe, uiStore.subscribe],
  );
  return { geo, height, counts };
}

const sameCounts = (a: TokenCounts, b: TokenCounts) => (Object.keys(a) as (keyof TokenCounts)[]).every((k) => a[k] === b[k]);

/** The token position under the pointer. */
export function posAt(e: MouseEvent<HTMLCanvasElement>, { perRow, px }: Geometry): number {
  const rect = e.currentTarget.getBoundingClientRect();
  const row = Math.floor((e.clientY - rect.top) / (ROW_H + GAP));
  return row * perRow + Math.floor((e.clientX - rect.left) / px);
}

function drawMap(ctx: CanvasRenderingContext2D, list: MessageList, { perRow, px, runs }: Geometry): void {
  const colors: Colors = {
    system: cssColor('--system'),
    user: cssColor('--user'),
    assistant: cssColor('--assistant'),
    tool: cssColor('--tool'),
    evicted: cssColor('--evicted'),
    summary: cssColor('--summary'),
    anchor: cssColor('--anchor'),
  };
  for (const r of runs) {
    ctx.fillStyle = r.state === 'evicted' ? colors.evicted : r.state === 'summarized' ? colors.summary : colors[list.byId(r.messageId)?.role ?? 'user'];
    // folded into the summary: out of the context like evicted tokens, but something stands in for them
    ctx.globalAlpha = r.state === 'summarized' ? SUMMARIZED_ALPHA : 1;
    fillSpan(ctx, r.start, r.end, perRow, px, r.state === 'pinned');
  }
  ctx.globalAlpha = 1;
  drawBoundaries(ctx, list, perRow, px);
  drawRecalled(ctx, list, perRow, px);
  const anchor = anchorPosition(windowStore.getState().context, list.items);
  if (anchor !== undefined) {
    const { x, y } = place(anchor, perRow, px);
    ctx.fillStyle = colors.anchor;
    ctx.fillRect(x - 1, y - 2, 3, ROW_H + 4);
  }
}

/** Message boundaries as thin gaps (summary messages occupy no positions of their own). */
function drawBoundaries(ctx: CanvasRenderingContext2D, list: MessageList, perRow: number, px: number): void {
  ctx.fillStyle = cssColor('--panel');
  for (const m of list.items) {
    if (m.summary) continue;
    const { x, y } = place(m.startPos, perRow, px);
    ctx.fillRect(x, y, 1, ROW_H);
  }
}

/** Recalled spans: evicted once, back in the context now. */
function drawRecalled(ctx: CanvasRenderingContext2D, list: MessageList, perRow: number, px: number): void {
  ctx.fillStyle = cssColor('--recalled');
  for (const sg of windowStore.getState().context?.segments ?? []) {
    if (!sg.recalled || sg.summary) continue;
    const base = list.byId(sg.messageId)?.startPos ?? 0;
    fillSpan(ctx, base + sg.from, base + sg.to, perRow, px, false);
  }
}

function place(pos: number, perRow: number, px: number): { x: number; y: number } {
  return { x: (pos % perRow) * px, y: Math.floor(pos / perRow) * (ROW_H + GAP) };
}

/** Fills tokens [start, end) across wrapped rows. */
function fillSpan(ctx: CanvasRenderingContext2D, start: number, end: number, perRow: number, px: number, outlined: boolean): void {
  let p = start;
  while (p < end) {
    const rowEnd = (Math.floor(p / perRow) + 1) * perRow;
    const q = Math.min(end, rowEnd);
    const { x, y } = place(p, perRow, px);
    const w = Math.max(1, (q - p) * px);
    ctx.fillRect(x, y, w, ROW_H);
    if (outlined) {
      ctx.save();
      ctx.strokeStyle = cssColor('--text');
      ctx.strokeRect(x + 0.5, y + 0.5, w - 1, ROW_H - 1);
      ctx.restore();
    }
    p = q;
  }
}
