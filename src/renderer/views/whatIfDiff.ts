import type { ContextSegment, MessageData } from '../../shared/protocol';

export interface MessageDiff {
  messageId: number;
  role: string;
  onlyA: number;
  onlyB: number;
  both: number;
  preview: string;
}

/** Kept-token sets of two contexts, per message: tokens in A only, in B only, in both. */
export function diffContexts(a: readonly ContextSegment[], b: readonly ContextSegment[], messages: readonly MessageData[]): { rows: MessageDiff[]; onlyA: number; onlyB: number; both: number } {
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
    const m = messages.find((x) => x.id === id);
    const row = { messageId: id, role: m?.role ?? '?', onlyA: lenA - common, onlyB: lenB - common, both: common, preview: (m?.content ?? '').slice(0, 90) };
    onlyA += row.onlyA;
    onlyB += row.onlyB;
    both += common;
    rows.push(row);
  }
  return { rows, onlyA, onlyB, both };
}
