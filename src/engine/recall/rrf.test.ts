import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './rrf.js';

const ids = fc.uniqueArray(fc.integer({ min: -50, max: 50 }), { minLength: 1, maxLength: 30 });
const rrfK = fc.integer({ min: 0, max: 200 });

describe('reciprocalRankFusion, hand-computed', () => {
  it('fuses two permutations with k = 60', () => {
    const fused = reciprocalRankFusion([[1, 2, 3], [3, 1, 2]]);
    expect(fused.map((f) => f.id)).toEqual([1, 3, 2]);
    expect(fused[0].score).toBeCloseTo(1 / 61 + 1 / 62, 15); // 0.032522...
    expect(fused[1].score).toBeCloseTo(1 / 61 + 1 / 63, 15); // 0.032266...
    expect(fused[2].score).toBeCloseTo(1 / 62 + 1 / 63, 15); // 0.032002...
  });
  it('rewards agreement over a single first place (k = 0)', () => {
    // 1: 1/1 = 1; 2: 1/2 + 1/1 = 1.5; 3: 1/3 + 1/2 = 0.8333...
    expect(reciprocalRankFusion([[1, 2, 3], [2, 3]], 0)).toEqual([
      { id: 2, score: 1.5 },
      { id: 1, score: 1 },
      { id: 3, score: 1 / 3 + 1 / 2 },
    ]);
  });
  it('breaks equal scores by id ascending and counts a repeated id at its first rank', () => {
    expect(reciprocalRankFusion([[9, 4], [4, 9]], 1)).toEqual([{ id: 4, score: 1 / 2 + 1 / 3 }, { id: 9, score: 1 / 2 + 1 / 3 }]);
    expect(reciprocalRankFusion([[5, 5, 6]], 0)).toEqual([{ id: 5, score: 1 }, { id: 6, score: 1 / 3 }]);
  });
  it('handles no lists, empty lists and rejects a bad k', () => {
    expect(reciprocalRankFusion([])).toEqual([]);
    expect(reciprocalRankFusion([[], []])).toEqual([]);
    expect(() => reciprocalRankFusion([[1]], -1)).toThrow(RangeError);
    expect(() => reciprocalRankFusion([[1]], Number.NaN)).toThrow(RangeError);
  });
});

describe('reciprocalRankFusion, properties', () => {
  it('fusing permutations of one set yields a permutation of that set, sorted by score then id', () => {
    const arb = ids.chain((set) => fc.tuple(fc.constant(set), fc.array(fc.shuffledSubarray(set, { minLength: set.length }), { minLength: 1, maxLength: 5 })));
    fc.assert(
      fc.property(arb, rrfK, ([set, lists], k) => {
        const fused = reciprocalRankFusion(lists, k);
        expect(fused.map((f) => f.id).sort((a, b) => a - b)).toEqual([...set].sort((a, b) => a - b));
        for (let i = 1; i < fused.length; i++) {
          const [prev, cur] = [fused[i - 1], fused[i]];
          expect(prev.score > cur.score || (prev.score === cur.score && prev.id < cur.id)).toBe(true);
        }
      }),
    );
  });
  it('partial lists fuse to their union, each id once', () => {
    const arb = ids.chain((set) => fc.array(fc.shuffledSubarray(set), { maxLength: 5 }));
    fc.assert(
      fc.property(arb, rrfK, (lists, k) => {
        const union = [...new Set(lists.flat())].sort((a, b) => a - b);
        expect(reciprocalRankFusion(lists, k).map((f) => f.id).sort((a, b) => a - b)).toEqual(union);
      }),
    );
  });
  it('an item ranked first in every list is first, strictly ahead of the rest', () => {
    const arb = ids.chain((set) => fc.tuple(fc.constant(set[0]), fc.array(fc.shuffledSubarray(set.slice(1)), { minLength: 1, maxLength: 5 })));
    fc.assert(
      fc.property(arb, rrfK, ([winner, rests], k) => {
        const fused = reciprocalRankFusion(rests.map((rest) => [winner, ...rest]), k);
        expect(fused[0].id).toBe(winner);
        if (fused.length > 1) expect(fused[0].score).toBeGreaterThan(fused[1].score);
      }),
    );
  });
  it('does not depend on the order of the lists, and one list keeps its order', () => {
    const arb = ids.chain((set) => fc.array(fc.shuffledSubarray(set), { minLength: 1, maxLength: 5 }));
    fc.assert(
      fc.property(arb, rrfK, (lists, k) => {
        expect(reciprocalRankFusion([...lists].reverse(), k)).toEqual(reciprocalRankFusion(lists, k));
        expect(reciprocalRankFusion([lists[0]], k).map((f) => f.id)).toEqual(lists[0]);
      }),
    );
  });
  it('moving an item up in one list never lowers its fused score', () => {
    const arb = ids.chain((set) => fc.tuple(fc.array(fc.shuffledSubarray(set, { minLength: set.length }), { minLength: 1, maxLength: 4 }), fc.nat(), fc.nat()));
    fc.assert(
      fc.property(arb, rrfK, ([lists, which, at], k) => {
        const list = lists[which % lists.length];
        const i = at % list.length;
        if (i === 0) return;
        const id = list[i];
        const promoted = [...list];
        [promoted[i - 1], promoted[i]] = [promoted[i], promoted[i - 1]];
        const before = reciprocalRankFusion(lists, k).find((f) => f.id === id)!.score;
        const after = reciprocalRankFusion(lists.map((l) => (l === list ? promoted : l)), k).find((f) => f.id === id)!.score;
        expect(after).toBeGreaterThan(before);
      }),
    );
  });
});
