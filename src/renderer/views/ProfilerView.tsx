import { useRef, useState } from 'react';
import type { ProfileSpan } from '../../shared/protocol';
import { send } from '../client/connection';
import { prepareViewerWindow } from '../lib/speedscope';
import { stepDecimals } from './flameGeometry';
import { fmt, useFlamechart, useFlamechartControls, type FlameHover, type FrameInfo } from './flamechart';
import { SpanDetailsPanel } from './SpanDetailsPanel';
import { formatLocal } from '../lib/formatNumber';

const NOWRAP = { whiteSpace: 'nowrap' } as const;
const HIDDEN = { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clipPath: 'inset(50%)', whiteSpace: 'nowrap' } as const;

/**
 * A live flamechart of engine spans on canvas under a time ruler: wheel zooms, drag pans, double-click
 * or Reset zoom resumes live, a click selects a span and shows its details. A new session resets it.
 */
export function ProfilerView() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [selected, setSelected] = useState<ProfileSpan | undefined>();
  const { view, redraw, frame } = useFlamechart(canvas, selected, () => setSelected(undefined));
  const { hover, handlers, resetZoom } = useFlamechartControls(view, redraw, selected, setSelected);
  return (
    <section className="panel wide" aria-label="Profiler">
      <ProfilerToolbar frame={frame} onResetZoom={resetZoom} />
      <div style={{ position: 'relative' }}>
        <canvas ref={canvas} tabIndex={0} role="img" aria-label="Flamechart of engine spans" aria-describedby="flamechart-summary" {...handlers} style={{ display: 'block', cursor: 'grab' }} />
        <p id="flamechart-summary" style={HIDDEN}>
          {describeFrame(frame)}
        </p>
        {hover && <FlameTooltip hover={hover} />}
      </div>
      <SpanDetailsPanel selected={selected} frame={frame} onClear={() => setSelected(undefined)} />
    </section>
  );
}

/** The canvas in words: what the view shows and the ruler's first and last labels. */
export function describeFrame(f: FrameInfo): string {
  const state = f.live ? 'live' : 'paused';
  const ruler = f.from ? ` Time ruler from ${f.from} to ${f.to}, a tick every ${f.step.toFixed(stepDecimals(f.step))} ms.` : '';
  return `${formatLocal(f.shown)} of ${formatLocal(f.count)} spans in view (${fmt(f.t1 - f.t0)}, ${state}).${ruler}`;
}

function ProfilerToolbar({ frame, onResetZoom }: { frame: FrameInfo; onResetZoom: () => void }) {
  return (
    <h2>
      Profiler <span className="hint">{formatLocal(frame.count)} spans · wheel or +/- zooms, drag or ←/→ pans, 0 for live · click a span for details</span>
      <span style={{ flex: 1 }} />
      {!frame.live && (
        <button type="button" onClick={onResetZoom} title="Fit the newest spans and follow new ones (0)" style={NOWRAP}>
          Reset zoom
        </button>
      )}
      <button type="button" onClick={() => prepareViewerWindow() && send({ type: 'exportProfile', format: 'speedscope', view: true })} title="Show the engine's profile in the speedscope viewer (served by the app, no network)" style={NOWRAP}>
        Open in speedscope
      </button>
      <button type="button" onClick={() => send({ type: 'exportProfile', format: 'speedscope' })} style={NOWRAP}>
        Export speedscope
      </button>
      <button type="button" onClick={() => send({ type: 'exportProfile', format: 'chrome' })} style={NOWRAP}>
        Export Chrome trace
      </button>
    </h2>
  );
}

function FlameTooltip({ hover }: { hover: FlameHover }) {
  return (
    <div role="tooltip" style={{ position: 'absolute', left: Math.min(hover.x + 10, 700), top: hover.y + 12, background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 6, padding: 6, fontSize: 12, pointerEvents: 'none' }}>
      {hover.span.name} · {fmt(hover.span.end - hover.span.start)} · turn {hover.span.turn}
    </div>
  );
}
