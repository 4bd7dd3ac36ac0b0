import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, EvictionEvent, SummaryEvent } from '../../shared/protocol.js';
import { createLocalBackend, type LocalBackend } from '../backends/local/localBackend.js';
import { createEngine, type EngineConfig } from '../engine.js';
import { policyModelOf } from './policyModel.js';
import { parseSession, serializeSession } from '../formats/sessionCodec.js';
import { engineFromSession, engineToSession } from '../formats/sessionState.js';
import { messageText, rng, syntheticChat } from '../testing/syntheticChat.js';
import { tinyBertDir, tinyLlamaDir } from '../testing/testModels.js';
import { testTokenizer } from '../testing/testTokenizer.js';
import type { Tokenizer } from '../core/tokenizer.js';
import { summaryGate } from './rollingSummary.js';
import type { PolicyModel } from './types.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});

const FACT = 'The vault code is 7719 and the courier is Ines Duarte.';
/** A sentence with nothing salience sees (no numbers, names, dates or quotes): only a model can tell it matters. */
const PLAIN = 'Please keep the vault shut when you leave.';
const chat = (fact = FACT): { role: 'system' | 'user' | 'assistant'; content: string }[] => {
  const base = syntheticChat({ seed: 5, turns: 24, sentencesPerMessage: 3 });
  base.splice(3, 0, { role: 'user', content: `Thanks. ${fact} Talk soon.` }, { role: 'assistant', content: 'Okay.' });
  return base as { role: 'system' | 'user' | 'assistant'; content: string }[];
};

async function runAsync(config: Partial<EngineConfig>, model?: PolicyModel, tokenizer = tok, fact = FACT) {
  const engine = createEngine({ tokenizer, maxTokens: 320, window: 48, recall: false, factShare: 0, ...config });
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  for (const m of chat(fact)) await engine.ingestAsync(m, model);
  engine.finishTurn();
  return { engine, events, context: engine.renderContext(engine.buildContext()) };
}

const evictions = (events: EngineEvent[]) => events.filter((e): e is EvictionEvent => e.type === 'eviction');

/** A model whose next-token distribution depends only on whether the context holds one token. */
function markerModel(marker: number, calls: number[][]): PolicyModel {
  return {
    name: 'marker-model',
    async nextTokenLogits(contexts) {
      calls.push(contexts.map((c) => c.length));
      return contexts.map((c) => Float32Array.from([c.includes(marker) ? 6 : 0, 1, 1, 1]));
    },
  };
}

describe('importance policy', () => {
  it('without a model, importance is recency and every eviction says so', async () => {
    const { events } = await runAsync({ policy: 'importance' });
    const spans = evictions(events).filter((e) => e.reason.kind === 'span-value');
    expect(spans.length).toBeGreaterThan(5);
    for (const e of spans) expect(e.reason.detail).toMatch(/recency fallback: no model with logits/);
  });

  it('logit probes decide: the sentence the model depends on survives, at most `probes` spans per call', async () => {
    const marker = tok.encode(' vault')[0];
    const calls: number[][] = [];
    const { events, context, engine } = await runAsync({ policy: 'importance', probes: 3 }, markerModel(marker, calls), tok, PLAIN);
    expect(context).toContain(PLAIN);
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(c.length).toBeLessThanOrEqual(4); // the base context + at most 3 probes
    const probed = evictions(events).filter((e) => /logit probe KL/.test(e.reason.detail));
    expect(probed.length).toBeGreaterThan(0);
    expect(engine.turns().some((t) => (t.modelMs ?? 0) >= 0 && t.modelMs !== undefined)).toBe(true);
    expect(engine.profiler.spans().some((s) => s.name === 'prepare:importance')).toBe(true);
    // without the probes, recency alone lets the fact go
    expect((await runAsync({ policy: 'importance', probes: 0 }, markerModel(marker, []), tok, PLAIN)).context).not.toContain(PLAIN);
  });

  it('a failing model step is a warning, the message is kept and the policy falls back', async () => {
    const broken: PolicyModel = { name: 'broken', nextTokenLogits: () => Promise.reject(new Error('out of memory')) };
    const { events, engine } = await runAsync({ policy: 'importance' }, broken);
    expect(events.some((e) => e.type === 'warning' && e.code === 'model-step-failed' && /out of memory/.test(e.message))).toBe(true);
    expect(engine.messages().length).toBe(chat().length);
  });
});

