import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, EvictionEvent } from '../../shared/protocol.js';
import { createEngine } from '../engine.js';
import { testTokenizer } from '../testing/testTokenizer.js';
import type { Tokenizer } from '../core/tokenizer.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});

// one distinct topic among many near-duplicate status updates
const repeats = ['The nightly build is green again today.', 'The nightly build is green again, as usual.', 'Nightly build green again today.', 'The nightly build passed and is green again.'];
const unique = 'Our ferry to Lisbon leaves from pier nine at dawn.';

function run(config: { maxPolicyMs?: number; clock?: () => number } = {}) {
  const engine = createEngine({ tokenizer: tok, maxTokens: 220, window: 24, policy: 'semantic', maxPolicyMs: 0, latencyBudget: true, ...config });
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  engine.ingest({ role: 'user', content: unique });
  for (let i = 0; i < 36; i++) engine.ingest({ role: i % 2 ? 'assistant' : 'user', content: repeats[i % 4] });
  return { engine, events, context: engine.renderContext(engine.buildContext()) };
}

describe('semantic policy', () => {
  it('evicts redundant sentences first and keeps the one that stands alone', () => {
    const { context, events } = run();
    expect(context).toContain(unique);
    expect(tok.countTokens(context)).toBeLessThanOrEqual(220);
    const evictions = events.filter((e): e is EvictionEvent => e.type === 'eviction' && e.reason.kind === 'span-value');
    expect(evictions.length).toBeGreaterThan(10);
    for (const e of evictions) {
      expect(e.reason.policy).toBe('semantic');
      expect(e.reason.cluster).toBeGreaterThanOrEqual(0);
      expect(e.preview).toMatch(/ightly build/);
    }
  });

  it('reports clusters with a 2D projection, and embedding-cache hits grow as spans repeat', () => {
    const { events } = run();
    const all = events.filter((e) => e.type === 'spanScores');
    expect(all.every((e) => e.spans.some((s) => s.x !== undefined))).toBe(true); // coordinates carried between refreshes
    const scores = all.filter((e) => e.spans.some((s) => s.x !== undefined)).at(-1)!;
    expect(scores.policy).toBe('semantic');
    expect(scores.spans.every((s) => s.cluster !== undefined)).toBe(true);
    const placed = scores.spans.filter((s) => s.x !== undefined);
    expect(placed.length).toBeGreaterThan(scores.spans.length / 2);
    expect(placed.every((s) => Number.isFinite(s.x) && Number.isFinite(s.y))).toBe(true);
    const reps = scores.spans.filter((s) => s.representative);
    expect(new Set(reps.map((s) => s.cluster)).size).toBe(reps.length); // one per cluster
    const caches = events.filter((e) => e.type === 'embeddingCache');
    expect(caches.length).toBeGreaterThan(3);
    const last = caches.at(-1)!;
    expect(last.embedder).toBe('lexical-hash-256');
    expect(last.hits).toBeGreaterThan(last.misses);
  });
  it('embeds each span once: cache lookups follow new spans, not the window size', () => {
    const { events } = run();
    const last = events.filter((e) => e.type === 'embeddingCache').at(-1)!;
    const scored = events.filter((e) => e.type === 'spanScores').reduce((n, e) => n + e.spans.length, 0);
    expect(last.hits + last.misses).toBeLessThan(scored / 3);
  });

  it('stops inside clustering when the latency budget runs out, keeps its progress, and stays under budget', () => {
    // a fake clock that advances 1 ms per reading: a budget of a few ms runs out between k-means steps
    const [tiny, ...small] = [2, 8, 16].map((maxPolicyMs) => {
      let now = 0;
      const { events, context } = run({ maxPolicyMs, clock: () => now++ });
      expect(tok.countTokens(context)).toBeLessThanOrEqual(220);
      const steps = events.flatMap((e) => (e.type === 'warning' && e.code === 'policy-fallback' ? [e.message] : []));
      return {
        clustering: steps.filter((m) => m.includes('(clustering)')).length,
        spanValue: events.filter((e) => e.type === 'eviction' && e.reason.kind === 'span-value').length,
      };
    });
    // every call overran inside clustering, and sliding finished each turn
    expect(tiny.clustering).toBeGreaterThan(0);
    expect(tiny.spanValue).toBe(0);
    // the cold run (20 steps) overran; warm calls (3 steps from the centroids it kept) then fit
    expect(small.some((b) => b.clustering > 0 && b.spanValue > 0)).toBe(true);
  });
});
