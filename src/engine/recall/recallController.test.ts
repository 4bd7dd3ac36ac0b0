import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, EvictionEvent, RecallEvent } from '../../shared/protocol.js';
import { createEngine } from '../engine.js';
import { POLICY_NAMES } from '../policies/index.js';
import { parseSession, serializeSession } from '../formats/sessionCodec.js';
import { engineFromSession, engineToSession } from '../formats/sessionState.js';
import { messageText, rng, syntheticChat } from '../testing/syntheticChat.js';
import { testTokenizer } from '../testing/testTokenizer.js';
import { FLAG_RECALLED } from '../core/tokenRing.js';
import type { Tokenizer } from '../core/tokenizer.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});

const fact = 'Please remember this: my locker code is 5521 and my manager is Ines Duarte.';

function run(recall: boolean, maxTokens = 400) {
  const chat = syntheticChat({ seed: 12, turns: 40 });
  chat.splice(3, 0, { role: 'user', content: fact }, { role: 'assistant', content: 'Noted.' });
  chat.push({ role: 'user', content: 'What is my locker code?' });
  const engine = createEngine({ tokenizer: tok, maxTokens, window: 48, recall, factShare: 0 });
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  let context = '';
  for (const m of chat) {
    const out = engine.ingest(m);
    if (out.context) context = engine.renderContext(out.context);
  }
  return { engine, events, context };
}

/** Every recalled span in the ledger holds exactly its message's tokens (and the recalled flag). */
function expectRecalledTokens(engine: ReturnType<typeof createEngine>, chat: readonly { content: string }[]): void {
  for (const r of engine.ledger.recalled) {
    expect(Array.from(r.ids)).toEqual(Array.from(tok.encode(chat[r.messageId].content).subarray(r.from, r.to)));
    expect(r.flags.every((f) => (f & FLAG_RECALLED) !== 0)).toBe(true);
  }
}

