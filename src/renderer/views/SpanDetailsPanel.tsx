import { useMemo } from 'react';
import type { ProfileSpan } from '../../shared/protocol';
import { profilerModel } from '../state/profilerModel';
import { formatLocal } from '../lib/formatNumber';
import type { FrameInfo } from './flamechart';
import { ms, pct, spanDetails, type SpanDetails } from './spanDetails';

/**
 * The selected span's details, in a live region that is always there (so screen readers announce a
 * new selection): its name, turn, start, duration, depth, share of its parent and of its turn, and how
 * many spans of the same name the view shows. Recomputed when the selection or the frame changes.
 */
export function SpanDetailsPanel({ selected, frame, onClear }: { selected: ProfileSpan | undefined; frame: FrameInfo; onClear: () => void }) {
  const details = useMemo(() => selected && spanDetails(profilerModel.spans, selected, frame, frame.origin), [selected, frame]);
  return (
    <section aria-label="Span details" aria-live="polite" style={{ marginTop: 8, fontSize: 12 }}>
      {details ? <DetailsList details={details} onClear={onClear} /> : <p className="muted" style={{ margin: 0 }}>Click a span, or focus the chart and press Enter, for its details.</p>}
    </section>
  );
}

function DetailsList({ details, onClear }: { details: SpanDetails; onClear: () => void }) {
  const { span, parent, turn, sameName } = details;
  return (
    <div className="row" style={{ alignItems: 'flex-start' }}>
      <dl className="grid2" style={{ margin: 0, flex: 1 }}>
        <dt className="muted">Span</dt>
        <dd style={{ margin: 0, fontWeight: 600 }}>{span.name}</dd>
        <dt className="muted">Turn · depth</dt>
        <dd style={{ margin: 0 }}>
          turn {span.turn} · depth {span.depth}
        </dd>
        <dt className="muted">Start · duration</dt>
        <dd style={{ margin: 0 }}>
          {ms(details.start)} from the profile&apos;s start · {ms(details.duration)}
        </dd>
        <dt className="muted">Share</dt>
        <dd style={{ margin: 0 }}>
          {parent ? `${pct(parent.share)} of its parent ${parent.span.name} (${ms(parent.span.end - parent.span.start)})` : span.depth === 0 ? 'a top-level span' : 'its parent is no longer kept'} · {pct(turn.share)} of turn {span.turn} ({ms(turn.time)} in top-level spans)
        </dd>
        <dt className="muted">Same name in view</dt>
        <dd style={{ margin: 0 }}>
          {formatLocal(sameName.count)} × {span.name}, {ms(sameName.total)} in all
        </dd>
      </dl>
      <button type="button" onClick={onClear} aria-label="Clear the span selection">
        Clear (Esc)
      </button>
    </div>
  );
}
