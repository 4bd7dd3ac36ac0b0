import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, EvictionEvent } from '../../shared/protocol.js';
import { createEngine } from '../engine.js';
import { testTokenizer } from '../testing/testTokenizer.js';
import type { Tokenizer } from '../core/tokenizer.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});

const smallTalk = ['That sounds good to me, thanks.', 'I was thinking about it over lunch today.', 'Sure, whatever works best for you here.', 'Let me know if anything else comes up later.'];

function chat(policy: string) {
  const engine = createEngine({ tokenizer: tok, maxTokens: 260, window: 40, policy, factShare: 0 });
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  engine.ingest({ role: 'system', content: 'Be brief.' });
  engine.ingest({ role: 'user', content: 'Noted for later. My locker code is 5521 and my manager is Ines Duarte. Thanks a lot.' });
  for (let i = 0; i < 30; i++) {
    engine.ingest({ role: 'assistant', content: smallTalk[i % 4] + ' ' + smallTalk[(i + 1) % 4] });
    engine.ingest({ role: 'user', content: smallTalk[(i + 2) % 4] });
  }
  const context = engine.renderContext(engine.buildContext());
  return { engine, events, context };
}

describe('salience policy', () => {
  it('keeps the sentence with facts and drops small talk, where sliding loses it', () => {
    expect(chat('sliding').context).not.toContain('5521');
    const { context, events } = chat('salience');
    expect(context).toContain('My locker code is 5521 and my manager is Ines Duarte.');
    expect(context).not.toContain('Noted for later.'); // its small-talk neighbours went
    expect(tok.countTokens(context)).toBeLessThanOrEqual(260);
    const spans = events.filter((e): e is EvictionEvent => e.type === 'eviction' && e.reason.kind === 'span-value');
    expect(spans.length).toBeGreaterThan(10);
    for (const e of spans) {
      expect(e.reason.policy).toBe('salience');
      expect(e.reason.score).toBeGreaterThanOrEqual(0);
      expect(e.reason.detail).toMatch(/salience [\d.]+, recency [\d.]+/);
    }
  });

  it('reports each knapsack choice: kept spans fit the capacity, evicted ones got events', () => {
    const { events } = chat('salience');
    const reports = events.filter((e) => e.type === 'spanScores');
    expect(reports.length).toBeGreaterThan(5);
    for (const r of reports) {
      expect(r.policy).toBe('salience');
      const kept = r.spans.filter((s) => s.kept).reduce((n, s) => n + s.tokens, 0);
      expect(kept).toBeLessThanOrEqual(r.capacity);
      expect(r.spans.some((s) => !s.kept)).toBe(true);
    }
  });

  it('evicts whole sentences only: every span eviction starts at a sentence start', () => {
    const { engine, events } = chat('salience');
    const msgs = engine.messages();
    for (const e of events) {
      if (e.type !== 'eviction' || e.reason.kind !== 'span-value') continue;
      const r = e.ranges[0];
      const text = tok.decode(tok.encode(msgs[r.messageId].content).subarray(r.from, r.to));
      expect(text.trim()).toMatch(/^[A-Z]/);
      expect(text.trim()).toMatch(/[.!?]$/);
    }
  });
});

describe('latency budget', () => {
  it('stops an overrunning policy between steps and finishes the turn with sliding, saying so', () => {
    let t = 0;
    const clock = () => (t += 1); // every reading costs 1 ms: the salience policy overruns 1 ms
    const engine = createEngine({ tokenizer: tok, maxTokens: 200, window: 24, policy: 'salience', maxPolicyMs: 1, clock, latencyBudget: true });
    const events: EngineEvent[] = [];
    engine.subscribe((e) => events.push(e));
    for (let i = 0; i < 40; i++) engine.ingest({ role: i % 2 ? 'assistant' : 'user', content: `${smallTalk[i % 4]} Kenji filed ticket ${1000 + i}. ${smallTalk[(i + 1) % 4]}` });
    const fallbacks = events.filter((e) => e.type === 'warning' && e.code === 'policy-fallback');
    expect(fallbacks.length).toBeGreaterThan(0);
    expect(fallbacks[0]).toMatchObject({ message: expect.stringMatching(/salience overran its 1 ms latency budget \(scoring spans|before knapsack\); this turn fell back to sliding/) });
    expect(engine.stats().fallbackCount).toBe(fallbacks.length);
    for (const e of events) if (e.type === 'windowSnapshot') expect(e.used).toBeLessThanOrEqual(200);
    expect(events.some((e) => e.type === 'eviction' && e.reason.policy === 'salience' && e.reason.kind === 'budget')).toBe(true);
  });

  it('does not fall back when the budget is generous', () => {
    const engine = createEngine({ tokenizer: tok, maxTokens: 200, window: 24, policy: 'salience', maxPolicyMs: 10_000, latencyBudget: true });
    for (let i = 0; i < 40; i++) engine.ingest({ role: i % 2 ? 'assistant' : 'user', content: `${smallTalk[i % 4]} Kenji filed ticket ${1000 + i}.` });
    expect(engine.stats().fallbackCount).toBe(0);
  });
});
