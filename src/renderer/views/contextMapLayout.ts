import type { ContextBuiltEvent, MessageData } from '../../shared/protocol';

export type TokenState = 'window' | 'evicted' | 'pinned';

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
 * Runs of tokens with one state, in position order: every message is split into its evicted ranges
 * (from the eviction events) and the rest, which is in the window. O(messages + evictions).
 */
export function tokenRuns(messages: readonly MessageData[], byMessage: Record<number, number[]>): Run[] {
  const runs: Run[] = [];
  for (const m of messages) {
    if (m.tokens === 0) continue;
    const ev = byMessage[m.id];
    const keep: TokenState = m.pinned ? 'pinned' : 'window';
    if (!ev) {
      runs.push({ messageId: m.id, start: m.startPos, end: m.startPos + m.tokens, state: keep });
      continue;
    }
    const cuts: [number, number, number][] = [];
    for (let i = 0; i < ev.length; i += 3) cuts.push([ev[i], ev[i + 1], ev[i + 2]]);
    cuts.sort((a, b) => a[0] - b[0]);
    let at = 0;
    for (const [from, to, seq] of cuts) {
      if (from > at) runs.push({ messageId: m.id, start: m.startPos + at, end: m.startPos + from, state: keep });
      runs.push({ messageId: m.id, start: m.startPos + from, end: m.startPos + to, state: 'evicted', seq });
      at = Math.max(at, to);
    }
    if (at < m.tokens) runs.push({ messageId: m.id, start: m.startPos + at, end: m.startPos + m.tokens, state: keep });
  }
  return runs;
}

/** Where the context starts mid-message (the sentence-boundary anchor), as an absolute position. */
export function anchorPosition(context: ContextBuiltEvent | undefined, messages: readonly MessageData[]): number | undefined {
  const first = context?.segments.find((s) => !s.pinned);
  if (!first) return undefined;
  const m = messages.find((x) => x.id === first.messageId);
  return m ? m.startPos + first.from : undefined;
}

/** The run containing a token position (binary search). */
export function runAt(runs: readonly Run[], pos: number): Run | undefined {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = runs[mid];
    if (pos < r.start) hi = mid - 1;
    else if (pos >= r.end) lo = mid + 1;
    else return r;
  }
  return undefined;
}
