import { memo } from 'react';
import { useViewStore } from '../lib/viewClock';
import type { ContextBuiltEvent, MessageData } from '../../shared/protocol';
import { messageBadges } from '../lib/messageBadges';
import { coveredOf, ROLE_COLORS } from '../lib/roles';
import { usageBadge } from '../lib/turnUsage';
import { evictionStore, sessionStore, windowStore } from '../state/stores';

/**
 * Every message's selectors run on every batch: what they read is computed once per change, not per
 * message (the built context's recalled and summary messages once per context; a message's covered
 * tokens once per eviction of it: its triples are only ever pushed to).
 */
const segmentSets = new WeakMap<ContextBuiltEvent, { recalled: Set<number>; summaries: Set<number> }>();
function contextSets(context: ContextBuiltEvent | undefined): { recalled: Set<number>; summaries: Set<number> } | undefined {
  if (!context) return undefined;
  let sets = segmentSets.get(context);
  if (!sets) {
    sets = { recalled: new Set(), summaries: new Set() };
    for (const sg of context.segments) {
      if (sg.recalled) sets.recalled.add(sg.messageId);
      if (sg.summary) sets.summaries.add(sg.messageId);
    }
    segmentSets.set(context, sets);
  }
  return sets;
}

const coveredCache = new WeakMap<readonly number[], { length: number; covered: number }>();
function covered(ranges: readonly number[] | undefined): number {
  if (!ranges) return 0;
  const hit = coveredCache.get(ranges);
  if (hit?.length === ranges.length) return hit.covered;
  const n = coveredOf(ranges);
  coveredCache.set(ranges, { length: ranges.length, covered: n });
  return n;
}

function Badges({ m }: { m: MessageData }) {
  const out = useViewStore(evictionStore, (s) => covered(s.byMessage[m.id]));
  const summarized = useViewStore(evictionStore, (s) => covered(s.summarized[m.id]));
  const summary = useViewStore(evictionStore, (s) => (m.summary ? s.summaries[m.id] : undefined));
  const recalled = useViewStore(windowStore, (s) => contextSets(s.context)?.recalled.has(m.id) ?? false);
  const inContext = useViewStore(windowStore, (s) => (m.summary ? (contextSets(s.context)?.summaries.has(m.id) ?? false) : false));
  return (
    <span className="row" style={{ gap: 4 }}>
      <span className="muted">{m.tokens} tok</span>
      <TokenCounts id={m.id} />
      {messageBadges(m, { out, summarized, recalled, inContext, summary }).map((b) => (
        <span key={b.label} className={`pill ${b.tone}`} title={b.title}>
          {b.label}
        </span>
      ))}
    </span>
  );
}

/** A generated reply's token counts: the engine's count of the prompt beside the server's (or local model's) own. */
function TokenCounts({ id }: { id: number }) {
  const usage = useViewStore(sessionStore, (s) => s.replyUsage[id]);
  if (!usage) return null;
  const { label, title } = usageBadge(usage);
  return (
    <span className="pill muted" aria-label="Token counts" title={title}>
      {label}
    </span>
  );
}

/** Where a summary stands in the conversation, and why the model's text was not used (from its summary event). */
function SummaryInfo({ id }: { id: number }) {
  const e = useViewStore(evictionStore, (s) => s.summaries[id]);
  if (!e) return null;
  return (
    <div className="muted" style={{ fontSize: 12 }}>
      stands in for positions {e.startPos}–{e.endPos} · {e.sourceTokens} source tokens → {e.tokens} · turn {e.turn}
      {e.gate.missing.length > 0 ? ` · facts not in the source: ${e.gate.missing.join(', ')}` : ''}
      {e.fallback ? ` · fallback: ${e.fallback}` : ''}
    </div>
  );
}

export const Message = memo(function Message({ m, selected }: { m: MessageData; selected: boolean }) {
  const out = useViewStore(evictionStore, (s) => m.tokens > 0 && covered(s.byMessage[m.id]) >= m.tokens);
  const color = m.summary ? 'var(--summary)' : ROLE_COLORS[m.role];
  return (
    <article
      id={`msg-${m.id}`}
      aria-label={`${m.summary ? 'summary' : m.role} message ${m.id}`}
      className="message"
      style={{ borderLeft: `3px solid ${color}`, padding: '6px 8px', margin: '6px 0', opacity: out ? 0.55 : 1, background: selected ? 'var(--panel-2)' : m.summary ? 'color-mix(in srgb, var(--summary) 8%, transparent)' : undefined, borderRadius: 4 }}
    >
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <strong style={{ color }}>
          {m.summary ? 'summary' : m.role}
          {m.summary && <span className="muted" style={{ fontWeight: 400 }}> · {m.role}</span>}
        </strong>
        <Badges m={m} />
      </div>
      {m.summary && <SummaryInfo id={m.id} />}
      {m.summary && out ? (
        <details>
          <summary className="muted">Text of this superseded summary</summary>
          <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.content}</div>
        </details>
      ) : (
        <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.content}</div>
      )}
    </article>
  );
});
