import { describe, expect, it } from 'vitest';
import type { ProfileSpan } from '../../shared/protocol';
import { Ring } from '../../shared/view/ring';
import { firstChildOf, ms, parentOf, pct, spanDetails } from './spanDetails';

const span = (name: string, start: number, end: number, depth: number, turn: number): ProfileSpan => ({ name, start, end, depth, turn });

// Two turns as the engine's profiler emits them: in end order, children before their parents.
const tokenize1 = span('tokenize', 100, 102, 1, 1);
const sliding = span('policy:sliding', 103, 107, 2, 1);
const policy = span('policy', 102, 108, 1, 1);
const ingest1 = span('ingest', 100, 110, 0, 1);
const build1 = span('build', 110, 112, 0, 1);
const tokenize2 = span('tokenize', 120, 121, 1, 2);
const ingest2 = span('ingest', 120, 124, 0, 2);
const all = [tokenize1, sliding, policy, ingest1, build1, tokenize2, ingest2];

/** The model's ring, wrapped past its capacity so iteration starts mid-array. */
function ring(): Ring<ProfileSpan> {
  const r = new Ring<ProfileSpan>(all.length);
  for (const s of [span('dropped', 0, 1, 0, 0), span('dropped', 1, 2, 0, 0), ...all]) r.push(s);
  return r;
}

describe('spanDetails', () => {
  it('gives start from the origin, duration, the share of the parent and of the turn', () => {
    const d = spanDetails(ring(), policy, { t0: 0, t1: 200 }, 100);
    expect(d.start).toBe(2);
    expect(d.duration).toBe(6);
    expect(d.parent?.span).toBe(ingest1);
    expect(d.parent?.share).toBeCloseTo(0.6, 12);
    expect(d.turn.time).toBe(12); // ingest 10 + build 2: the turn's top-level spans
    expect(d.turn.share).toBeCloseTo(0.5, 12);
    expect(d.sameName).toEqual({ count: 1, total: 6 });
  });

  it('counts the spans of the same name that overlap the view', () => {
    expect(spanDetails(ring(), tokenize1, { t0: 0, t1: 200 }, 100).sameName).toEqual({ count: 2, total: 3 });
    expect(spanDetails(ring(), tokenize1, { t0: 115, t1: 200 }, 100).sameName).toEqual({ count: 1, total: 1 });
    expect(spanDetails(ring(), tokenize1, { t0: 101.5, t1: 119 }, 100).sameName).toEqual({ count: 1, total: 2 });
  });

  it('has no parent for a top-level span, and its share of the turn', () => {
    const d = spanDetails(ring(), build1, { t0: 0, t1: 200 }, 100);
    expect(d.parent).toBeUndefined();
    expect(d.turn.share).toBeCloseTo(2 / 12, 12);
  });

  it('does not take an enclosing span of another turn, or one two levels up, as the parent', () => {
    const other = span('x', 100, 110, 1, 2);
    expect(parentOf([span('ingest', 0, 200, 0, 1), other], other)).toBeUndefined();
    expect(parentOf(all, sliding)).toBe(policy);
    expect(spanDetails([sliding], sliding, { t0: 0, t1: 200 }, 100).parent).toBeUndefined();
  });

  it('finds the earliest child for keyboard navigation down the stack', () => {
    expect(firstChildOf(ring(), ingest1)).toBe(tokenize1);
    expect(firstChildOf(ring(), policy)).toBe(sliding);
    expect(firstChildOf(ring(), sliding)).toBeUndefined();
  });

  it('treats a zero-length span as all of a zero-length parent', () => {
    const child = span('c', 5, 5, 1, 3);
    const parent = span('p', 5, 5, 0, 3);
    const d = spanDetails([child, parent], child, { t0: 0, t1: 10 }, 0);
    expect([d.parent?.share, d.turn.share]).toEqual([1, 1]);
  });
});

describe('formatting', () => {
  it('writes ms with the precision a span time needs, and shares as percentages', () => {
    expect([ms(1234.567), ms(12.345), ms(0.0123), ms(0)]).toEqual(['1234.6 ms', '12.35 ms', '0.012 ms', '0.000 ms']);
    expect([pct(0.6), pct(1 / 3), pct(1)]).toEqual(['60.0%', '33.3%', '100.0%']);
  });
});