describe('model policies with a real model (tiny generated Llama + tiny BERT embedder)', () => {
  let backend: LocalBackend;
  beforeAll(async () => {
    backend = await createLocalBackend({ model: tinyLlamaDir(), embeddingModel: tinyBertDir() });
  });

  it('semantic clusters the model’s embeddings, embedded in batches before the policy call', async () => {
    const model = policyModelOf(backend)!;
    const batches: number[] = [];
    const counting: PolicyModel = { ...model, embed: (texts) => (batches.push(texts.length), model.embed!(texts)) };
    const { events, context } = await runAsync({ policy: 'semantic', maxTokens: 240, window: 32 }, counting, backend.tokenizer);
    const caches = events.filter((e) => e.type === 'embeddingCache');
    expect(caches.length).toBeGreaterThan(0);
    expect(caches.every((e) => e.embedder === model.name)).toBe(true);
    expect(batches.some((n) => n > 1)).toBe(true);
    const last = caches.at(-1)!;
    expect(last.misses).toBe(batches.reduce((a, b) => a + b, 0)); // every model call is one miss per new text
    expect(evictions(events).some((e) => e.reason.kind === 'span-value' && e.reason.cluster !== undefined)).toBe(true);
    expect(backend.tokenizer.countTokens(context)).toBeLessThanOrEqual(240);
  });
  afterAll(() => backend?.dispose());

  it('probes with the backend’s batched next-token logits and scores spans by KL divergence', async () => {
    const { events, context, engine } = await runAsync({ policy: 'importance', probes: 4, maxTokens: 200, window: 32 }, policyModelOf(backend), backend.tokenizer);
    const probed = evictions(events).filter((e) => /logit probe KL \d/.test(e.reason.detail));
    expect(probed.length).toBeGreaterThan(0);
    for (const e of probed) expect(e.reason.score).toBeGreaterThanOrEqual(0);
    expect(backend.tokenizer.countTokens(context)).toBeLessThanOrEqual(200);
    expect(engine.turns().some((t) => (t.modelMs ?? 0) > 0)).toBe(true);
  });
});

