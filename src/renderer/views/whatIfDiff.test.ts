import { describe, expect, it } from 'vitest';
import type { ContextSegment, MessageData } from '../../shared/protocol';
import { diffContexts } from './whatIfDiff';

const seg = (messageId: number, from: number, to: number, summary = false): ContextSegment => ({ messageId, from, to, role: summary ? 'system' : 'user', pinned: false, ...(summary ? { summary: true } : {}) });
const msg = (id: number, summary = false): MessageData => ({ id, role: summary ? 'system' : 'user', content: `m${id}`, turn: id, pinned: false, tokens: 100, startPos: id * 100, ...(summary ? { summary: true } : {}) });

describe('what-if diff', () => {
  it('splits kept tokens into A only, B only and both, per message', () => {
    const a = [seg(0, 0, 10), seg(2, 50, 100)];
    const b = [seg(1, 0, 100), seg(2, 20, 100)];
    const d = diffContexts(a, b, [msg(0), msg(1), msg(2)]);
    expect(d.rows.map((r) => [r.messageId, r.onlyA, r.onlyB, r.both])).toEqual([
      [0, 10, 0, 0],
      [1, 0, 100, 0],
      [2, 0, 30, 50],
    ]);
    expect([d.onlyA, d.onlyB, d.both]).toEqual([10, 130, 50]);
    expect(d.aligned).toBe(true);
  });

  it("maps a side's conversation indices to this session's messages when this session has summaries", () => {
    // this session ran rolling_summary: summary #2 sits between conversation messages 1 and 3
    const d = diffContexts([seg(2, 0, 10)], [seg(2, 0, 10)], [msg(0), msg(1), msg(2, true), msg(3)]);
    expect(d.rows.map((r) => [r.messageId, r.preview, r.both])).toEqual([[3, 'm3', 10]]);
  });

  it('gives no per-message diff when a side made summaries (its ids no longer match), but counts the summary', () => {
    const d = diffContexts([seg(0, 0, 10), seg(5, 0, 40, true), seg(6, 0, 20)], [seg(0, 0, 10)], [msg(0), msg(1)]);
    expect(d).toMatchObject({ aligned: false, rows: [], summaryA: 40, summaryB: 0 });
  });
});
