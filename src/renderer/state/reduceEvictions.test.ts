import { beforeEach, describe, expect, it } from 'vitest';
import type { EventBatch, EvictionEvent, HostEvent, RecallEvent } from '../../shared/protocol.js';
import { applyBatch } from './applyBatch.js';
import { EVICTION_LOG_CAP, EvictionRing } from '../../shared/view/evictionRing.js';
import { emptyEvictions, evictionStore } from './stores.js';

const budget = { maxTokens: 100, usedBefore: 103, usedAfter: 100 };
let seq = 0;
const eviction = (tokens = 3): EvictionEvent => ({ type: 'eviction', turn: 1, seq: seq++, startPos: 0, endPos: tokens, tokens, ranges: [{ messageId: seq % 4, from: 0, to: tokens }], preview: 'p', reason: { policy: 'sliding', kind: 'budget', detail: 'd', budget } });
const recall = (): RecallEvent => ({ type: 'recall', turn: 1, seq: seq++, query: 'q', tokens: 2, spans: [], budget });
const apply = (events: HostEvent[], sentAt = 1000) => {
  const batch: EventBatch = { type: 'batch', seq: 0, events, merged: 0, sentAt };
  applyBatch(batch, { saveText: () => {} });
};

describe('the eviction log in the store', () => {
  beforeEach(() => {
    seq = 0;
    evictionStore.setState(emptyEvictions());
  });

  it('pushes into the same ring each batch (no copy of the log) and bumps the version', () => {
    const ring = new EvictionRing(3);
    evictionStore.setState({ log: ring });
    const versions: number[] = [];
    const unsub = evictionStore.subscribe((s) => versions.push(s.version));
    apply([eviction(), eviction()]);
    apply([eviction(), recall(), eviction()]);
    unsub();
    expect(evictionStore.getState().log).toBe(ring);
    expect(versions).toEqual([1, 2]); // one set per batch
    expect([ring.size, ring.total, ring.dropped]).toEqual([3, 5, 2]);
    expect(ring.toArray().map((r) => r.seq)).toEqual([2, 3, 4]);
  });

  it('keeps the newest EVICTION_LOG_CAP rows, with exact totals beyond them', () => {
    const ring = evictionStore.getState().log;
    for (let b = 0; b < 25; b++) apply(Array.from({ length: 500 }, () => eviction(2)), b);
    apply([recall()]);
    const state = evictionStore.getState();
    expect(state.log).toBe(ring);
    expect(ring.size).toBe(EVICTION_LOG_CAP);
    expect(ring.total).toBe(12_501);
    expect(state.evictedTokens).toBe(25_000); // every eviction counted, dropped rows included
    expect(ring.newest(0)?.type).toBe('recall');
    expect(ring.newest(EVICTION_LOG_CAP - 1)?.seq).toBe(12_501 - EVICTION_LOG_CAP);
    expect(ring.timeOfNewest(1)).toBe(24);
    expect(state.byMessage[1].length / 3).toBe(3125); // per-message ranges are not capped: the map needs them all
  });

  it('adds to the same per-message maps each batch (no copy of them), the triples of a message grown in place', () => {
    const summarized = (messageId: number): EvictionEvent => ({ ...eviction(4), ranges: [{ messageId, from: 0, to: 4 }], reason: { policy: 'rolling_summary', kind: 'summarized', detail: 'd', budget } });
    const summary: HostEvent = { type: 'summary', turn: 1, seq: 99, messageId: 9, startPos: 0, endPos: 4, sourceTokens: 4, tokens: 2, method: 'extractive', gate: { threshold: 1, checked: 0, found: 0, missing: [], passed: true }, text: 's', budget };
    apply([eviction(), summarized(2)]);
    const first = evictionStore.getState();
    const { byMessage, summarized: folded, summaries, log } = first;
    const triples = byMessage[1];
    apply([eviction(), summarized(2), summary]);
    apply([eviction(), eviction()]);
    const state = evictionStore.getState();
    expect(state).not.toBe(first); // a new state object per batch, so subscribers run
    expect(state.log).toBe(log);
    expect(state.byMessage).toBe(byMessage);
    expect(state.summarized).toBe(folded);
    expect(state.summaries).toBe(summaries);
    expect(state.byMessage[1]).toBe(triples);
    expect(triples).toEqual([0, 3, 0, 0, 3, 4]); // seqs 0 and 4 (the helper evicts from message (seq + 1) % 4)
    expect(folded[2]).toEqual([0, 4, 1, 0, 4, 3]);
    expect(summaries[9]).toBe(summary);
    expect([state.version, state.evictedTokens]).toEqual([first.version + 2, 3 * 4 + 2 * 4]);
    apply([{ type: 'sessionLoaded', session: { title: 't', messages: 0, tokenizer: 'q' } as never, messages: [], reason: 'rerun' }]);
    const after = evictionStore.getState();
    expect(after.byMessage).not.toBe(byMessage);
    expect([after.byMessage, after.summarized, after.summaries]).toEqual([{}, {}, {}]);
    expect(byMessage[1]).toBe(triples); // the old session's maps are left alone
  });

  it('starts a new log when another session loads, and leaves stores alone for batches without log events', () => {
    apply([eviction()]);
    const before = evictionStore.getState();
    apply([{ type: 'warning', turn: 1, code: 'policy-fallback', message: 'w' }]);
    expect(evictionStore.getState()).toBe(before);
    apply([{ type: 'sessionLoaded', session: { title: 't', messages: 0, tokenizer: 'q' } as never, messages: [], reason: 'new' }]); // the session's fields do not matter here
    const after = evictionStore.getState();
    expect(after.log).not.toBe(before.log);
    expect([after.log.total, after.evictedTokens, after.version]).toEqual([0, 0, before.version + 1]);
  });
});
