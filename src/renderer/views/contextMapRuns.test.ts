import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageData } from '../../shared/protocol';
import { seqsOf, tokenRuns } from '../../shared/view/tokenStates.js';
import { runsOf } from './contextMapRuns';

const message = (id: number, startPos: number, tokens: number, extra: Partial<MessageData> = {}): MessageData => ({ id, role: 'user', content: '', turn: id, pinned: false, tokens, startPos, ...extra });

describe('runsOf', () => {
  it('lays out what tokenRuns lays out over the whole conversation, as messages and evictions (some into a summary) come between drawings', () => {
    const step = fc.record({
      newMessages: fc.array(fc.record({ tokens: fc.integer({ min: 0, max: 30 }), pinned: fc.boolean(), summary: fc.boolean() }), { maxLength: 4 }),
      evictions: fc.array(fc.record({ message: fc.nat(), from: fc.nat(30), len: fc.integer({ min: 1, max: 12 }), summarized: fc.boolean() }), { maxLength: 4 }),
    });
    fc.assert(
      fc.property(fc.array(step, { maxLength: 12 }), (steps) => {
        const messages: MessageData[] = [];
        const byMessage: Record<number, number[]> = {};
        const summarized: Record<number, number[]> = {};
        let pos = 0;
        let seq = 0;
        for (const s of steps) {
          for (const m of s.newMessages) {
            messages.push(message(messages.length, pos, m.tokens, { pinned: m.pinned, ...(m.summary ? { summary: true } : {}) }));
            if (!m.summary) pos += m.tokens;
          }
          for (const e of s.evictions) {
            if (messages.length === 0) break;
            const m = messages[e.message % messages.length];
            const from = Math.min(e.from, m.tokens);
            const to = Math.min(m.tokens, from + e.len);
            seq++;
            (byMessage[m.id] ??= []).push(from, to, seq);
            if (e.summarized) (summarized[m.id] ??= []).push(from, to, seq);
          }
          expect(runsOf(messages, byMessage, summarized)).toEqual(tokenRuns(messages, byMessage, seqsOf(summarized)));
        }
      }),
    );
  });

  it('starts over with a new session’s maps even when the lengths match', () => {
    const m = message(0, 0, 10);
    expect(runsOf([m], { 0: [0, 5, 1] }, {})).toEqual(tokenRuns([m], { 0: [0, 5, 1] }));
    expect(runsOf([m], { 0: [2, 8, 1] }, {})).toEqual(tokenRuns([m], { 0: [2, 8, 1] }));
  });
});
