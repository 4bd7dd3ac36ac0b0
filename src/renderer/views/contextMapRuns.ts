import type { MessageData } from '../../shared/protocol';
import { seqsOf, tokenRuns, type Run } from '../../shared/view/tokenStates.js';

/** A message's runs as last laid out, with the eviction lists they came from (only ever pushed to). */
interface CachedRuns {
  byMessage: Record<number, number[]>;
  evicted: number;
  summarized: number;
  runs: Run[];
}
const runCache = new WeakMap<MessageData, CachedRuns>();

/**
 * tokenRuns over the conversation, each message's runs computed again only when one of its evictions
 * came since the last drawing (a message's summarized seqs are the ones of its own triples: an
 * eviction into the summary records each of its ranges in both maps).
 */
export function runsOf(messages: readonly MessageData[], byMessage: Record<number, number[]>, summarized: Record<number, number[]>): Run[] {
  const out: Run[] = [];
  for (const m of messages) {
    const evicted = byMessage[m.id]?.length ?? 0;
    const folded = summarized[m.id]?.length ?? 0;
    let c = runCache.get(m);
    if (!c || c.byMessage !== byMessage || c.evicted !== evicted || c.summarized !== folded) {
      c = { byMessage, evicted, summarized: folded, runs: tokenRuns([m], byMessage, folded > 0 ? seqsOf({ [m.id]: summarized[m.id] }) : undefined) };
      runCache.set(m, c);
    }
    for (const r of c.runs) out.push(r);
  }
  return out;
}
