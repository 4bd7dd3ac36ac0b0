import { useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { useStore } from 'zustand';
import type { Role } from '../../shared/protocol';
import { useCanvasFrame, sizeCanvas } from '../lib/canvasFrame';
import { cssColor } from '../lib/roles';
import { EVICTION_LOG_CAP } from '../state/evictionRing';
import { evictionStore, sessionStore, uiStore, windowStore } from '../state/stores';
import { anchorPosition, runAt, seqsOf, tokenRuns, type Run } from './contextMapLayout';

const ROW_H = 12;
const GAP = 3;
const MAX_ROWS = 18;
/** Summarized tokens: the summary colour, faded (out of the context, but a summary stands in). */
const SUMMARIZED_ALPHA = 0.45;
const SUMMARY_TRACK = 120;

interface Geometry {
  perRow: number;
  px: number;
  runs: Run[];
  total: number;
}

interface Hover {
  x: number;
  y: number;
  text: string;
}

/** The whole conversation as a token strip on canvas, coloured by state; hover explains, click jumps. */
export function ContextMapView() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const geo = useRef<Geometry>({ perRow: 1, px: 1, runs: [], total: 0 });
  const [hover, setHover] = useState<Hover | undefined>();
  const [height, setHeight] = useState(60);

  useCanvasFrame(
    canvas,
    (c) => {
      const list = sessionStore.getState().messages;
      const messages = list.items;
      const { byMessage, summarized } = evictionStore.getState();
      const runs = tokenRuns(messages, byMessage, seqsOf(summarized));
      const total = runs.length > 0 ? runs[runs.length - 1].end : 0;
      const width = c.parentElement?.clientWidth ?? 600;
      const px = total > 0 ? Math.min(6, (width * MAX_ROWS) / total) : 1;
      const perRow = Math.max(1, Math.floor(width / px));
      const rows = Math.max(1, Math.ceil(total / perRow));
      const h = rows * (ROW_H + GAP);
      setHeight(h);
      geo.current = { perRow, px, runs, total };
      const ctx = sizeCanvas(c, width, h);
      if (!ctx) return;
      ctx.clearRect(0, 0, width, h);
      const colors: Record<Role | 'evicted' | 'summary' | 'anchor', string> = {
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
      // message boundaries as thin gaps (summary messages occupy no positions of their own)
      ctx.fillStyle = cssColor('--panel');
      for (const m of messages) {
        if (m.summary) continue;
        const { x, y } = place(m.startPos, perRow, px);
        ctx.fillRect(x, y, 1, ROW_H);
      }
      // recalled spans: evicted once, back in the context now
      ctx.fillStyle = cssColor('--recalled');
      for (const sg of windowStore.getState().context?.segments ?? []) {
        if (!sg.recalled || sg.summary) continue;
        const base = list.byId(sg.messageId)?.startPos ?? 0;
        fillSpan(ctx, base + sg.from, base + sg.to, perRow, px, false);
      }
      const anchor = anchorPosition(windowStore.getState().context, messages);
      if (anchor !== undefined) {
        const { x, y } = place(anchor, perRow, px);
        ctx.fillStyle = colors.anchor;
        ctx.fillRect(x - 1, y - 2, 3, ROW_H + 4);
      }
    },
    [sessionStore.subscribe, evictionStore.subscribe, windowStore.subscribe, uiStore.subscribe],
    // the layout walks every message's evictions: during a fast replay, 10 redraws a second
    100,
  );

  const posAt = (e: MouseEvent<HTMLCanvasElement>): number => {
    const rect = e.currentTarget.getBoundingClientRect();
    const { perRow, px } = geo.current;
    const row = Math.floor((e.clientY - rect.top) / (ROW_H + GAP));
    return row * perRow + Math.floor((e.clientX - rect.left) / px);
  };

  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const run = runAt(geo.current.runs, posAt(e));
    if (!run) return setHover(undefined);
    const m = sessionStore.getState().messages.byId(run.messageId);
    if (!m) return setHover(undefined);
    const found = run.seq !== undefined ? evictionStore.getState().log.findSeq(run.seq) : undefined;
    const ev = found?.type === 'eviction' ? found : undefined;
    // evicted before the rows the log keeps: that it was is known, its reason no longer is
    const dropped = run.seq !== undefined && !found ? `${run.state}: its reason is no longer kept (the log keeps its newest ${EVICTION_LOG_CAP.toLocaleString('en-US')} rows)` : undefined;
    const pos = posAt(e);
    const recalled = windowStore.getState().context?.segments.some((sg) => sg.recalled && sg.messageId === m.id && pos >= m.startPos + sg.from && pos < m.startPos + sg.to);
    const state = recalled
      ? `recalled: evicted earlier, brought back for the latest message (was ${ev?.reason.kind ?? 'evicted'})`
      : dropped
        ? dropped
        : run.state === 'summarized'
          ? `summarized (turn ${ev?.turn ?? '?'}, ${ev?.reason.policy ?? ''}): ${ev?.reason.detail ?? 'folded into the rolling summary'}`
          : run.state === 'evicted'
            ? `evicted (turn ${ev?.turn ?? '?'}, ${ev?.reason.policy ?? ''} / ${ev?.reason.kind ?? ''}): ${ev?.reason.detail ?? ''}`
            : run.state === 'pinned'
              ? 'pinned: never evicted'
              : 'in the window';
    const rect = e.currentTarget.getBoundingClientRect();
    setHover({
      x: e.clientX - rect.left,
      y: e.clientY - rect.top,
      text: `#${m.id} ${m.role} · tokens ${run.start - m.startPos}–${run.end - m.startPos} of ${m.tokens}\n${state}\n“${(ev?.preview ?? m.content).slice(0, 200)}”`,
    });
  };

  const select = (id: number | undefined) => {
    if (id === undefined) return;
    uiStore.setState((s) => ({ selectedMessageId: id, jump: s.jump + 1 }));
  };

  const onKey = (e: KeyboardEvent<HTMLCanvasElement>) => {
    const list = sessionStore.getState().messages;
    const msgs = list.items;
    if (msgs.length === 0) return;
    const cur = list.indexOfId(uiStore.getState().selectedMessageId);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      e.preventDefault();
      const next = Math.max(0, Math.min(msgs.length - 1, (cur < 0 ? msgs.length : cur) + (e.key === 'ArrowRight' ? 1 : -1)));
      select(msgs[next].id);
    }
  };

  return (
    <section className="panel wide" aria-label="Context map">
      <h2>
        Context map <span className="hint">every token of the conversation; hover to see why, click to jump (←/→ on the map)</span>
      </h2>
      <div className="legend" style={{ marginBottom: 6 }}>
        <span><span className="swatch" style={{ background: 'var(--system)' }} />system</span>
        <span><span className="swatch" style={{ background: 'var(--user)' }} />user</span>
        <span><span className="swatch" style={{ background: 'var(--assistant)' }} />assistant</span>
        <span><span className="swatch" style={{ background: 'var(--tool)' }} />tool</span>
        <span><span className="swatch" style={{ background: 'var(--evicted)' }} />evicted</span>
        <span><span className="swatch" style={{ background: 'var(--recalled)' }} />recalled</span>
        <span><span className="swatch" style={{ background: 'var(--summary)' }} />summary (in the context)</span>
        <span><span className="swatch" style={{ background: 'var(--summary)', opacity: SUMMARIZED_ALPHA }} />summarized (the summary stands in)</span>
        <span>pinned: outlined</span>
        <span><span className="swatch" style={{ background: 'var(--anchor)' }} />context starts here (sentence anchor)</span>
      </div>
      <SummaryRow onSelect={select} />
      <div style={{ position: 'relative', minHeight: height }}>
        <canvas
          ref={canvas}
          tabIndex={0}
          role="img"
          aria-label="Token strip: window, evicted, summarized and pinned tokens"
          onMouseMove={onMove}
          onMouseLeave={() => setHover(undefined)}
          onClick={(e) => select(runAt(geo.current.runs, posAt(e))?.messageId)}
          onKeyDown={onKey}
          style={{ cursor: 'pointer', display: 'block' }}
        />
        {hover && (
          <div role="tooltip" style={{ position: 'absolute', left: Math.min(hover.x + 12, 520), top: hover.y + 14, background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 6, padding: 6, whiteSpace: 'pre-wrap', maxWidth: 420, zIndex: 5, pointerEvents: 'none', fontSize: 12 }}>
            {hover.text}
          </div>
        )}
      </div>
    </section>
  );
}

