import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../shared/protocol.js';
import { createEngine } from '../engine.js';
import type { Tokenizer } from '../core/tokenizer.js';
import { syntheticChat } from '../testing/syntheticChat.js';
import { testTokenizer } from '../testing/testTokenizer.js';
import { EXACT_SPANS, LOW_WATER_SHARE, lowWaterMargin, SPARE_SHARE } from './spanValue.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});

const MAX = 6000;

/**
 * A 400-turn chat through `policy` at MAX, recall off: its events, the messages after the budget first
 * filled (each one a policy call) and how many of them evicted; the budget line holds throughout.
 */
function replay(policy: string): { events: EngineEvent[]; calls: number; evicting: number } {
  const engine = createEngine({ tokenizer: tok, maxTokens: MAX, window: 128, policy, recall: false });
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  let calls = 0;
  let evicting = 0;
  let full = false;
  for (const m of syntheticChat({ seed: 5, turns: 400, sentencesPerMessage: 6 })) {
    const before = engine.stats().evictions;
    engine.ingest(m);
    if (full) {
      calls++;
      if (engine.stats().evictions > before) evicting++;
    }
    full ||= engine.stats().evictions > 0;
  }
  for (const e of events) if (e.type === 'windowSnapshot') expect(e.used).toBeLessThanOrEqual(MAX);
  return { events, calls, evicting };
}

describe('low-water margin', () => {
  it('is no margin up to EXACT_SPANS candidates, budget/16 past them, at most 1/8 of the candidates', () => {
    expect(lowWaterMargin(4096, EXACT_SPANS, 4000)).toBe(0);
    expect(lowWaterMargin(8192, EXACT_SPANS + 1, 8000)).toBe(8192 * LOW_WATER_SHARE);
    expect(lowWaterMargin(8192, EXACT_SPANS + 1, 1600)).toBe(200);
  });

  // rolling_summary is left out: its summaries take the oldest half every summaryInterval tokens, so its
  // knapsack between summaries rarely sees more than EXACT_SPANS candidates
  for (const policy of ['salience', 'importance', 'semantic', 'hybrid']) {
    it(`${policy}: past ${EXACT_SPANS} candidates a call also lets go of fact-free spans, and some next turns need no eviction`, () => {
      const { events, calls, evicting } = replay(policy);
      const marked = events.filter((e) => e.type === 'eviction' && e.reason.kind === 'span-value' && /low-water margin \(no facts; 375 tokens let go early/.test(e.reason.detail));
      expect(marked.length).toBeGreaterThan(0);
      // the fact-free spans let go early leave room: some messages fit without evicting
      expect(evicting).toBeLessThan(calls);
      // the margin never takes a span with a fact
      for (const e of marked) expect(e.type === 'eviction' && e.reason.detail).toMatch(/salience 0\.00|cluster/);
    });
  }

  it('hybrid: the margin goes on with the lowest-valued spans up to budget/64, so fewer calls evict; semantic keeps it fact-free', () => {
    const run = (policy: string) => {
      const { events, calls, evicting } = replay(policy);
      const spare = events.filter((e) => e.type === 'eviction' && /low-water margin \(lowest value; \d+ tokens let go early/.test(e.reason.detail));
      return { calls, evicting, spare: spare.length, tokens: spare.map((e) => (e.type === 'eviction' ? Number(/lowest value; (\d+) tokens/.exec(e.reason.detail)?.[1]) : 0)) };
    };
    const hybrid = run('hybrid');
    expect(hybrid.spare).toBeGreaterThan(0);
    for (const t of hybrid.tokens) expect(t).toBeLessThanOrEqual(Math.floor(MAX * SPARE_SHARE));
    // a call lets go of a few messages' worth: most next messages fit without evicting
    expect(hybrid.evicting).toBeLessThan(hybrid.calls / 2);
    expect(run('semantic').spare).toBe(0);
  });

  it('replays to the same context twice (deterministic: token counts, not the clock)', () => {
    const run = (): string => {
      const engine = createEngine({ tokenizer: tok, maxTokens: MAX, window: 128, policy: 'hybrid', recall: false });
      for (const m of syntheticChat({ seed: 9, turns: 300, sentencesPerMessage: 6 })) engine.ingest(m);
      return engine.renderContext(engine.buildContext());
    };
    expect(run()).toBe(run());
  });
});
