import { describe, expect, it } from 'vitest';
import type { ContextSegment, MessageData } from '../../shared/protocol';
import { diffContexts } from './whatIfDiff';

const seg = (messageId: number, from: number, to: number): ContextSegment => ({ messageId, from, to, role: 'user', pinned: false });
const msg = (id: number): MessageData => ({ id, role: 'user', content: `m${id}`, turn: id, pinned: false, tokens: 100, startPos: id * 100 });

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
  });
});
