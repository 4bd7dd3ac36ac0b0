/**
 * Reciprocal rank fusion (Cormack, Clarke & Büttcher 2009): an item's fused score is
 * Σ over the rankings that contain it of 1 / (k + rank), ranks counted from 1. Only ranks matter, so
 * retrievers with incomparable scores (BM25, cosine) fuse without calibration.
 */
export interface FusedItem {
  id: number;
  score: number;
}

/** Orders by score desc, then id asc, so equal scores come out in one deterministic order. */
export function byScoreThenId(a: FusedItem, b: FusedItem): number {
  return b.score - a.score || a.id - b.id;
}

/**
 * Fuses `rankings` (each a list of ids, best first). An id repeated within one list counts at its first
 * (best) position. Each item's terms are summed in ascending rank order, so its score depends only on
 * the multiset of its ranks, not on the order of the lists. Result: every id once, by score desc, id asc.
 */
export function reciprocalRankFusion(rankings: readonly (readonly number[])[], k = 60): FusedItem[] {
  if (!Number.isFinite(k) || k < 0) throw new RangeError(`rrf k must be a finite number >= 0, got ${k}`);
  const ranks = new Map<number, number[]>();
  for (const ranking of rankings) {
    const seen = new Set<number>();
    for (let i = 0; i < ranking.length; i++) {
      const id = ranking[i];
      if (seen.has(id)) continue;
      seen.add(id);
      const list = ranks.get(id);
      if (list) list.push(i + 1);
      else ranks.set(id, [i + 1]);
    }
  }
  const fused: FusedItem[] = [];
  for (const [id, list] of ranks) {
    list.sort((a, b) => a - b);
    let score = 0;
    for (const rank of list) score += 1 / (k + rank);
    fused.push({ id, score });
  }
  return fused.sort(byScoreThenId);
}
