import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TokenRing } from './tokenRing.js';

const column = (ring: TokenRing) => Array.from({ length: ring.length }, (_, i) => [ring.id(i), ring.pos(i), ring.msg(i), ring.flags(i)]);

describe('TokenRing.removeMany', () => {
  it('removes the ranges and keeps the rest in order, whichever side moves and wherever the ring wraps', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 70 }), fc.integer({ min: 1, max: 60 }), fc.array(fc.nat(), { minLength: 2, maxLength: 10 }), (shift, n, cutAt) => {
        const ring = new TokenRing(64);
        let next = 0;
        for (let i = 0; i < shift; i++) ring.push(next++, next, 0, 0);
        ring.shift(Math.min(shift, ring.length));
        for (let i = 0; i < n; i++) ring.push(next++, next, next % 7, next % 5);
        const want = column(ring);
        const at = [...new Set(cutAt.map((c) => c % (n + 1)))].sort((a, b) => a - b);
        const ranges: { from: number; to: number }[] = [];
        for (let k = 0; k + 1 < at.length; k += 2) ranges.push({ from: at[k], to: at[k + 1] });
        for (let r = ranges.length - 1; r >= 0; r--) want.splice(ranges[r].from, ranges[r].to - ranges[r].from);
        ring.removeMany(ranges);
        expect(column(ring)).toEqual(want);
        // and it still appends and drops from the front as a ring
        ring.push(-1, -1, -1, 1);
        expect(ring.id(ring.length - 1)).toBe(-1);
        if (ring.length > 1) {
          ring.shift(1);
          expect(column(ring)).toEqual([...want.slice(1), [-1, -1, -1, 1]]);
        }
      }),
      { numRuns: 500 },
    );
  });
});
