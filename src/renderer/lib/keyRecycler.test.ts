import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyRecycler } from './keyRecycler';

describe('KeyRecycler', () => {
  it('keeps the keys of items that stay and gives new items the keys of those that left, in order', () => {
    const r = new KeyRecycler<number>();
    expect(r.keysFor([1, 2, 3, 4])).toEqual([0, 1, 2, 3]);
    // 1 and 2 left, 5 and 6 came: they take 1's and 2's keys
    expect(r.keysFor([3, 4, 5, 6])).toEqual([2, 3, 0, 1]);
    // a whole new window: the same keys in the same order (no element moves)
    expect(r.keysFor([7, 8, 9, 10])).toEqual([2, 3, 0, 1]);
    // the window grows: new keys past the free ones
    expect(r.keysFor([9, 10, 11, 12, 13, 14])).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('gives unique keys, stable for every item that stays, over any sequence of windows', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 0, max: 40 }), { maxLength: 25 }), { maxLength: 30 }), (windows) => {
        const r = new KeyRecycler<number>();
        let prev = new Map<number, number>();
        for (const ids of windows) {
          const keys = r.keysFor(ids);
          expect(new Set(keys).size).toBe(ids.length);
          ids.forEach((id, i) => {
            if (prev.has(id)) expect(keys[i]).toBe(prev.get(id));
          });
          prev = new Map(ids.map((id, i) => [id, keys[i]]));
        }
      }),
    );
  });
});
