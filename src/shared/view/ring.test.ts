import { describe, expect, it } from 'vitest';
import { Ring } from './ring.js';

const filled = (capacity: number, count: number) => {
  const ring = new Ring<number>(capacity);
  for (let i = 0; i < count; i++) ring.push(i);
  return ring;
};
const newest = (ring: Ring<number>) => Array.from({ length: ring.size }, (_, i) => ring.newest(i));
const oldest = (ring: Ring<number>) => Array.from({ length: ring.size }, (_, i) => ring.oldest(i));

describe('Ring', () => {
  it('keeps the newest items in order at every count around its capacity, and counts every item', () => {
    for (let count = 0; count <= 10; count++) {
      const ring = filled(3, count);
      const kept = Array.from({ length: count }, (_, i) => i).slice(-3);
      expect(ring.toArray()).toEqual(kept);
      expect([...ring]).toEqual(kept);
      expect(oldest(ring)).toEqual(kept);
      expect(newest(ring)).toEqual([...kept].reverse());
      expect([ring.size, ring.total, ring.dropped]).toEqual([kept.length, count, count - kept.length]);
    }
  });

  it('answers undefined past the items it keeps', () => {
    const ring = filled(2, 5);
    for (const i of [2, -1, 0.5, Number.NaN]) {
      expect(ring.newest(i)).toBeUndefined();
      expect(ring.oldest(i)).toBeUndefined();
    }
    expect(() => new Ring(0)).toThrow(RangeError);
  });

  it('is rebuilt from its newest items and the total: the same ring as one that saw every item', () => {
    const seen = filled(4, 11);
    const rebuilt = Ring.from(4, [5, 6, 7, 8, 9, 10], 11); // more than it keeps: the oldest go
    expect(rebuilt.toArray()).toEqual(seen.toArray());
    expect([rebuilt.size, rebuilt.total, rebuilt.dropped]).toEqual([seen.size, seen.total, seen.dropped]);
    rebuilt.push(11);
    seen.push(11);
    expect(rebuilt.toArray()).toEqual(seen.toArray());
    expect(Ring.from(4, [1, 2]).total).toBe(2);
  });
});
