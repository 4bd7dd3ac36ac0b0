import { describe, expect, it } from 'vitest';
import type { EvictionEvent, RecallEvent } from '../../shared/protocol';
import { EvictionRing } from '../../shared/view/evictionRing.js';
import { filterOptions, kindOf, matchingRows, policyOf, shownText } from './evictionLogRows';

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

  it('says when the log has dropped its oldest rows', () => {
    expect(shownText(3, false, { size: 3, total: 3, dropped: 0 })).toBe('3 shown, newest first');
    expect(shownText(5000, false, { size: 5000, total: 12345, dropped: 7345 })).toBe('showing the newest 5,000 of 12,345 rows, newest first');
    expect(shownText(12, true, { size: 5000, total: 12345, dropped: 7345 })).toBe('12 shown from the newest 5,000 of 12,345 rows, newest first');
  });
});
