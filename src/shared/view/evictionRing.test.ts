import { describe, expect, it } from 'vitest';
import type { EvictionEvent } from '../protocol.js';
import { EVICTION_LOG_CAP, EvictionRing } from './evictionRing.js';

const budget = { maxTokens: 100, usedBefore: 101, usedAfter: 100 };
const row = (seq: number): EvictionEvent => ({ type: 'eviction', turn: 1, seq, startPos: seq, endPos: seq + 1, tokens: 1, ranges: [{ messageId: 0, from: seq, to: seq + 1 }], preview: '', reason: { policy: 'sliding', kind: 'budget', detail: '', budget } });
const seqs = (ring: EvictionRing) => ring.toArray().map((r) => r.seq);
const newestSeqs = (ring: EvictionRing) => Array.from({ length: ring.size }, (_, i) => ring.newest(i)!.seq);
const filled = (capacity: number, count: number) => {
  const ring = new EvictionRing(capacity);
  for (let s = 0; s < count; s++) ring.push(row(s), 1000 + s);
  return ring;
};

describe('EvictionRing', () => {
  it('keeps every row while under its capacity, oldest first and newest first', () => {
    const ring = filled(4, 3);
    expect(seqs(ring)).toEqual([0, 1, 2]);
    expect(newestSeqs(ring)).toEqual([2, 1, 0]);
    expect([ring.size, ring.total, ring.dropped]).toEqual([3, 3, 0]);
    expect(ring.timeOfNewest(0)).toBe(1002);
  });

  it('wraps around: keeps the newest rows in order, with their times, and counts every row', () => {
    const ring = filled(4, 11);
    expect(seqs(ring)).toEqual([7, 8, 9, 10]);
    expect(newestSeqs(ring)).toEqual([10, 9, 8, 7]);
    expect(Array.from({ length: 4 }, (_, i) => ring.timeOfNewest(i))).toEqual([1010, 1009, 1008, 1007]);
    expect([ring.size, ring.total, ring.dropped]).toEqual([4, 11, 7]);
  });

  it('is exact at every count around its capacity', () => {
    for (let count = 0; count <= 9; count++) {
      const ring = filled(3, count);
      const kept = Array.from({ length: count }, (_, s) => s).slice(-3);
      expect(seqs(ring)).toEqual(kept);
      expect(newestSeqs(ring)).toEqual([...kept].reverse());
      expect(ring.total).toBe(count);
    }
  });

  it('answers undefined past the rows it keeps, and finds kept rows by seq', () => {
    const ring = filled(2, 5);
    expect(ring.newest(2)).toBeUndefined();
    expect(ring.newest(-1)).toBeUndefined();
    expect(ring.timeOfNewest(2)).toBeUndefined();
    expect(ring.findSeq(4)?.seq).toBe(4);
    expect(ring.findSeq(3)?.seq).toBe(3);
    expect(ring.findSeq(2)).toBeUndefined(); // dropped
  });

  it('keeps 5,000 rows by default, and a rebuilt log starts from its dropped count', () => {
    expect(new EvictionRing().capacity).toBe(EVICTION_LOG_CAP);
    expect(EVICTION_LOG_CAP).toBe(5000);
    const rebuilt = new EvictionRing(3, 100);
    rebuilt.push(row(100), 0);
    expect([rebuilt.size, rebuilt.total, rebuilt.dropped]).toEqual([1, 101, 100]);
    expect(() => new EvictionRing(0)).toThrow(RangeError);
  });
});
