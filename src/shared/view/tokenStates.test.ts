import { describe, expect, it } from 'vitest';
import type { SummaryEvent } from '../protocol.js';
import { summaryInContext } from './tokenStates.js';

const summary = (seq: number, messageId: number): SummaryEvent => ({
  type: 'summary',
  turn: 1,
  seq,
  messageId,
  startPos: 0,
  endPos: 10,
  sourceTokens: 40,
  tokens: 12,
  method: 'extractive',
  gate: { checked: 0, found: 0, missing: [], threshold: 1, passed: true },
  text: 's',
  budget: { maxTokens: 96, usedBefore: 100, usedAfter: 80 },
});

describe('the rolling summary in the context', () => {
  it('is the newest summary, unless its own tokens were evicted since (dropped over budget)', () => {
    const summaries = { 7: summary(3, 7), 9: summary(5, 9) };
    expect(summaryInContext(summaries, {})?.messageId).toBe(9);
    // the older one folded into the newer: the newer is in the context
    expect(summaryInContext(summaries, { 7: [0, 12, 4] })?.messageId).toBe(9);
    // the newest dropped over budget: no summary in the context
    expect(summaryInContext(summaries, { 7: [0, 12, 4], 9: [0, 12, 6] })).toBeUndefined();
    expect(summaryInContext({}, {})).toBeUndefined();
  });
});
