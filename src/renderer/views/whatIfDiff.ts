import type { ContextSegment, MessageData } from '../../shared/protocol';

export interface MessageDiff {
  /** The message's id in this session (what the chat shows and jumps to). */
  messageId: number;
  role: string;
  onlyA: number;
  onlyB: number;
  both: number;
  preview: string;
}

export interface ContextDiff {
  rows: MessageDiff[];
  onlyA: number;
  onlyB: number;
  both: number;
  /** Tokens of a rolling summary in each side's context (not part of the per-message diff). */
  summaryA: number;
  summaryB: number;
  /**
   * False when a side made rolling summaries: a summary takes a message id in that side's replay, so
   * the ids of later messages no longer match the conversation's and the per-message diff is not given.
   */
  aligned: boolean;
}

/**
 * Kept-token sets of two contexts, per message: tokens in A only, in B only, in both. A what-if side
 * replays the conversation alone, so its message ids are conversation indices; they map to this
 * session's messages through their order (this session's own summaries left out).
 */
export function diffContexts(a: readonly ContextSegment[], b: readonly ContextSegment[], messages: readonly MessageData[]): ContextDiff {
  const summaryOf = (segs: readonly ContextSegment[]) => segs.reduce((n, s) => n + (s.summary ? s.to - s.from : 0), 0);
  const summaryA = summaryOf(a);
  const summaryB = summaryOf(b);
  const aligned = !a.some((s) => s.summary) && !b.some((s) => s.summary);
  if (!aligned) return { rows: [], onlyA: 0, onlyB: 0, both: 0, summaryA, summaryB, aligned };
  const conversation = messages.filter((m) => !m.summary);
  const byMsg = (segs: readonly ContextSegment[]) => {
    const m = new Map<number, [number, number][]>();
    for (const s of segs) m.set(s.messageId, [...(m.get(s.messageId) ?? []), [s.from, s.to]]);
    return m;
  };
  const A = byMsg(a);
  const B = byMsg(b);
  const ids = [...new Set([...A.keys(), ...B.keys()])].sort((x, y) => x - y);
  const rows: MessageDiff[] = [];
  let onlyA = 0;
  let onlyB = 0;
  let both = 0;
  for (const id of ids) {
    const ra = A.get(id) ?? [];
    const rb = B.get(id) ?? [];
    const lenA = ra.reduce((n, [f, t]) => n + t - f, 0);
    const lenB = rb.reduce((n, [f, t]) => n + t - f, 0);
    let common = 0;
    for (const [fa, ta] of ra) for (const [fb, tb] of rb) common += Math.max(0, Math.min(ta, tb) - Math.max(fa, fb));
    const m = conversation[id];
    const row = { messageId: m?.id ?? id, role: m?.role ?? '?', onlyA: lenA - common, onlyB: lenB - common, both: common, preview: (m?.content ?? '').slice(0, 90) };
    onlyA += row.onlyA;
    onlyB += row.onlyB;
    both += common;
    rows.push(row);
  }
  return { rows, onlyA, onlyB, both, summaryA, summaryB, aligned };
}
