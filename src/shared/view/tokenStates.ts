import type { ContextBuiltEvent, MessageData, SummaryEvent } from '../protocol.js';

/** 'summarized': evicted into the rolling summary, which stands in for these tokens. */
export type TokenState = 'window' | 'evicted' | 'summarized' | 'pinned';

export interface Run {
  messageId: number;
  /** Absolute token positions [start, end). */
  start: number;
  end: number;
  state: TokenState;
  /** Eviction seq for evicted runs. */
  seq?: number;
}

/**
 * Runs of tokens with one state, in position order and disjoint: every message is split into its
 * evicted ranges (from the eviction events; `summarizedSeqs` are the evictions into a rolling summary)
 * and the rest, which is in the window. A span evicted twice (recalled, then evicted again) keeps its
 * first eviction. Summary messages are left out: they occupy no positions (their startPos is where their
 * source began). O(messages + evictions) when evictions do not overlap.
 */
export function tokenRuns(messages: readonly MessageData[], byMessage: Record<number, number[]>, summarizedSeqs: ReadonlySet<number> = new Set()): Run[] {
  const runs: Run[] = [];
  for (const m of messages) {
    if (m.tokens === 0 || m.summary) continue;
    const ev = byMessage[m.id];
    const keep: TokenState = m.pinned ? 'pinned' : 'window';
    if (!ev) {
      runs.push({ messageId: m.id, start: m.startPos, end: m.startPos + m.tokens, state: keep });
      continue;
    }
    let at = 0;
    for (const [from, to, seq] of firstEvictions(ev)) {
      if (from > at) runs.push({ messageId: m.id, start: m.startPos + at, end: m.startPos + from, state: keep });
      runs.push({ messageId: m.id, start: m.startPos + from, end: m.startPos + to, state: summarizedSeqs.has(seq) ? 'summarized' : 'evicted', seq });
      at = to;
    }
    if (at < m.tokens) runs.push({ messageId: m.id, start: m.startPos + at, end: m.startPos + m.tokens, state: keep });
  }
  return runs;
}

/**
 * [from, to, seq] triples of one message's evictions, made disjoint: each token belongs to the first
 * eviction that took it (a span evicted, recalled and evicted again keeps its original reason).
 * Sorted by `from`. O(k²) in the message's evictions, which are few.
 */
export function firstEvictions(triples: readonly number[]): [number, number, number][] {
  const cuts: [number, number, number][] = [];
  for (let i = 0; i < triples.length; i += 3) cuts.push([triples[i], triples[i + 1], triples[i + 2]]);
  cuts.sort((a, b) => a[2] - b[2]);
  const owned: [number, number, number][] = [];
  for (const [from, to, seq] of cuts) {
    let at = from;
    const pieces: [number, number, number][] = [];
    for (const [f, t] of owned) {
      if (t <= at) continue;
      if (f >= to) break;
      if (f > at) pieces.push([at, f, seq]);
      at = Math.max(at, t);
      if (at >= to) break;
    }
    if (at < to) pieces.push([at, to, seq]);
    if (pieces.length > 0) {
      owned.push(...pieces);
      owned.sort((a, b) => a[0] - b[0]);
    }
  }
  return owned;
}

/** The seqs of evictions into a rolling summary, from the per-message triples of the eviction store. */
export function seqsOf(byMessage: Record<number, number[]>): Set<number> {
  const out = new Set<number>();
  for (const triples of Object.values(byMessage)) for (let i = 2; i < triples.length; i += 3) out.add(triples[i]);
  return out;
}

/** Tokens of the conversation by state now, as the context map draws them. */
export interface TokenCounts {
  /** In the context: unpinned window tokens, pinned ones, evicted ones recall brought back, the rolling summary's own. */
  window: number;
  pinned: number;
  recalled: number;
  summary: number;
  /** Out of the context: evicted (and not recalled), and folded into the rolling summary. */
  evicted: number;
  summarized: number;
}

/** The rolling summary in use: the newest summary event (by seq). */
export function newestSummary(summaries: Record<number, SummaryEvent>): SummaryEvent | undefined {
  let newest: SummaryEvent | undefined;
  for (const e of Object.values(summaries)) if (!newest || e.seq > newest.seq) newest = e;
  return newest;
}

/**
 * The rolling summary in the context: the newest summary event, unless it has left the context since (over
 * budget with nothing else to evict, the engine drops it: an eviction of the summary message's own tokens).
 */
export function summaryInContext(summaries: Record<number, SummaryEvent>, byMessage: Record<number, number[]>): SummaryEvent | undefined {
  const newest = newestSummary(summaries);
  return newest && !byMessage[newest.messageId]?.length ? newest : undefined;
}

/**
 * The map's runs counted by state; evicted tokens that a recalled segment of the built context covers
 * count as recalled (back in the context); `summary` is the rolling summary in use (the newest).
 * O(runs + recalled segments × log runs).
 */
export function tokenCounts(runs: readonly Run[], startPosOf: (messageId: number) => number | undefined, context: ContextBuiltEvent | undefined, summary?: SummaryEvent): TokenCounts {
  const counts: TokenCounts = { window: 0, pinned: 0, recalled: 0, summary: summary?.tokens ?? 0, evicted: 0, summarized: 0 };
  for (const r of runs) counts[r.state] += r.end - r.start;
  for (const s of context?.segments ?? []) {
    const base = s.recalled ? startPosOf(s.messageId) : undefined;
    if (base === undefined) continue;
    const [from, to] = [base + s.from, base + s.to];
    for (let i = runIndexAt(runs, from); i < runs.length && runs[i].start < to; i++) {
      const r = runs[i];
      if (r.state !== 'evicted' && r.state !== 'summarized') continue;
      const n = Math.min(r.end, to) - Math.max(r.start, from);
      counts[r.state] -= n;
      counts.recalled += n;
    }
  }
  return counts;
}

/** The index of the first run that ends after `pos` (runs are disjoint, in position order): binary search. */
function runIndexAt(runs: readonly Run[], pos: number): number {
  let lo = 0;
  let hi = runs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[mid].end <= pos) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The run containing a token position, if any. */
export function runAt(runs: readonly Run[], pos: number): Run | undefined {
  const r = runs[runIndexAt(runs, pos)];
  return r && r.start <= pos ? r : undefined;
}
