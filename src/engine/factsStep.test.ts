import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, EvictionEvent, FactsEvent } from '../shared/protocol.js';
import { createEngine, type EngineConfig } from './engine.js';
import type { Tokenizer } from './core/tokenizer.js';
import { engineFromSession, engineToSession } from './formats/sessionState.js';
import { POLICY_NAMES } from './policies/index.js';
import { charOffsets } from './facts/tokenScan.js';
import { sentenceFlags } from './core/boundaries.js';
import { FLAG_SENTENCE_START } from './core/tokenRing.js';
import { rng, sentence } from './testing/syntheticChat.js';
import { testTokenizer } from './testing/testTokenizer.js';
import { fakeClock } from './testing/fakeClock.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});


type Msg = { role: 'system' | 'user' | 'assistant'; content: string };

/** Filler turns (no facts): user and assistant messages of synthetic sentences. */
function filler(seed: number, turns: number): Msg[] {
  const next = rng(seed);
  const out: Msg[] = [];
  for (let t = 0; t < turns; t++) {
    out.push({ role: 'user', content: Array.from({ length: 3 }, () => sentence(next)).join(' ') });
    out.push({ role: 'assistant', content: Array.from({ length: 4 }, () => sentence(next)).join(' ') });
  }
  return out;
}

function run(messages: Msg[], config: Partial<EngineConfig>) {
  const engine = createEngine({ tokenizer: tok, clock: fakeClock(), policy: 'sliding', maxTokens: 512, window: 128, recall: false, ...config });
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  let context = '';
  for (const m of messages) {
    const built = engine.ingest(m).context;
    if (built) context = engine.renderContext(built);
  }
  return { engine, events, context: () => context };
}

const chat = (question = 'What is my locker code?'): Msg[] => [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'Hello there. My locker code is 5521. Thanks for the help.' },
  { role: 'assistant', content: 'Noted.' },
  ...filler(7, 30),
  { role: 'user', content: 'Update: my locker code is now 7731.' },
  { role: 'assistant', content: 'Got it.' },
  ...filler(8, 30),
  { role: 'user', content: question },
];

