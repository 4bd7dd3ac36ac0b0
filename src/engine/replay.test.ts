import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from './engine.js';
import { replayMessages, replayMessagesYielding } from './replay.js';
import type { Tokenizer } from './core/tokenizer.js';
import { syntheticChat } from './testing/syntheticChat.js';
import { testTokenizer } from './testing/testTokenizer.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});

const messages = [...syntheticChat({ seed: 3, turns: 24 }), { role: 'user' as const, content: 'What did Kenji say about the March 3 report?' }];
/** Hybrid under the default 25 ms latency budget. */
const config = { policy: 'hybrid', maxTokens: 400, window: 32, maxPolicyMs: 25 };
/** A stalled machine: every clock reading is 30 ms after the last, so every policy call that checks its deadline overruns. */
const stalled = (): (() => number) => {
  let t = 0;
  return () => (t += 30);
};

/** Ingests messages into an engine, collecting the turns of its `policy-fallback` warnings. */
function ingestAll(engine: ReturnType<typeof createEngine>, msgs: typeof messages): number[] {
  const turns: number[] = [];
  const stop = engine.subscribe((e) => {
    if (e.type === 'warning' && e.code === 'policy-fallback') turns.push(e.turn);
  });
  for (const m of msgs) engine.ingest(m);
  stop();
  return turns;
}

describe('replays are deterministic: the latency budget guards live turns only', () => {
  it('a slow policy falls back in live turns, not in a replay; a replay that opts in lists the turns it fell back on', () => {
    // live turns: the engine the host's session and fms chat make, with the budget on
    const live = createEngine({ tokenizer: tok, ...config, clock: stalled(), latencyBudget: true });
    const liveTurns = ingestAll(live, messages);
    expect(live.stats().fallbackCount).toBeGreaterThan(0);

    // a replay on the stalled clock is the replay on the real one: no fallback, same context
    const steady = replayMessages(messages, tok, config);
    const slow = replayMessages(messages, tok, config, { clock: stalled() });
    expect([slow.latencyBudget, slow.fallbacks, slow.stats.fallbackCount]).toEqual([false, [], 0]);
    expect([slow.context, slow.contextTokensEngine, slow.evictions.length]).toEqual([steady.context, steady.contextTokensEngine, steady.evictions.length]);

    // opted in, the replay runs as the live turns did and lists the turns that fell back
    const opted = replayMessages(messages, tok, config, { clock: stalled(), latencyBudget: true });
    expect(opted.latencyBudget).toBe(true);
    expect(opted.fallbacks).toEqual([...new Set(liveTurns)].sort((a, b) => a - b));
    expect(opted.fallbacks.length).toBeGreaterThan(0);
    expect(opted.stats.fallbackCount).toBe(live.stats().fallbackCount);
    expect(opted.contextTokensEngine).toBe(live.buildContext().tokens);
  });

  it('setLatencyBudget guards the calls that follow; maxPolicyMs 0 never falls back', () => {
    const engine = createEngine({ tokenizer: tok, ...config, clock: stalled() });
    expect(engine.latencyBudget).toBe(false);
    expect(ingestAll(engine, messages.slice(0, 20))).toEqual([]);
    engine.setLatencyBudget(true);
    const after = ingestAll(engine, messages.slice(20));
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(engine.messages()[20].turn);
    const none = replayMessages(messages, tok, { ...config, maxPolicyMs: 0 }, { clock: stalled(), latencyBudget: true });
    expect(none.fallbacks).toEqual([]);
  });
});

describe('what a replay collects', () => {
  it('without eviction events or turn records, counts and results are the same; only the collected lists are empty', () => {
    const full = replayMessages(messages, tok, config);
    const lean = replayMessages(messages, tok, config, { keep: { evictions: false, dump: false } });
    expect(full.evictions.length).toBeGreaterThan(0);
    expect(full.dump.length).toBeGreaterThan(0);
    expect([lean.evictions, lean.dump]).toEqual([[], []]);
    expect(lean.evictionCount).toBe(full.evictions.length);
    expect(full.evictionCount).toBe(full.evictions.length);
    const figures = (r: typeof full) => [r.context, r.contextTokens, r.contextTokensEngine, r.kept, r.stats.evictions, r.stats.tokensEvicted, r.stats.tokensRetained, r.turns.map((t) => t.contextTokens)];
    expect(figures(lean)).toEqual(figures(full));
  });
});

describe('a replay that hands the event loop back', () => {
  it('gives the same result as the plain replay, and stops between messages when its signal says so', async () => {
    const tok = await testTokenizer();
    const chat = [...syntheticChat({ seed: 4, turns: 40 }), { role: 'user' as const, content: 'And the March 3 report?' }];
    const config = { policy: 'salience', maxTokens: 400, window: 64 };
    const plain = replayMessages(chat, tok, config, { keep: { evictions: false, dump: false } });
    const yielding = await replayMessagesYielding(chat, tok, config, { keep: { evictions: false, dump: false }, yieldEvery: 7 });
    const untimed = (r: typeof plain) => ({ context: r.context, contextTokens: r.contextTokens, evictions: r.evictionCount, stats: { ...r.stats, policyLatencyMs: 0, policyLatencyMsTotal: 0, anchorCacheHits: 0, anchorCacheMisses: 0 } }); // the anchor cache is shared between engines: the second replay finds it warm
    expect(untimed(yielding!)).toEqual(untimed(plain));
    const abort = new AbortController();
    abort.abort();
    expect(await replayMessagesYielding(chat, tok, config, { yieldEvery: 7, signal: abort.signal })).toBeUndefined();
  });
});
