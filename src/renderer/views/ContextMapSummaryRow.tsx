import { useViewStore } from '../lib/viewClock';
import { evictionStore, windowStore } from '../state/stores';
import { ROW_H, SUMMARIZED_ALPHA } from './contextMapCanvas';

const SUMMARY_TRACK = 120;

/**
 * The rolling summary in the context, as its own row: it is a message of its own that stands in for
 * earlier positions, so it is not drawn over them in the strip. The bar shows how many tokens stand in
 * for how many positions.
 */
export function ContextMapSummaryRow({ onSelect }: { onSelect: (id: number) => void }) {
  const seg = useViewStore(windowStore, (s) => s.context?.segments.find((sg) => sg.summary));
  const event = useViewStore(evictionStore, (s) => (seg ? s.summaries[seg.messageId] : undefined));
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