describe('the fact ledger in the engine', () => {
  it('supersedes a restated fact: one row with the latest value and its history, the old sentence evicted with its reason', () => {
    const { engine, events } = run(chat(), { maxTokens: 4096, window: 1024 });
    const facts = engine.facts();
    const row = facts.rows.find((r) => r.attribute.includes('locker'));
    expect(row?.value).toBe('7731');
    expect(row?.holder).toBe('user');
    expect(row?.history.map((h) => h.value)).toEqual(['5521']);
    expect(facts.superseded).toBe(1);
    const superseded = events.filter((e): e is EvictionEvent => e.type === 'eviction' && e.reason.kind === 'superseded');
    expect(superseded).toHaveLength(1);
    expect(superseded[0].reason.detail).toMatch(/^superseded by #\d+/);
    expect(superseded[0].preview).toContain('5521');
  });

  it('holds the live facts under the facts share, and only there, with every policy', () => {
    for (const policy of POLICY_NAMES) {
      const held = run(chat(), { policy });
      expect(held.context(), policy).toContain('my locker code is now 7731.');
      expect(held.context(), policy).not.toContain('5521');
      const row = held.engine.facts().rows.find((r) => r.attribute.includes('locker'));
      expect(row?.state, policy).toBe('held');
      expect(held.engine.ledger.heldTokens).toBeLessThanOrEqual(Math.floor(0.15 * 512));
    }
    const off = run(chat(), { factShare: 0 });
    expect(off.context()).not.toContain('7731');
    expect(off.engine.facts().rows.find((r) => r.attribute.includes('locker'))?.state).toBe('evicted');
  });

  it('when the share holds one fact, holds the one the chat revised before the user\'s stated once', () => {
    const messages: Msg[] = [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: "Nadia Haddad's badge number is 1882." },
      { role: 'assistant', content: 'Noted.' },
      ...filler(3, 20),
      { role: 'user', content: "Correction: Nadia Haddad's badge number is 8182." },
      ...filler(4, 10),
      { role: 'user', content: 'My parking spot is 5283.' },
      ...filler(5, 30),
      { role: 'user', content: 'Where do I park?' },
    ];
    // 15% of 128 tokens: room for one sentence
    const { engine, context } = run(messages, { maxTokens: 128, window: 64 });
    const state = (attribute: string) => engine.facts().rows.find((r) => r.attribute.includes(attribute))?.state;
    expect(state('badge')).toBe('held');
    expect(state('parking')).toBe('evicted');
    expect(context()).toContain('8182');
    expect(context()).not.toContain('1882');
  });

  it('recall brings back the latest value, never the superseded one alone', () => {
    const { context } = run(chat(), { factShare: 0, recall: true });
    expect(context()).toContain('7731');
    expect(context()).not.toContain('5521');
  });

  it('a pinned fact comes back and stays; a forgotten one leaves and is never recalled', () => {
    const { engine, context } = run(chat(), { factShare: 0, recall: true });
    const row = engine.facts().rows.find((r) => r.attribute.includes('locker'));
    if (!row) throw new Error('no locker row');
    engine.forgetFact(row.id);
    expect(engine.facts().rows[0].state).toBe('forgotten');
    engine.ingest({ role: 'user', content: 'What is my locker code again?' });
    const after = engine.renderContext(engine.buildContext());
    expect(after).not.toContain('7731');
    void context;
    const second = run(chat(), { factShare: 0 });
    const r2 = second.engine.facts().rows.find((r) => r.attribute.includes('locker'));
    if (!r2) throw new Error('no locker row');
    expect(r2.state).toBe('evicted');
    second.engine.pinFact(r2.id, true);
    expect(second.engine.facts().rows.find((r) => r.id === r2.id)).toMatchObject({ pinned: true, state: 'held' });
    for (const m of filler(9, 20)) second.engine.ingest(m);
    second.engine.ingest({ role: 'user', content: 'Anything else?' });
    expect(second.engine.renderContext(second.engine.buildContext())).toContain('my locker code is now 7731.');
  });

  it('emits a facts event whenever a fact or its state changes, equal to engine.facts()', () => {
    const { engine, events } = run(chat(), {});
    const last = events.filter((e): e is FactsEvent => e.type === 'facts').at(-1);
    expect({ ...last, turn: 0 }).toEqual({ ...engine.facts(), turn: 0 });
  });

  it('saves and restores the ledger exactly; the restored engine continues like the original', () => {
    for (const [policy, factShare] of [['sliding', 0.1], ['hybrid', 0.1], ['salience', 0.1], ['rolling_summary', 0.1], ['rolling_summary', 0]] as const) {
      const msgs = chat();
      const { engine } = run(msgs.slice(0, -20), { policy, recall: true, factShare });
      // a rolling summary in the context when saved: the restored engine's next summary comes when the original's does
      if (policy === 'rolling_summary') expect(engine.ledger.summary).toBeDefined();
      const row = engine.facts().rows[0];
      engine.pinFact(row.id, true);
      const session = engineToSession(engine, { title: 't', app: 'test', createdAt: '2026-12-01T00:00:00.000Z', savedAt: '2026-12-01T00:00:00.000Z' });
      const restored = engineFromSession(JSON.parse(JSON.stringify(session)), { tokenizer: tok, clock: fakeClock() });
      expect(restored.facts()).toEqual(engine.facts());
      expect(engineToSession(restored, session.metadata)).toEqual(session);
      for (const m of msgs.slice(-20)) {
        const a = engine.ingest(m).context;
        const b = restored.ingest(m).context;
        if (a && b) expect(restored.renderContext(b), `${policy} ${factShare}`).toBe(engine.renderContext(a));
      }
      expect(restored.facts()).toEqual(engine.facts());
    }
  });
});

describe('sentence text without decoding', () => {
  it('slices each sentence out of the message exactly as decoding its tokens gives it, or says it cannot', () => {
    const text = fc.array(fc.oneof(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.constantFrom('. ', '! ', '? ', '\n', ' My locker code is 5521.', ' “Amber Falcon”', ' café — naïve 🙂', ' 東京。')), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (content) => {
        const ids = tok.encode(content);
        const flags = sentenceFlags(ids, (t) => tok.decodeToken(t));
        const offsets = charOffsets(tok, ids, content);
        if (!offsets) return;
        for (let a = 0; a < ids.length; ) {
          let b = a + 1;
          while (b < ids.length && (flags[b] & FLAG_SENTENCE_START) === 0) b++;
          expect(content.slice(offsets[a], offsets[b])).toBe(tok.decode(ids.subarray(a, b)));
          a = b;
        }
      }),
      { numRuns: 400 },
    );
  });
});
