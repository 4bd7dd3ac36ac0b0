import type { MessageData, SummaryEvent } from '../../shared/protocol';

/** A badge's colour: the CSS class `pill <tone>` (see styles.css). */
export type BadgeTone = 'muted' | 'bad' | 'recalled' | 'summary';

export interface Badge {
  label: string;
  tone: BadgeTone;
  /** Longer explanation (tooltip). */
  title?: string;
}

/** What the views know about a message's tokens. */
export interface MessageFacts {
  /** Distinct tokens of the message out of the context, for any reason. */
  out: number;
  /** Distinct tokens folded into a rolling summary (eviction kind 'summarized'); part of `out`. */
  summarized: number;
  /** Some of its tokens are back in the context through recall. */
  recalled: boolean;
  /** Summary messages: the summary is in the latest built context. */
  inContext?: boolean;
  /** Summary messages: the summary event that made it. */
  summary?: SummaryEvent;
}

/** The state badges of a message in the chat: pinned, evicted, summarized, recalled, or a summary's method and gate. */
export function messageBadges(m: MessageData, f: MessageFacts): Badge[] {
  return m.summary ? summaryBadges(m, f) : conversationBadges(m, f);
}

function conversationBadges(m: MessageData, f: MessageFacts): Badge[] {
  const out: Badge[] = [];
  if (m.pinned) out.push({ label: 'pinned', tone: 'muted' });
  const summarized = Math.min(f.summarized, m.tokens);
  if (summarized > 0) {
    const title = 'folded into the rolling summary: the summary stands in for these tokens in the context';
    out.push(summarized >= m.tokens ? { label: 'summarized', tone: 'summary', title } : { label: `partly summarized ${summarized}/${m.tokens}`, tone: 'summary', title });
  }
  const rest = Math.max(0, Math.min(f.out, m.tokens) - summarized);
  if (rest > 0) {
    if (summarized === 0 && f.out >= m.tokens) {
      if (!f.recalled) out.push({ label: 'evicted', tone: 'bad' });
    } else out.push({ label: `partly evicted ${rest}/${m.tokens}`, tone: 'muted' });
  }
  if (f.recalled) out.push({ label: 'recalled', tone: 'recalled', title: 'evicted earlier, brought back into the context for the latest message' });
  return out;
}

function summaryBadges(m: MessageData, f: MessageFacts): Badge[] {
  const out: Badge[] = [{ label: 'summary', tone: 'summary', title: 'a rolling summary: one message that stands in for earlier conversation' }];
  const e = f.summary;
  if (e) {
    out.push({ label: e.fallback ? `${e.method} (fallback)` : e.method, tone: 'muted', title: e.fallback ? `the model's summary was not used: ${e.fallback}` : e.method === 'model' ? 'written by the model' : 'extractive: the most salient sentences of the source, verbatim' });
    const g = e.gate;
    out.push({
      label: `gate ${g.found}/${g.checked} ${g.passed ? 'passed' : 'failed'}`,
      tone: g.passed ? 'muted' : 'bad',
      title: `QA gate: ${g.found} of ${g.checked} facts (numbers, dates, names, quotes) found in the source; needs ${Math.round(g.threshold * 100)}%${g.missing.length > 0 ? `; missing: ${g.missing.join(', ')}` : ''}`,
    });
  }
  if (f.inContext) out.push({ label: 'in context', tone: 'summary', title: 'this summary is in the context now' });
  else if (f.out >= m.tokens && m.tokens > 0) out.push({ label: 'superseded', tone: 'muted', title: 'folded into a newer summary' });
  return out;
}
