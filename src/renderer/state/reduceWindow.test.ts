import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config.js';
import type { EventBatch, HostEvent } from '../../shared/protocol.js';
import { applyBatch } from './applyBatch.js';
import { WINDOW_SERIES_CAP, windowStore } from './stores.js';
import { emptySnapshot } from '../../shared/view/snapshot.js';

const config = { ...DEFAULT_CONFIG, policy: 'sliding', maxTokens: 100, window: 10, pinSystem: true };
const session = { title: 't', messages: 0, config, tokenizer: 'qwen3' };
const byRole = { system: 0, user: 20, assistant: 30, tool: 0 };
const apply = (events: HostEvent[]) => applyBatch({ type: 'batch', seq: 0, events, merged: 0, sentAt: 1000 } satisfies EventBatch, { saveText: () => {} });
const stats = (turn: number): HostEvent => ({
  type: 'stats',
  stats: { tokensSeen: turn, tokensRetained: 1, tokensPinned: 0, tokensEvicted: 0, evictions: 0, compressionRatio: 1, policyLatencyMs: 0, policyLatencyMsTotal: 0, policyCalls: turn, fallbackCount: 0, anchorCacheHits: 3 * turn, anchorCacheMisses: turn, contextBuilds: turn, turns: turn },
  turn: { turn, tokensIn: 1, tokenizeMs: 0, policyMs: 0, buildMs: 0, engineMs: 0, evictedTokens: 0, evictionEvents: 0, contextTokens: 50, used: 50 },
  byRole,
});
const turns = (from: number, n: number) => Array.from({ length: n }, (_, i) => stats(from + i));

describe('the per-turn series in the window store', () => {
  beforeEach(() => apply([{ type: 'helloAck', protocolVersion: 1, host: 'h', session, snapshot: emptySnapshot(), backend: { kind: 'none' } }]));

  it('pushes each turn into the same rings, keeps the newest WINDOW_SERIES_CAP, and bumps the version once per batch', () => {
    const { history, turns: stats, anchorHistory, seriesVersion } = windowStore.getState();
    const versions: number[] = [];
    const unsub = windowStore.subscribe((s) => versions.push(s.seriesVersion));
    const n = WINDOW_SERIES_CAP + 1000;
    for (let b = 0; b < n / 1000; b++) apply(turns(b * 1000 + 1, 1000));
    apply([{ type: 'windowSnapshot', turn: n, maxTokens: 100, used: 50, pinned: 0, retained: 50, recalled: 0, byRole, windowStartPos: 0, endPos: 50 }]);
    unsub();
    const state = windowStore.getState();
    expect(state.history).toBe(history);
    expect(state.turns).toBe(stats);
    expect(state.anchorHistory).toBe(anchorHistory);
    expect(versions).toEqual([1, 2, 3, 4, 5, 6, 6].map((v) => seriesVersion + v)); // a snapshot alone leaves the series
    expect([history.size, history.total, history.oldest(0)?.turn, history.newest(0)]).toEqual([WINDOW_SERIES_CAP, n, 1001, { turn: n, used: 50, maxTokens: 100, ...byRole }]);
    expect([stats.size, stats.newest(0)?.turn]).toEqual([WINDOW_SERIES_CAP, n]);
    expect(anchorHistory.newest(0)).toEqual({ turn: n, hits: 3 * n, misses: n, hitRate: 75 });
  });

  it('starts new series when another session loads', () => {
    apply(turns(1, 3));
    const before = windowStore.getState();
    apply([{ type: 'sessionLoaded', session, messages: [], reason: 'rerun' }, stats(1)]);
    const after = windowStore.getState();
    expect(after.history).not.toBe(before.history);
    expect(after.turns).not.toBe(before.turns);
    expect(after.anchorHistory).not.toBe(before.anchorHistory);
    expect([after.history.total, after.anchorHistory.newest(0)?.hitRate, after.seriesVersion]).toEqual([1, 75, before.seriesVersion + 1]);
    expect(before.history.total).toBe(3); // the old session's rings are left alone
  });
});
