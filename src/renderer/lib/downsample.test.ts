import { describe, expect, it } from 'vitest';
import { Ring } from '../../shared/view/ring.js';
import { downsample, downsampleRing, endTicks } from './downsample';

describe('downsample', () => {
  it('keeps short series whole and long ones evenly spaced, with the last point', () => {
    expect(downsample([1, 2, 3], 5)).toEqual([1, 2, 3]);
    expect(downsample(Array.from({ length: 10 }, (_, i) => i), 4)).toEqual([0, 2, 5, 9]);
  });

  it('samples a ring in place the same as its items copied out', () => {
    for (const count of [0, 3, 7, 25]) {
      const ring = new Ring<number>(10);
      for (let i = 0; i < count; i++) ring.push(i);
      expect(downsampleRing(ring, 4)).toEqual(downsample(ring.toArray(), 4));
      expect(downsampleRing(ring, 20)).toEqual(ring.toArray());
    }
  });

  it('labels at most max ticks, evenly spaced back from the last point', () => {
    const points = Array.from({ length: 10 }, (_, i) => ({ turn: i + 1 }));
    expect(endTicks(points, 'turn', 4)).toEqual([1, 4, 7, 10]);
    expect(endTicks(points, 'turn', 20)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(endTicks(points.slice(0, 1), 'turn', 4)).toEqual([1]);
    expect(endTicks([], 'turn', 4)).toEqual([]);
    for (let n = 1; n < 300; n += 7) {
      const ticks = endTicks(Array.from({ length: n }, (_, i) => ({ turn: i })), 'turn', 8);
      expect(ticks.length).toBeLessThanOrEqual(8);
      expect(ticks.at(-1)).toBe(n - 1);
    }
  });
});
