import { beforeEach, describe, expect, it } from 'vitest';
import type { EventBatch, HostEvent } from '../../shared/protocol.js';
import { applyBatch } from './applyBatch.js';
import { CACHE_REPORTS_CAP, cacheStore, EMBEDDING_POINTS_CAP, emptyCache } from './stores.js';

const apply = (events: HostEvent[]) => applyBatch({ type: 'batch', seq: 0, events, merged: 0, sentAt: 1000 } satisfies EventBatch, { saveText: () => {} });
const report = (turn: number): HostEvent => ({ type: 'cacheReport', turn, hit: turn % 2 === 0, reusedTokens: turn, recomputedTokens: 1 });
const embedding = (turn: number): HostEvent => ({ type: 'embeddingCache', turn, embedder: 'e', hits: 3 * turn, misses: turn, size: 1 });
const reports = (from: number, n: number) => Array.from({ length: n }, (_, i) => report(from + i));

describe('the cache store', () => {
  beforeEach(() => cacheStore.setState(emptyCache()));

  it('pushes reports into the same ring each batch, keeps the newest CACHE_REPORTS_CAP, and its totals stay exact', () => {
    const { reports: ring, embeddings } = cacheStore.getState();
    const versions: number[] = [];
    const unsub = cacheStore.subscribe((s) => versions.push(s.version));
    const turns = CACHE_REPORTS_CAP + 500;
    for (let b = 0; b < turns / 500; b++) apply(reports(b * 500 + 1, 500));
    unsub();
    const state = cacheStore.getState();
    expect(state.reports).toBe(ring);
    expect(state.embeddings).toBe(embeddings);
    expect(versions).toEqual([1, 2, 3, 4, 5]);
    expect([ring.size, ring.total, ring.oldest(0)?.turn, ring.newest(0)?.turn]).toEqual([CACHE_REPORTS_CAP, turns, 501, turns]);
    // every turn counted, also the 500 the ring dropped: sum of 1..turns reused, one recomputed each
    expect(state.kvTotals).toEqual({ turns, reusedTokens: (turns * (turns + 1)) / 2, recomputedTokens: turns });
  });

  it('gives the totals a new object per batch with reports, so a selector of them sees the change', () => {
    apply([report(1)]);
    const first = cacheStore.getState().kvTotals;
    apply([embedding(1)]);
    expect(cacheStore.getState().kvTotals).toBe(first); // no report: same totals
    apply([report(2)]);
    expect(cacheStore.getState().kvTotals).not.toBe(first);
  });

  it('keeps the newest EMBEDDING_POINTS_CAP embedding points in one ring, each rate from the counters since the previous point', () => {
    const ring = cacheStore.getState().embeddings;
    apply(Array.from({ length: EMBEDDING_POINTS_CAP + 10 }, (_, i) => embedding(i + 1)));
    apply([{ type: 'embeddingCache', turn: 9999, embedder: 'e', hits: 3 * (EMBEDDING_POINTS_CAP + 10), misses: EMBEDDING_POINTS_CAP + 10, size: 1 }]);
    expect(cacheStore.getState().embeddings).toBe(ring);
    expect([ring.size, ring.total]).toEqual([EMBEDDING_POINTS_CAP, EMBEDDING_POINTS_CAP + 11]);
    expect(ring.newest(1)?.hitRate).toBe(75);
    expect(ring.newest(0)?.hitRate).toBe(100); // nothing new since: 100, as before
  });

  it('starts new rings and totals when another session loads, and leaves the store alone for batches without cache events', () => {
    apply([report(1), embedding(1)]);
    const before = cacheStore.getState();
    apply([{ type: 'warning', turn: 1, code: 'policy-fallback', message: 'w' }]);
    expect(cacheStore.getState()).toBe(before);
    apply([{ type: 'sessionLoaded', session: { title: 't', messages: 0, tokenizer: 'q' } as never, messages: [], reason: 'new' }, report(7)]);
    const after = cacheStore.getState();
    expect(after.reports).not.toBe(before.reports);
    expect(after.embeddings).not.toBe(before.embeddings);
    expect(after.reports.toArray().map((r) => r.turn)).toEqual([7]);
    expect(after.kvTotals).toEqual({ turns: 1, reusedTokens: 7, recomputedTokens: 1 });
    expect([after.embeddings.total, after.version]).toEqual([0, before.version + 1]);
    expect(before.reports.total).toBe(1); // the old session's ring is left alone
  });
});
