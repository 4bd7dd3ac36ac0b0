import { memo } from 'react';
import type { ContextBuiltEvent, MessageData, SummaryEvent } from '../../shared/protocol';
import type { ReplyUsage } from '../../shared/view/serverUsage';
import { messageBadges } from '../lib/messageBadges';
import { coveredOf, ROLE_COLORS } from '../lib/roles';
import { usageBadge } from '../lib/turnUsage';
import type { EvictionState } from '../state/stores';

/**
 * What the chat knows about a message besides its text, worked out by the chat view once per tick for
 * the messages it shows (one subscription per store for the whole list, not seven per message): a
 * message re-renders only when one of these changed.
 */
export interface MessageState {
  /** Distinct tokens out of the context, for any reason. */
  out: number;
  /** Distinct tokens folded into a rolling summary. */
  summarized: number;
  /** Summary messages: the summary event that made it. */
  summary: SummaryEvent | undefined;
  /** Some of its tokens are back in the context through recall. */
  recalled: boolean;
  /** Summary messages: in the latest built context. */
  inContext: boolean;
  /** A generated reply's token counts. */
  usage: ReplyUsage | undefined;
}

/**
 * The state of the message `id` (its `tokens` long, a summary or not): the built context's recalled
 * and summary messages are found once per context, a message's covered tokens once per eviction of it
 * (its triples are only ever pushed to).
 */
export function messageState(m: MessageData, ev: EvictionState, context: ContextBuiltEvent | undefined, replyUsage: Readonly<Record<number, ReplyUsage>>): MessageState {
  const sets = contextSets(context);
  return {
    out: covered(ev.byMessage[m.id]),
    summarized: covered(ev.summarized[m.id]),
    summary: m.summary ? ev.summaries[m.id] : undefined,
    recalled: sets?.recalled.has(m.id) ?? false,
    inContext: m.summary ? (sets?.summaries.has(m.id) ?? false) : false,
    usage: replyUsage[m.id],
  };
}

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

function Badges({ m, s }: { m: MessageData; s: MessageState }) {
  return (
    <span className="row" style={{ gap: 4 }}>
      <span className="muted">{m.tokens} tok</span>
      <TokenCounts usage={s.usage} />
      {messageBadges(m, { out: s.out, summarized: s.summarized, recalled: s.recalled, inContext: s.inContext, summary: s.summary }).map((b) => (
        <span key={b.label} className={`pill ${b.tone}`} title={b.title}>
          {b.label}
        </span>
      ))}
    </span>
  );
}

/** A generated reply's token counts: the engine's count of the prompt beside the server's (or local model's) own. */
function TokenCounts({ usage }: { usage: ReplyUsage | undefined }) {
  if (!usage) return null;
  const { label, title } = usageBadge(usage);
  return (
    <span className="pill muted" aria-label="Token counts" title={title}>
      {label}
    </span>
  );
}

/** Where a summary stands in the conversation, and why the model's text was not used (from its summary event). */
function SummaryInfo({ e }: { e: SummaryEvent | undefined }) {
  if (!e) return null;
  return (
    <div className="muted" style={{ fontSize: 12 }}>
      stands in for positions {e.startPos}–{e.endPos} · {e.sourceTokens} source tokens → {e.tokens} · turn {e.turn}
      {e.gate.missing.length > 0 ? ` · facts not in the source: ${e.gate.missing.join(', ')}` : ''}
      {e.fallback ? ` · fallback: ${e.fallback}` : ''}
    </div>
  );
}

/** Equal states: the message need not re-render. */
export function sameState(a: MessageState, b: MessageState): boolean {
  return a.out === b.out && a.summarized === b.summarized && a.summary === b.summary && a.recalled === b.recalled && a.inContext === b.inContext && a.usage === b.usage;
}

export const Message = memo(
  function Message({ m, selected, s }: { m: MessageData; selected: boolean; s: MessageState }) {
    const out = m.tokens > 0 && s.out >= m.tokens;
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
          <Badges m={m} s={s} />
        </div>
        {m.summary && <SummaryInfo e={s.summary} />}
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
  },
  (a, b) => a.m === b.m && a.selected === b.selected && sameState(a.s, b.s),
);
