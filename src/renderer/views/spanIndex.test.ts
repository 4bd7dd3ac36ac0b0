import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProfileSpan } from '../../shared/protocol';
import { Ring } from '../../shared/view/ring';
import { BLOCK, forEachSpanIn } from './spanIndex';

const inView = (ring: Ring<ProfileSpan>, t0: number, t1: number) => [...ring].filter((s) => !(s.end < t0 || s.start > t1));
const visited = (ring: Ring<ProfileSpan>, t0: number, t1: number) => {
  const out: ProfileSpan[] = [];
  forEachSpanIn(ring, t0, t1, (s) => out.push(s));
  return out;
};

describe('forEachSpanIn', () => {
  it('visits exactly the spans a full scan finds, oldest first, as the ring fills, wraps and is queried in between', () => {
    const span = fc.record({ start: fc.integer({ min: 0, max: 5000 }), len: fc.integer({ min: 0, max: 400 }), depth: fc.integer({ min: 0, max: 7 }) });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 * BLOCK }),
        fc.integer({ min: 0, max: 2 * BLOCK }),
        fc.array(fc.tuple(fc.array(span, { maxLength: 3 * BLOCK }), fc.integer({ min: 0, max: 5400 }), fc.integer({ min: 0, max: 600 }))),
        (capacity, droppedBefore, steps) => {
          const ring = new Ring<ProfileSpan>(capacity, droppedBefore);
          for (const [pushes, t0, width] of steps) {
            for (const p of pushes) ring.push({ name: 'x', start: p.start, end: p.start + p.len, depth: p.depth, turn: 1 });
            expect(visited(ring, t0, t0 + width)).toEqual(inView(ring, t0, t0 + width));
          }
        },
      ),
      { numRuns: 60 },
    );
  });

  it('reads only the blocks that overlap the view when spans come in time order', () => {
    const ring = new Ring<ProfileSpan>(60_000);
    for (let i = 0; i < 60_000; i++) ring.push({ name: 'x', start: i, end: i + 0.5, depth: 0, turn: 1 });
    const reads = { n: 0 };
    const oldest = ring.oldest.bind(ring);
    ring.oldest = (i: number) => {
      reads.n++;
      return oldest(i);
    };
    forEachSpanIn(ring, 59_600, 60_000, () => undefined); // indexes the ring once
    reads.n = 0;
    expect(visited(ring, 59_600, 60_000)).toHaveLength(400);
    expect(reads.n).toBeLessThanOrEqual(400 + 2 * BLOCK);
  });
});
