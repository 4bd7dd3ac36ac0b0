import { useRef } from 'react';
import { send } from '../client/connection';
import { fmt, useFlamechart, useFlamechartControls, type FlameHover } from './flamechart';

/** A live flamechart of engine spans on canvas: wheel zooms, drag pans, double-click resumes live. */
export function ProfilerView() {
  const canvas = useRef<HTMLCanvasElement>(null);
  const { view, redraw, count } = useFlamechart(canvas);
  const { hover, handlers } = useFlamechartControls(canvas, view, redraw);
  return (
    <section className="panel wide" aria-label="Profiler">
      <ProfilerToolbar count={count} />
      <div style={{ position: 'relative' }}>
        <canvas ref={canvas} tabIndex={0} role="img" aria-label="Flamechart of engine spans" {...handlers} style={{ display: 'block', cursor: 'grab' }} />
        {hover && <FlameTooltip hover={hover} />}
      </div>
    </section>
  );
}

function ProfilerToolbar({ count }: { count: number }) {
  return (
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
  );
}

function FlameTooltip({ hover }: { hover: FlameHover }) {
  return (
    <div role="tooltip" style={{ position: 'absolute', left: Math.min(hover.x + 10, 700), top: hover.y + 12, background: 'var(--panel)', border: '1px solid var(--border)', borderRadius: 6, padding: 6, fontSize: 12, pointerEvents: 'none' }}>
      {hover.span.name} · {fmt(hover.span.end - hover.span.start)} · turn {hover.span.turn}
    </div>
  );
}