describe('rolling summary', () => {
  const summaries = (events: EngineEvent[]) => events.filter((e): e is SummaryEvent => e.type === 'summary');

  it('summarizes the oldest half extractively, keeps the fact verbatim, stays under budget', async () => {
    const { events, context, engine } = await runAsync({ policy: 'rolling_summary', summaryInterval: 128 });
    const made = summaries(events);
    expect(made.length).toBeGreaterThan(1);
    for (const s of made) {
      expect(s.method).toBe('extractive');
      expect(s.gate.passed).toBe(true);
      expect(s.tokens).toBeLessThan(s.sourceTokens);
    }
    expect(context).toContain(FACT);
    expect(context).toContain('Summary of the earlier conversation:');
    const built = engine.buildContext();
    expect(built.segments.filter((s) => s.summary)).toHaveLength(1);
    expect(tok.countTokens(context)).toBeLessThanOrEqual(320);
    expect(evictions(events).some((e) => e.reason.kind === 'summarized' && /summarized into summary #\d+/.test(e.reason.detail))).toBe(true);
    // each new summary folds in the previous one, which leaves with its own event
    expect(evictions(events).some((e) => /previous summary was folded into/.test(e.reason.detail))).toBe(true);
    // replays under other settings replay the conversation, not the summaries
    expect(engine.conversation()).toHaveLength(chat().length);
  });

  it('a model summary that invents facts fails the QA gate and falls back, saying why', async () => {
    const liar: PolicyModel = { name: 'liar', complete: async () => 'The vault code is 9999 according to Bob Smith.' };
    const { events, context } = await runAsync({ policy: 'rolling_summary', summaryInterval: 128 }, liar);
    const made = summaries(events);
    expect(made.length).toBeGreaterThan(0);
    for (const s of made) {
      expect(s.method).toBe('extractive');
      expect(s.fallback).toMatch(/liar's summary failed the QA gate/);
    }
    expect(made[0].fallback).toMatch(/9999/);
    expect(context).not.toContain('9999');
  });

  it('uses a model summary that passes the gate', async () => {
    const honest: PolicyModel = { name: 'honest', complete: async () => FACT };
    const { events, context } = await runAsync({ policy: 'rolling_summary', summaryInterval: 128 }, honest);
    const made = summaries(events);
    expect(made.some((s) => s.method === 'model' && s.gate.passed && s.gate.checked > 0)).toBe(true);
    expect(context).toContain(FACT);
  });

  it('saves and restores a summary: byte-identical, same context', async () => {
    const { engine } = await runAsync({ policy: 'rolling_summary', summaryInterval: 128 });
    const meta = { title: 't', app: 'a', createdAt: '2026-11-26T00:00:00.000Z', savedAt: '2026-11-26T00:00:00.000Z' };
    const text = serializeSession(engineToSession(engine, meta));
    const parsed = parseSession(text);
    if (!parsed.ok) throw new Error(parsed.error);
    const restored = engineFromSession(parsed.session, { tokenizer: tok });
    expect(serializeSession(engineToSession(restored, meta))).toBe(text);
    expect(restored.renderContext(restored.buildContext())).toBe(engine.renderContext(engine.buildContext()));
    expect(restored.config().summaryInterval).toBe(128);
  });

  it('counts the prompt exactly when a reply’s policy call made a summary', () => {
    // regression: the trailing-assistant template tokens were looked up on the newest message id, which is then the summary's
    const next = rng(10);
    const engine = createEngine({ tokenizer: tok, maxTokens: 160, window: 32, policy: 'rolling_summary', summaryInterval: 128 });
    engine.ingest({ role: 'system', content: 'Be brief.' });
    let checked = 0;
    for (let i = 0; i < 24; i++) {
      engine.ingest({ role: 'user', content: messageText(next, 1 + Math.floor(next() * 4)) });
      engine.ingest({ role: 'assistant', content: messageText(next, 1 + Math.floor(next() * 6)) });
      if (!engine.messages().at(-1)!.summary) continue;
      const built = engine.buildContext();
      expect(tok.countTokens(engine.renderContext(built))).toBe(built.tokens);
      expect(built.tokens).toBeLessThanOrEqual(160);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('the QA gate checks numbers, dates, names and quotes against the source, with a threshold', () => {
    const source = 'Priya Raman moved the review to March 3. The branch is "Silver Finch" and the room is 204.';
    expect(summaryGate('Priya Raman: review March 3, room 204, branch "Silver Finch".', source, 1).passed).toBe(true);
    const bad = summaryGate('Priya Raman: review March 4, room 204.', source, 1);
    expect(bad.passed).toBe(false);
    expect(bad.missing).toEqual(['March 4']);
    expect(summaryGate('Priya Raman: review March 4, room 204.', source, 0.6).passed).toBe(true);
  });
});

describe('hybrid policy', () => {
  it('mixes importance, uniqueness and recency with configurable weights', async () => {
    const { events } = await runAsync({ policy: 'hybrid' });
    const spans = evictions(events).filter((e) => e.reason.kind === 'span-value');
    expect(spans.length).toBeGreaterThan(5);
    for (const e of spans) expect(e.reason.detail).toMatch(/uniqueness [\d.]+ \(lexical-hash-256\); recency [\d.]+; salience/);
    const recencyOnly = await runAsync({ policy: 'hybrid', weights: { importance: 0, uniqueness: 0, recency: 1 } });
    const uniqueOnly = await runAsync({ policy: 'hybrid', weights: { importance: 0, uniqueness: 1, recency: 0 } });
    expect(recencyOnly.context).not.toBe(uniqueOnly.context);
    expect(() => createEngine({ tokenizer: tok, policy: 'hybrid', weights: { importance: 0, uniqueness: 0, recency: 0 } })).toThrow(/weights must be/);
  });

  it('uses model embeddings, batched, when the model has them', async () => {
    const batches: number[] = [];
    const model: PolicyModel = {
      name: 'fake-embedder',
      async embed(texts) {
        batches.push(texts.length);
        return texts.map((t) => {
          const v = new Float32Array(4);
          v[t.length % 4] = 1;
          return v;
        });
      },
    };
    const { events } = await runAsync({ policy: 'hybrid' }, model);
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.some((n) => n > 1)).toBe(true);
    expect(evictions(events).some((e) => /uniqueness [\d.]+ \(fake-embedder\)/.test(e.reason.detail))).toBe(true);
  });
});
