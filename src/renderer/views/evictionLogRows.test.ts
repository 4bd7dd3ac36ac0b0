import { describe, expect, it } from 'vitest';
import type { EvictionEvent, RecallEvent } from '../../shared/protocol';
import { EvictionRing } from '../../shared/view/evictionRing.js';
import { filterOptions, matchingRows, shownText } from './evictionLogRows';

const budget = { maxTokens: 100, usedBefore: 101, usedAfter: 100 };
const eviction = (seq: number, kind: EvictionEvent['reason']['kind']): EvictionEvent => ({ type: 'eviction', turn: 1, seq, startPos: 0, endPos: 1, tokens: 1, ranges: [], preview: '', reason: { policy: 'sliding', kind, detail: '', budget } });
const recall = (seq: number): RecallEvent => ({ type: 'recall', turn: 1, seq, query: 'q', tokens: 1, spans: [], budget });

describe('eviction log rows', () => {
  const log = new EvictionRing(4);
  for (const r of [eviction(0, 'budget'), recall(1), eviction(2, 'sentence-align'), eviction(3, 'budget'), recall(4), eviction(5, 'budget')]) log.push(r, 0);

  it('lists the reasons and policies of the kept rows', () => {
    expect(filterOptions(log)).toEqual({ kinds: ['sentence-align', 'budget', 'recall'], policies: ['sliding', 'recall'] });
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
