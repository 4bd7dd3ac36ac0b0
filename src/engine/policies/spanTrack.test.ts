import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../engine.js';
import { FLAG_SENTENCE_START } from '../core/tokenRing.js';
import type { Tokenizer } from '../core/tokenizer.js';
import { syntheticChat } from '../testing/syntheticChat.js';
import { testTokenizer } from '../testing/testTokenizer.js';
import { sentenceSpans } from './spanValue.js';
import { SpanTrack } from './spanTrack.js';
import type { PolicyContext } from './types.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});

const WINDOW = 48;

/** A policy context over an engine's ledger, enough for the tracker. */
function contextOf(engine: ReturnType<typeof createEngine>): PolicyContext {
  return { ledger: engine.ledger, window: WINDOW, timeUp: () => false, decode: (ids: ArrayLike<number>) => tok.decode(ids), factValue: () => 0, state: new Map() } as unknown as PolicyContext;
}

/** The spans a full scan of the window finds, as [startPos, endPos) pairs. */
function fullScan(ctx: PolicyContext): number[][] {
  const ring = ctx.ledger.window;
  let limit = ring.length - WINDOW;
  while (limit > 0 && !(ring.flags(limit) & FLAG_SENTENCE_START)) limit--;
  return limit > 0 ? sentenceSpans(ring, limit).map((sp) => [ring.pos(sp.from), ring.pos(sp.to - 1) + 1]) : [];
}

const tracked = (t: SpanTrack): number[][] => {
  // the columns say what the span objects say, entry for entry
  const n = t.spans.length;
  expect(Array.from(t.sal.subarray(0, n))).toEqual(t.spans.map((sp) => sp.sal));
  expect(Array.from(t.tokens.subarray(0, n))).toEqual(t.spans.map((sp) => sp.tokens));
  expect(Array.from(t.startPos.subarray(0, n))).toEqual(t.spans.map((sp) => sp.startPos));
  expect(Array.from(t.msg.subarray(0, n))).toEqual(t.spans.map((sp) => sp.msg));
  return t.spans.map((sp) => [sp.startPos, sp.endPos]);
};

describe('SpanTrack', () => {
  it('keeps the spans a full scan finds through appends and front evictions, decoding each span once', () => {
    const engine = createEngine({ tokenizer: tok, maxTokens: 600, window: WINDOW, policy: 'sliding', recall: false });
    const ctx = contextOf(engine);
    const track = new SpanTrack();
    const seen = new Set<number>();
    let made = 0;
    for (const m of syntheticChat({ seed: 3, turns: 60 })) {
      engine.ingest(m);
      track.sync(ctx);
      expect(tracked(track)).toEqual(fullScan(ctx));
      for (const sp of track.spans) {
        if (seen.has(sp.key)) continue;
        seen.add(sp.key);
        made++;
      }
    }
    expect(track.rebuilds).toBe(0);
    expect(made).toBeGreaterThan(50);
  });

  it('follows its own middle evictions, and rebuilds when another path evicted from the middle', () => {
    const engine = createEngine({ tokenizer: tok, maxTokens: 100_000, window: WINDOW, policy: 'sliding', recall: false });
    const ctx = contextOf(engine);
    const track = new SpanTrack();
    for (const m of syntheticChat({ seed: 4, turns: 40 })) engine.ingest(m);
    track.sync(ctx);
    expect(track.spans.length).toBeGreaterThan(256); // the columns grew past their first size
    // evict every third span through the ledger and tell the tracker
    const keep = new Uint8Array(track.spans.length).map((_v, k) => (k % 3 === 1 ? 0 : 1));
    const ranges: { from: number; to: number }[] = [];
    let from = 0;
    track.spans.forEach((sp, k) => {
      if (!keep[k]) ranges.push({ from, to: from + sp.tokens });
      from += sp.tokens;
    });
    for (const r of ranges) engine.ledger.releaseRange(r.from, r.to);
    engine.ledger.compact(ranges);
    track.remove(keep);
    expect(tracked(track).length).toBe(keep.reduce((a, b) => a + b, 0));
    for (const m of syntheticChat({ seed: 5, turns: 3 })) engine.ingest(m);
    track.sync(ctx);
    expect(track.rebuilds).toBe(0);
    expect(tracked(track)).toEqual(fullScan(ctx));
    // a middle eviction the tracker was not told about: the check sees it and rebuilds
    engine.ledger.releaseRange(5, 9);
    engine.ledger.compact([{ from: 5, to: 9 }]);
    track.sync(ctx);
    expect(track.rebuilds).toBe(1);
    expect(tracked(track)).toEqual(fullScan(ctx));
  });

  it('gives every span policy the same final context on a replay of the same chat', () => {
    const chat = syntheticChat({ seed: 6, turns: 80 });
    for (const policy of ['salience', 'importance', 'semantic', 'rolling_summary', 'hybrid']) {
      const run = (): string => {
        const engine = createEngine({ tokenizer: tok, maxTokens: 700, window: WINDOW, policy, recall: false });
        for (const m of chat) engine.ingest(m);
        return engine.renderContext(engine.buildContext());
      };
      expect(run()).toBe(run());
    }
  });
});

describe('hybrid uniqueness on a schedule', () => {
  it('replays to the same context with more candidates than one call refreshes', () => {
    const chat = syntheticChat({ seed: 8, turns: 260, sentencesPerMessage: 6 });
    const run = (): string => {
      const engine = createEngine({ tokenizer: tok, maxTokens: 6000, window: WINDOW, policy: 'hybrid', recall: false });
      for (const m of chat) engine.ingest(m);
      return engine.renderContext(engine.buildContext());
    };
    expect(run()).toBe(run());
  });
});

describe('semantic representatives on a schedule', () => {
  it('replays to the same context with more candidates than one call refreshes', () => {
    const chat = syntheticChat({ seed: 9, turns: 260, sentencesPerMessage: 6 });
    const run = (): string => {
      const engine = createEngine({ tokenizer: tok, maxTokens: 6000, window: WINDOW, policy: 'semantic', recall: false });
      for (const m of chat) engine.ingest(m);
      return engine.renderContext(engine.buildContext());
    };
    expect(run()).toBe(run());
  });
});
