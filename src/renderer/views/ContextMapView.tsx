import { useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import { runAt, type TokenCounts } from '../../shared/view/tokenStates.js';
import { sessionStore, uiStore } from '../state/stores';
import { ContextMapSummaryRow } from './ContextMapSummaryRow';
import { posAt, SUMMARIZED_ALPHA, useContextMapCanvas } from './contextMapCanvas';
import { hoverText } from './contextMapHover';
import { formatCount } from '../lib/formatNumber';

interface Hover {
  x: number;
  y: number;
  text: string;
}

/** The whole conversation as a token strip on canvas, coloured by state; hover explains, click jumps. */
export function ContextMapView() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { geo, height, counts } = useContextMapCanvas(canvas);
  const [hover, setHover] = useState<Hover | undefined>();

  const onMove = (e: MouseEvent<HTMLCanvasElement>) => {
    const pos = posAt(e, geo.current);
    const run = runAt(geo.current.runs, pos);
    const text = run && hoverText(run, pos);
    if (!text) return setHover(undefined);
    const rect = e.currentTarget.getBoundingClientRect();
    setHover({ x: e.clientX - rect.left, y: e.clientY - rect.top, text });
  };

  return (
    <section className="panel wide" aria-label="Context map">
      <h2>
        Context map <span className="hint">every token of the conversation; hover to see why, click to jump (←/→ on the map)</span>
      </h2>
      <ContextMapLegend />
      <ContextMapCounts counts={counts} />
      <ContextMapSummaryRow onSelect={selectMessage} />
      <div style={{ position: 'relative', minHeight: height }}>
        <canvas
          ref={canvas}
          tabIndex={0}
          role="img"
          aria-label="Token strip: window, evicted, summarized and pinned tokens"
          onMouseMove={onMove}
          onMouseLeave={() => setHover(undefined)}
          onClick={(e) => selectMessage(runAt(geo.current.runs, posAt(e, geo.current))?.messageId)}
          onKeyDown={stepSelection}
          style={{ cursor: 'pointer', display: 'block' }}
        />
        {hover && <MapTooltip hover={hover} />}
      </div>
    </section>
  );
}

/** Selects a message and asks the chat to jump to it. */
function selectMessage(id: number | undefined): void {
  if (id === undefined) return;
  uiStore.setState((s) => ({ selectedMessageId: id, jump: s.jump + 1 }));
}

/** ←/→ on the map select the previous or next message. */
function stepSelection(e: KeyboardEvent<HTMLCanvasElement>): void {
  const list = sessionStore.getState().messages;
  const msgs = list.items;
  if (msgs.length === 0) return;
  const cur = list.indexOfId(uiStore.getState().selectedMessageId);
  if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
    e.preventDefault();
    const next = Math.max(0, Math.min(msgs.length - 1, (cur < 0 ? msgs.length : cur) + (e.key === 'ArrowRight' ? 1 : -1)));
    selectMessage(msgs[next].id);
  }
}

function ContextMapLegend() {
  return (
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
  );
}

/** Tokens by state, counted from what the map draws: they add up to the engine's retained and evicted tokens. */
function ContextMapCounts({ counts: c }: { counts: TokenCounts | undefined }) {
  if (!c) return null;
  const n = formatCount;
  return (
    <div className="row muted" aria-label="Tokens by state" style={{ marginBottom: 6, gap: 10, fontSize: 12 }}>
      <span>
        in context <strong aria-label="In context">{n(c.window + c.pinned + c.recalled + c.summary)}</strong>: window {n(c.window)} · pinned {n(c.pinned)} · recalled {n(c.recalled)} · summary {n(c.summary)}
      </span>
      <span>
        out <strong aria-label="Out of context">{n(c.evicted + c.summarized)}</strong>: evicted {n(c.evicted)} · summarized {n(c.summarized)}
      </span>
    </div>
  );
}

function MapTooltip({ hover }: { hover: Hover }) {
  return (
    <div role="tooltip" style={{ position: 'absolute', left: Math.min(hover.x + 12, 520), top: hover.y + 14, background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 6, padding: 6, whiteSpace: 'pre-wrap', maxWidth: 420, zIndex: 5, pointerEvents: 'none', fontSize: 12 }}>
      {hover.text}
    </div>
  );
}
