import { describe, expect, it } from 'vitest';
import type { ContextBuiltEvent, MessageData } from '../../shared/protocol';
import { firstEvictions, runAt, seqsOf, tokenRuns } from '../../shared/view/tokenStates.js';
import { anchorPosition } from './contextMapLayout';

const msg = (id: number, startPos: number, tokens: number, patch: Partial<MessageData> = {}): MessageData => ({ id, role: 'user', content: `m${id}`, turn: 1, pinned: false, tokens, startPos, ...patch });

describe('context map layout', () => {
  // 0: pinned system [0,10); 1: user [10,40); 2: assistant [40,60); 3: summary standing in from position 10; 4: user [60,80)
  const messages = [msg(0, 0, 10, { role: 'system', pinned: true }), msg(1, 10, 30), msg(2, 40, 20), msg(3, 10, 12, { role: 'system', summary: true }), msg(4, 60, 20)];
  const byMessage = { 1: [0, 30, 5, 0, 30, 8], 2: [0, 5, 6, 5, 20, 7], 3: [0, 12, 9] };
  const summarized = { 1: [0, 30, 5], 2: [0, 5, 6], 3: [0, 12, 9] };

  it('leaves summary messages out of the position strip, and marks summarized runs', () => {
    const runs = tokenRuns(messages, byMessage, seqsOf(summarized));
    expect(runs.map((r) => [r.messageId, r.start, r.end, r.state])).toEqual([
      [0, 0, 10, 'pinned'],
      [1, 10, 40, 'summarized'], // the later recall-expired eviction of the same span (seq 8) does not overlap it
      [2, 40, 45, 'summarized'],
      [2, 45, 60, 'evicted'],
      [4, 60, 80, 'window'],
    ]);
    for (let i = 1; i < runs.length; i++) expect(runs[i].start).toBeGreaterThanOrEqual(runs[i - 1].end);
    expect(runAt(runs, 12)?.messageId).toBe(1);
    expect(seqsOf(summarized)).toEqual(new Set([5, 6, 9]));
  });

  it('gives each token the first eviction that took it, whatever the order of the ranges', () => {
    // evicted in three parts, then recalled and evicted again as other, wider spans
    const ranges = [0, 2, 26, 2, 18, 27, 18, 80, 28, 0, 18, 152, 18, 29, 56, 63, 90, 58];
    expect(firstEvictions(ranges)).toEqual([
      [0, 2, 26],
      [2, 18, 27],
      [18, 80, 28],
      [80, 90, 58],
    ]);
    expect(firstEvictions([])).toEqual([]);
  });

  it('puts the sentence anchor on the first conversation tokens of the context, not on the summary', () => {
    const context: ContextBuiltEvent = {
      type: 'contextBuilt',
      turn: 3,
      tokens: 60,
      maxTokens: 100,
      startsAtSentence: true,
      ms: 0,
      segments: [
        { messageId: 0, from: 0, to: 10, role: 'system', pinned: true },
        { messageId: 3, from: 0, to: 12, role: 'system', pinned: false, summary: true },
        { messageId: 4, from: 2, to: 20, role: 'user', pinned: false },
      ],
    };
    expect(anchorPosition(context, messages)).toBe(62);
  });
});
