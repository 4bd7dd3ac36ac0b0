import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EvictionEvent, RecallEvent } from '../../shared/protocol';
import { EvictionRing } from '../../shared/view/evictionRing.js';
import { filterOptions, kindOf, matchingRows, policyOf, rowsInView, shownText, supersededBy, toneOf } from './evictionLogRows';

const budget = { maxTokens: 100, usedBefore: 101, usedAfter: 100 };
const eviction = (seq: number, kind: EvictionEvent['reason']['kind']): EvictionEvent => ({ type: 'eviction', turn: 1, seq, startPos: 0, endPos: 1, tokens: 1, ranges: [], preview: '', reason: { policy: 'sliding', kind, detail: '', budget } });
const recall = (seq: number): RecallEvent => ({ type: 'recall', turn: 1, seq, query: 'q', tokens: 1, spans: [], budget });

describe('eviction log rows', () => {
  const log = new EvictionRing(4);
  for (const r of [eviction(0, 'budget'), recall(1), eviction(2, 'sentence-align'), eviction(3, 'budget'), recall(4), eviction(5, 'budget')]) log.push(r, 0);

  it('lists the reasons and policies of the kept rows', () => {
    expect(filterOptions(log)).toEqual({ kinds: ['budget', 'recall', 'sentence-align'], policies: ['recall', 'sliding'] });
  });

  it('lists them incrementally, the same as a walk of the kept rows, and drops a reason whose rows all left', () => {
    const walk = (l: EvictionRing) => {
      const rows = Array.from({ length: l.size }, (_, i) => l.newest(i)!);
      return { kinds: [...new Set(rows.map(kindOf))].sort(), policies: [...new Set(rows.map(policyOf))].sort() };
    };
    const ring = new EvictionRing(5);
    const kinds = ['budget', 'sentence-align', 'span-value'] as const;
    let seq = 0;
    for (let step = 0; step < 60; step++) {
      // batches of 0-7 rows, sometimes more than the ring keeps between two calls
      for (let k = 0; k < (step * 7) % 8; k++, seq++) ring.push(seq % 11 === 0 ? recall(seq) : eviction(seq, step < 30 ? kinds[seq % 3] : 'budget'), 0);
      expect(filterOptions(ring)).toEqual(walk(ring));
    }
    expect(filterOptions(ring).kinds).not.toContain('sentence-align'); // none kept since step 30
    expect(filterOptions(new EvictionRing(4))).toEqual({ kinds: [], policies: [] });
  });

  it('filters kept rows to newest-first positions, and lists nothing when unfiltered', () => {
    expect(matchingRows(log, { kind: 'all', policy: 'all' })).toBeUndefined();
    expect(matchingRows(log, { kind: 'budget', policy: 'all' })?.map((i) => log.newest(i)!.seq)).toEqual([5, 3]);
    expect(matchingRows(log, { kind: 'all', policy: 'recall' })?.map((i) => log.newest(i)!.seq)).toEqual([4]);
  });

  it('gives superseded facts their own reason, colour and filter', () => {
    const ring = new EvictionRing(8);
    const gone = { ...eviction(1, 'superseded'), reason: { ...eviction(1, 'superseded').reason, detail: 'superseded by #12' } };
    for (const r of [eviction(0, 'budget'), gone, recall(2), eviction(3, 'summarized')]) ring.push(r, 0);
    expect(filterOptions(ring).kinds).toEqual(['budget', 'recall', 'summarized', 'superseded']);
    expect(matchingRows(ring, { kind: 'superseded', policy: 'all' })?.map((i) => ring.newest(i)!.seq)).toEqual([1]);
    expect(kindOf(gone)).toBe('superseded');
    expect(toneOf(gone)).toBe('superseded');
    expect(toneOf(eviction(0, 'budget'))).toBeUndefined();
    expect(toneOf(recall(2))).toBe('recalled');
    expect(supersededBy(gone)).toBe(12);
    expect(supersededBy({ ...gone, reason: { ...gone.reason, detail: 'forgotten by the user' } })).toBeUndefined();
    expect(supersededBy(eviction(0, 'budget'))).toBeUndefined();
  });

  it('says when the log has dropped its oldest rows', () => {
    expect(shownText(3, false, { size: 3, total: 3, dropped: 0 })).toBe('3 shown, newest first');
    expect(shownText(5000, false, { size: 5000, total: 12345, dropped: 7345 })).toBe('showing the newest 5,000 of 12,345 rows, newest first');
    expect(shownText(12, true, { size: 5000, total: 12345, dropped: 7345 })).toBe('12 shown from the newest 5,000 of 12,345 rows, newest first');
  });
});

describe('rowsInView', () => {
  const view = { row: 48, height: 300, overscan: 2, focused: false };
  it('renders just the rows in sight at the top of the list, and the overscan once scrolled or focused', () => {
    expect(rowsInView(0, 5000, view)).toEqual({ from: 0, to: 7 }); // rows 0-6: 0..336 px covers 0..300
    expect(rowsInView(0, 5000, { ...view, focused: true })).toEqual({ from: 0, to: 9 });
    expect(rowsInView(24, 5000, view)).toEqual({ from: 0, to: 9 });
    expect(rowsInView(480, 5000, view)).toEqual({ from: 8, to: 19 });
    expect(rowsInView(0, 3, view)).toEqual({ from: 0, to: 3 });
    expect(rowsInView(0, 0, view)).toEqual({ from: 0, to: 0 });
  });

  it('covers every row the box shows, whatever the scroll', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100_000 }), fc.integer({ min: 0, max: 3000 }), fc.boolean(), (scroll, count, focused) => {
        const { from, to } = rowsInView(scroll, count, { ...view, focused });
        for (let at = 0; at < count; at++) {
          const inSight = at * view.row < scroll + view.height && (at + 1) * view.row > scroll;
          if (inSight) expect(at >= from && at < to).toBe(true);
        }
        expect(to - from).toBeLessThanOrEqual(Math.ceil(view.height / view.row) + 1 + 2 * view.overscan);
      }),
      { numRuns: 200 },
    );
  });
});
