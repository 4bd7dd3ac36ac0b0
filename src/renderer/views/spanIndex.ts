import type { ProfileSpan } from '../../shared/protocol';
import type { Ring } from '../../shared/view/ring';

/** Spans per block: a block is skipped whole when its time range misses the view. */
export const BLOCK = 256;

interface Index {
  /** Spans indexed so far, as the ring's `total` then. */
  indexed: number;
  /** Per block number (push ordinal / BLOCK): the earliest start and the latest end of its spans. */
  minStart: Map<number, number>;
  maxEnd: Map<number, number>;
}

const indexes = new WeakMap<Ring<ProfileSpan>, Index>();

/**
 * Calls `visit` with every kept span that overlaps [t0, t1], oldest first (the order the ring keeps
 * them, so a drawing over them is the same as over the whole ring). The ring is pushed to in place:
 * each call first indexes the spans pushed since the last one (their blocks' time ranges), so a
 * frame costs the blocks that overlap the view plus the new spans, not the 60,000 spans kept.
 */
export function forEachSpanIn(ring: Ring<ProfileSpan>, t0: number, t1: number, visit: (s: ProfileSpan) => void): void {
  const x = update(ring);
  const first = ring.total - ring.size; // push ordinal of the oldest kept span
  for (let b = Math.floor(first / BLOCK); b * BLOCK < ring.total; b++) {
    if ((x.maxEnd.get(b) ?? -Infinity) < t0 || (x.minStart.get(b) ?? Infinity) > t1) continue;
    const end = Math.min(ring.total, (b + 1) * BLOCK);
    for (let o = Math.max(first, b * BLOCK); o < end; o++) {
      const s = ring.oldest(o - first)!;
      if (s.end < t0 || s.start > t1) continue;
      visit(s);
    }
  }
}

function update(ring: Ring<ProfileSpan>): Index {
  let x = indexes.get(ring);
  if (!x) indexes.set(ring, (x = { indexed: 0, minStart: new Map(), maxEnd: new Map() }));
  const first = ring.total - ring.size;
  // blocks wholly pushed out of the ring
  for (const b of x.minStart.keys()) {
    if ((b + 1) * BLOCK > first) break; // keys are in insertion order: ascending blocks
    x.minStart.delete(b);
    x.maxEnd.delete(b);
  }
  for (let o = Math.max(x.indexed, first); o < ring.total; o++) {
    const s = ring.oldest(o - first)!;
    const b = Math.floor(o / BLOCK);
    x.minStart.set(b, Math.min(x.minStart.get(b) ?? Infinity, s.start));
    x.maxEnd.set(b, Math.max(x.maxEnd.get(b) ?? -Infinity, s.end));
  }
  x.indexed = ring.total;
  return x;
}
