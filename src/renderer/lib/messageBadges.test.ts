import { describe, expect, it } from 'vitest';
import type { MessageData, SummaryEvent } from '../../shared/protocol';
import { messageBadges, type MessageFacts } from './messageBadges';

const msg = (patch: Partial<MessageData> = {}): MessageData => ({ id: 1, role: 'user', content: 'x', turn: 1, pinned: false, tokens: 10, startPos: 0, ...patch });
const facts = (patch: Partial<MessageFacts> = {}): MessageFacts => ({ out: 0, summarized: 0, recalled: false, ...patch });
const labels = (m: MessageData, f: MessageFacts) => messageBadges(m, f).map((b) => b.label);
const gate = { threshold: 1, checked: 3, found: 3, missing: [], passed: true };
const summary: SummaryEvent = { type: 'summary', turn: 4, seq: 9, messageId: 7, startPos: 20, endPos: 300, sourceTokens: 200, tokens: 40, method: 'extractive', gate, text: 't', budget: { maxTokens: 512, usedBefore: 520, usedAfter: 400 } };

describe('message badges', () => {
  it('shows evicted, partly evicted and recalled as before', () => {
    expect(labels(msg(), facts())).toEqual([]);
    expect(labels(msg({ pinned: true }), facts())).toEqual(['pinned']);
    expect(labels(msg(), facts({ out: 4 }))).toEqual(['partly evicted 4/10']);
    expect(labels(msg(), facts({ out: 10 }))).toEqual(['evicted']);
    expect(labels(msg(), facts({ out: 10, recalled: true }))).toEqual(['recalled']);
  });

  it('shows tokens folded into a summary as summarized, not evicted', () => {
    expect(labels(msg(), facts({ out: 10, summarized: 10 }))).toEqual(['summarized']);
    expect(labels(msg(), facts({ out: 6, summarized: 6 }))).toEqual(['partly summarized 6/10']);
    expect(labels(msg(), facts({ out: 10, summarized: 6 }))).toEqual(['partly summarized 6/10', 'partly evicted 4/10']);
    expect(messageBadges(msg(), facts({ out: 10, summarized: 10 }))[0].tone).toBe('summary');
  });

  it("shows a summary message's method, gate and whether it is the one in the context", () => {
    const m = msg({ id: 7, role: 'system', summary: true, tokens: 40 });
    expect(labels(m, facts({ inContext: true, summary }))).toEqual(['summary', 'extractive', 'gate 3/3 passed', 'in context']);
    const failed = { ...summary, method: 'model' as const, fallback: 'x', gate: { ...gate, found: 1, passed: false, missing: ['7719', 'Ines'] } };
    const badges = messageBadges(m, facts({ out: 40, summarized: 40, summary: failed }));
    expect(badges.map((b) => b.label)).toEqual(['summary', 'model (fallback)', 'gate 1/3 failed', 'superseded']);
    expect(badges[2]).toMatchObject({ tone: 'bad', title: expect.stringContaining('missing: 7719, Ines') });
    expect(labels(m, facts())).toEqual(['summary']); // before its event arrives (e.g. after a reconnect)
  });
});