describe('query-aware recall', () => {
  it('brings an evicted fact back for a question about it, with a recall event', () => {
    const off = run(false);
    expect(off.context).not.toContain('5521');
    const on = run(true);
    expect(on.context).toContain('my locker code is 5521 and my manager is Ines Duarte.');
    const recalls = on.events.filter((e): e is RecallEvent => e.type === 'recall');
    const last = recalls.at(-1)!;
    expect(last.query).toBe('What is my locker code?');
    expect(last.spans.some((s) => s.preview.includes('5521'))).toBe(true);
    expect(last.spans[0].bm25Rank).toBe(1);
    expect(tok.countTokens(on.context)).toBeLessThanOrEqual(400);
    const built = on.engine.buildContext();
    const seg = built.segments.find((s) => s.recalled);
    expect(seg).toBeDefined();
  });

  it('keeps the invariants with recall on: budget, no duplicate tokens, every leave and return has its event', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1e6 }), fc.integer({ min: 160, max: 700 }), fc.constantFrom(...POLICY_NAMES), (seed, maxTokens, policy) => {
        const next = rng(seed);
        const engine = createEngine({ tokenizer: tok, maxTokens, window: 32, recall: true, policy, summaryInterval: 128 });
        const events: EngineEvent[] = [];
        engine.subscribe((e) => events.push(e));
        engine.ingest({ role: 'system', content: 'Be brief.' });
        for (let i = 0; i < 24; i++) {
          engine.ingest({ role: 'user', content: messageText(next, 1 + Math.floor(next() * 4)) });
          engine.ingest({ role: 'assistant', content: messageText(next, 1 + Math.floor(next() * 6)) });
        }
        const ledger = engine.ledger;
        for (const e of events) if (e.type === 'windowSnapshot') expect(e.used).toBeLessThanOrEqual(maxTokens);
        const built = engine.buildContext();
        expect(tok.countTokens(engine.renderContext(built))).toBeLessThanOrEqual(maxTokens);
        // each position: evictions - recalls = 1 if gone, 0 if in the context; never twice in the context
        const balance = new Int32Array(ledger.nextPos);
        const msgs = engine.messages();
        for (const e of events) {
          // a replaced rolling summary leaves too, but it is not a conversation position
          if (e.type === 'eviction') for (const r of (e as EvictionEvent).ranges) if (!msgs[r.messageId].summary) for (let k = r.from; k < r.to; k++) balance[msgs[r.messageId].startPos + k]++;
          if (e.type === 'recall') for (const s of e.spans) for (let p = s.startPos; p < s.endPos; p++) balance[p]--;
        }
        const present = new Uint8Array(ledger.nextPos);
        const mark = (p: number) => {
          expect(present[p]).toBe(0);
          present[p] = 1;
        };
        for (let i = 0; i < ledger.pinned.length; i++) mark(ledger.pinned.pos(i));
        for (let i = 0; i < ledger.window.length; i++) mark(ledger.window.pos(i));
        for (const r of ledger.recalled) for (let k = 0; k < r.ids.length; k++) mark(r.startPos + k);
        for (let p = 0; p < ledger.nextPos; p++) expect(balance[p] + present[p]).toBe(1);
      }),
      { numRuns: 25 },
    );
  });

  it('saves and restores recalled spans byte-identically', () => {
    const { engine } = run(true);
    expect(engine.ledger.recalled.length).toBeGreaterThan(0);
    const meta = { title: 't', app: 'a', createdAt: '2026-11-26T00:00:00.000Z', savedAt: '2026-11-26T00:00:00.000Z' };
    const text = serializeSession(engineToSession(engine, meta));
    const parsed = parseSession(text);
    if (!parsed.ok) throw new Error(parsed.error);
    expect(parsed.session.config.recall).toBe(true);
    const restored = engineFromSession(parsed.session, { tokenizer: tok });
    expect(restored.ledger.recalled.map((r) => r.startPos)).toEqual(engine.ledger.recalled.map((r) => r.startPos));
    expect(restored.ledger.recalled.every((r) => (r.flags[0] & FLAG_RECALLED) !== 0)).toBe(true);
    expect(serializeSession(engineToSession(restored, meta))).toBe(text);
    expect(restored.renderContext(restored.buildContext())).toBe(engine.renderContext(engine.buildContext()));
  });

  it('keeps only the most recent evicted spans in the index: the oldest leave first', () => {
    const engine = createEngine({ tokenizer: tok, maxTokens: 200, window: 32, recall: true, recallIndexMax: 24, factShare: 0 });
    const chat = syntheticChat({ seed: 3, turns: 30, sentencesPerMessage: 3 });
    chat.splice(2, 0, { role: 'user', content: fact }, { role: 'assistant', content: 'Noted.' });
    for (const m of chat) engine.ingest(m);
    const state = engine.recallState()!;
    expect(state.spans.length).toBeLessThanOrEqual(24);
    expect(state.spans.length).toBeGreaterThan(10);
    // the early fact left the index, so a question about it recalls nothing with its code
    const asked = engine.ingest({ role: 'user', content: 'What is my locker code?' });
    expect(engine.renderContext(asked.context!)).not.toContain('5521');
    // with the default limit it comes back
    const full = createEngine({ tokenizer: tok, maxTokens: 200, window: 32, recall: true, factShare: 0 });
    for (const m of chat) full.ingest(m);
    expect(full.renderContext(full.ingest({ role: 'user', content: 'What is my locker code?' }).context!)).toContain('5521');
  });

  it('admits each span with its own tokens after the token store reuses its slots (small index cap, long chat)', () => {
    // ~60k evicted tokens through a 1,024-slot store (the size a cap of 6 spans gets): slots are reused many times
    const engine = createEngine({ tokenizer: tok, maxTokens: 300, window: 32, recall: true, recallIndexMax: 6 });
    const events: EngineEvent[] = [];
    engine.subscribe((e) => events.push(e));
    const chat = syntheticChat({ seed: 5, turns: 500, sentencesPerMessage: 4 });
    for (const m of chat) {
      engine.ingest(m);
      expectRecalledTokens(engine, chat);
    }
    const msgs = engine.messages();
    let spans = 0;
    for (const e of events) {
      if (e.type !== 'recall') continue;
      for (const s of e.spans) {
        const ids = tok.encode(chat[s.messageId].content);
        expect(s.preview).toBe(tok.decode(ids.subarray(s.from, s.to)).slice(0, 160));
        expect(s.startPos).toBe(msgs[s.messageId].startPos + s.from);
        spans++;
      }
    }
    expect(spans).toBeGreaterThan(50);
  });

  it("keeps every recalled span's tokens while the token store grows under admitted spans (default cap)", () => {
    // admitted spans view the store's slots: past 16k evicted tokens the store doubles under them
    const engine = createEngine({ tokenizer: tok, maxTokens: 600, window: 32, recall: true });
    const chat = syntheticChat({ seed: 8, turns: 400, sentencesPerMessage: 5 });
    let recalled = 0;
    for (const m of chat) {
      engine.ingest(m);
      recalled += engine.ledger.recalled.length;
      expectRecalledTokens(engine, chat);
    }
    expect(engine.ledger.recalled.length).toBeGreaterThan(0);
    expect(recalled).toBeGreaterThan(200);
  });
});