/**
 * The rolling summary in the context, as its own row: it is a message of its own that stands in for
 * earlier positions, so it is not drawn over them in the strip. The bar shows how many tokens stand in
 * for how many positions.
 */
function SummaryRow({ onSelect }: { onSelect: (id: number) => void }) {
  const seg = useStore(windowStore, (s) => s.context?.segments.find((sg) => sg.summary));
  const event = useStore(evictionStore, (s) => (seg ? s.summaries[seg.messageId] : undefined));
  if (!seg) return null;
  const tokens = seg.to - seg.from;
  const span = event ? event.endPos - event.startPos : 0;
  const share = span > 0 ? Math.min(1, tokens / span) : 1;
  const where = event ? `standing in for positions ${event.startPos}–${event.endPos} (${event.sourceTokens} source tokens, ${event.method}, gate ${event.gate.found}/${event.gate.checked} ${event.gate.passed ? 'passed' : 'failed'})` : 'standing in for earlier positions';
  return (
    <div className="row" aria-label="Summary in context" style={{ marginBottom: 6, gap: 6 }}>
      <button type="button" onClick={() => onSelect(seg.messageId)} aria-label={`Summary message ${seg.messageId}: ${tokens} tokens in the context ${where}. Show it in the chat`} style={{ display: 'flex', alignItems: 'center', gap: 6, padding: '1px 6px' }}>
        <span style={{ position: 'relative', display: 'inline-block', width: SUMMARY_TRACK, height: ROW_H, background: 'var(--summary)', borderRadius: 2 }}>
          <span style={{ position: 'absolute', inset: 0, background: 'var(--panel)', opacity: 1 - SUMMARIZED_ALPHA }} />
          <span style={{ position: 'absolute', left: 0, top: 0, bottom: 0, width: Math.max(2, share * SUMMARY_TRACK), background: 'var(--summary)', borderRadius: 2 }} />
        </span>
        summary #{seg.messageId}
      </button>
      <span className="muted">
        {tokens} tok in the context, {where}
      </span>
    </div>
  );
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
