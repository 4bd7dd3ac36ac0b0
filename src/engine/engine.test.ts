import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, EvictionEvent, Role } from '../shared/protocol.js';
import { POLICY_NAMES } from './policies/index.js';
import { createEngine, type EngineConfig } from './engine.js';
import { holdsShapeKeeper } from './engineParts.js';
import { FLAG_PINNED, FLAG_SENTENCE_START } from './core/tokenRing.js';
import type { Tokenizer } from './core/tokenizer.js';
import { messageText, rng, syntheticChat } from './testing/syntheticChat.js';
import { testTokenizer } from './testing/testTokenizer.js';
import { fakeClock } from './testing/fakeClock.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});


interface Msg {
  role: Role;
  content: string;
  pinned?: boolean;
}

function run(messages: Msg[], config: Partial<EngineConfig>) {
  const engine = createEngine({ tokenizer: tok, clock: fakeClock(), recall: false, ...config });
  const events: EngineEvent[] = [];
  engine.subscribe((e) => events.push(e));
  const contexts = messages.map((m) => engine.ingest(m).context);
  engine.finishTurn();
  return { engine, events, contexts };
}

const messageArb = fc.record({
  role: fc.constantFrom<Role>('user', 'assistant', 'assistant', 'tool', 'system'),
  seed: fc.integer({ min: 1, max: 1e6 }),
  sentences: fc.integer({ min: 0, max: 14 }),
  pinned: fc.option(fc.boolean(), { nil: undefined }),
});

describe('engine invariants (property)', () => {
  it('budget, pinned, eviction coverage and sentence alignment hold for random chats', () => {
    fc.assert(
      fc.property(
        fc.array(messageArb, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 120, max: 900 }),
        fc.integer({ min: 0, max: 100 }),
        fc.constantFrom(...POLICY_NAMES),
        (specs, maxTokens, window, policy) => {
          // keep pinned content small so it can always fit the budget
          let pinnedBudget = maxTokens / 3;
          const messages: Msg[] = specs.map((s) => {
            let content = messageText(rng(s.seed), s.sentences);
            const pinned = s.pinned ?? s.role === 'system';
            if (pinned) {
              if (tok.encode(content).length + 8 > pinnedBudget) content = 'Pinned note.';
              pinnedBudget -= tok.encode(content).length + 8;
            }
            return { role: s.role, content, pinned: s.pinned };
          });
          const { engine, events } = run([{ role: 'user', content: 'Start.' }, ...messages], { maxTokens, window, policy, summaryInterval: 128 });
          const ledger = engine.ledger;
          // the budget line holds after every policy call
          for (const e of events) if (e.type === 'windowSnapshot') expect(e.used).toBeLessThanOrEqual(maxTokens);
          // built contexts never exceed the budget, counted on the rendered prompt
          const built = engine.buildContext();
          expect(built.tokens).toBeLessThanOrEqual(maxTokens);
          expect(tok.countTokens(engine.renderContext(built))).toBeLessThanOrEqual(maxTokens);
          // pinned messages are whole
          for (const m of engine.messages()) if (m.pinned) expect(ledger.messageRetained(m.id)).toBe(m.tokens);
          // every evicted position is covered by exactly one eviction event (a replaced rolling summary is not a position)
          const evictions = events.filter((e): e is EvictionEvent => e.type === 'eviction' && !engine.messages()[e.ranges[0].messageId].summary);
          const covered = new Uint8Array(ledger.nextPos);
          for (const ev of evictions) {
            let n = 0;
            for (const r of ev.ranges) {
              const start = engine.messages()[r.messageId].startPos;
              for (let p = start + r.from; p < start + r.to; p++) covered[p]++;
              n += r.to - r.from;
              expect(start + r.from).toBeGreaterThanOrEqual(ev.startPos);
              expect(start + r.to).toBeLessThanOrEqual(ev.endPos);
            }
            expect(n).toBe(ev.tokens);
          }
          const retained = new Uint8Array(ledger.nextPos);
          for (let i = 0; i < ledger.pinned.length; i++) retained[ledger.pinned.pos(i)] = 1;
          for (let i = 0; i < ledger.window.length; i++) {
            retained[ledger.window.pos(i)] = 1;
            expect(ledger.window.flags(i) & FLAG_PINNED).toBe(0);
          }
          for (let p = 0; p < ledger.nextPos; p++) expect(covered[p] + retained[p]).toBe(1);
          // never mid-sentence when a boundary exists before the recent window
          const win = ledger.window;
          if (win.length > 0 && !(win.flags(0) & FLAG_SENTENCE_START)) {
            expect(win.findFlag(FLAG_SENTENCE_START, 1, Math.max(1, win.length - window + 1))).toBe(-1);
          }
          // the summary in the context stands in for evicted tokens; tokensEvicted counts conversation tokens only
          expect(engine.stats().tokensEvicted + ledger.retainedTokens).toBe(engine.stats().tokensSeen + ledger.summaryTokens);
        },
      ),
      { numRuns: 80 },
    );
  });
});

describe('engine', () => {
  const chat = syntheticChat({ seed: 11, turns: 40 });

  it('replays deterministically', () => {
    const strip = (events: EngineEvent[]) => JSON.stringify(events.filter((e) => e.type !== 'stats' && e.type !== 'profileSpan'));
    const a = run(chat, { maxTokens: 400, window: 64 });
    const b = run(chat, { maxTokens: 400, window: 64 });
    expect(strip(a.events)).toBe(strip(b.events));
    expect(a.engine.renderContext(a.engine.buildContext())).toBe(b.engine.renderContext(b.engine.buildContext()));
  });

  it('holds one shape keeper once an engine is made, and it changes nothing an engine reports', () => {
    const a = run(chat, { maxTokens: 400, window: 64 });
    expect(holdsShapeKeeper()).toBe(true);
    const b = run(chat, { maxTokens: 400, window: 64 });
    // the keeper is made with the first engine: a later one replays the same, stats included
    expect(JSON.stringify(b.engine.stats())).toBe(JSON.stringify(a.engine.stats()));
    expect(b.engine.turns().length).toBe(a.engine.turns().length);
  });

  it('gives its conversation with a pin only where the pinSystem setting would not give it, so a re-run under another pinSystem follows it', () => {
    const engine = createEngine({ tokenizer: tok, clock: fakeClock(), recall: false, pinSystem: true });
    engine.ingest({ role: 'system', content: 'Be terse.' });
    engine.ingest({ role: 'user', content: 'Remember this.', pinned: true });
    engine.ingest({ role: 'system', content: 'An unpinned note.', pinned: false });
    engine.ingest({ role: 'assistant', content: 'Noted.' });
    const conversation = engine.conversation();
    expect(conversation).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'Remember this.', pinned: true },
      { role: 'system', content: 'An unpinned note.', pinned: false },
      { role: 'assistant', content: 'Noted.' },
    ]);
    const rerun = createEngine({ tokenizer: tok, clock: fakeClock(), recall: false, pinSystem: false });
    for (const m of conversation) rerun.ingest(m);
    expect(rerun.messages().map((m) => m.pinned)).toEqual([false, true, false, false]);
  });

  it('keeps the system prompt and evicts with reasons and previews', () => {
    const { engine, events } = run(chat, { maxTokens: 300, window: 50 });
    const evictions = events.filter((e): e is EvictionEvent => e.type === 'eviction');
    expect(evictions.length).toBeGreaterThan(10);
    const budget = evictions.filter((e) => e.reason.kind === 'budget');
    expect(budget.length).toBeGreaterThan(0);
    for (const e of budget) {
      expect(e.reason.policy).toBe('sliding');
      expect(e.reason.budget.usedBefore).toBeGreaterThan(300);
      expect(e.preview.length).toBeGreaterThan(0);
      expect(e.ranges.reduce((n, r) => n + r.to - r.from, 0)).toBe(e.tokens);
    }
    const text = engine.renderContext(engine.buildContext());
    expect(text.startsWith('<|im_start|>system\nYou are a careful assistant.')).toBe(true);
    expect(text.endsWith('<|im_start|>assistant\n')).toBe(true);
  });

  it("previews a span policy's evicted spans as the decode of exactly their tokens", () => {
    const long = syntheticChat({ seed: 5, turns: 120 });
    for (const policy of ['hybrid', 'semantic', 'salience'] as const) {
      const { engine, events } = run(long, { maxTokens: 900, window: 64, policy });
      const spans = events.filter((e): e is EvictionEvent => e.type === 'eviction' && e.reason.kind === 'span-value');
      expect(spans.length).toBeGreaterThan(10);
      for (const e of spans) {
        const [r] = e.ranges;
        const ids = tok.encode(engine.messages()[r.messageId].content).subarray(r.from, r.to);
        const head = (s: string): string => (s.length > 160 ? `${s.slice(0, 159)}…` : s);
        const expected = ids.length <= 40 ? head(tok.decode(ids)) : `${head(tok.decode(ids.subarray(0, 32)))} … ${tok.decode(ids.subarray(ids.length - 8))}`;
        expect(e.ranges).toHaveLength(1);
        expect(e.preview).toBe(expected);
      }
    }
  });

  it('aligns a cut message to a sentence start and says so', () => {
    const { engine, events } = run(chat, { maxTokens: 500, window: 32 });
    const align = events.filter((e): e is EvictionEvent => e.type === 'eviction' && e.reason.kind === 'sentence-align');
    expect(align.length).toBeGreaterThan(0);
    const built = engine.buildContext();
    expect(built.startsAtSentence).toBe(true);
    const first = built.segments.find((s) => !s.pinned)!;
    const content = engine.contextMessages(built)[built.segments.indexOf(first)].content;
    if (first.from > 0) expect(content).toMatch(/^\s*\S/); // a partial message starts at a sentence
  });

  it('reports per-turn stats, snapshots by role and profiler spans', () => {
    const { engine, events } = run(chat, { maxTokens: 600, window: 64 });
    const turns = engine.turns();
    expect(turns.length).toBe(41); // turn 0 (system) + 40 user turns
    expect(turns[5].engineMs).toBe(turns[5].policyMs + turns[5].buildMs);
    const snap = engine.snapshot();
    expect(Object.values(snap.byRole).reduce((a, b) => a + b, 0) + engine.overhead.generationPrompt).toBe(snap.used);
    expect(events.some((e) => e.type === 'profileSpan' && e.span.name === 'policy:sliding')).toBe(true);
    const s = engine.stats();
    expect(s.compressionRatio).toBeCloseTo(s.tokensSeen / s.tokensRetained);
    expect(s.policyCalls).toBe(chat.length);
    expect(s.anchorCacheHits + s.anchorCacheMisses).toBe(s.tokensSeen);
  });

  it('rejects a window as large as the budget and unknown policies', () => {
    expect(() => createEngine({ tokenizer: tok, maxTokens: 100, window: 100 })).toThrow(/window \(100\) must be smaller/);
    expect(() => createEngine({ tokenizer: tok, policy: 'magic' })).toThrow(/unknown policy "magic"/);
  });

  it('never exceeds the budget even when pinned tokens alone do, and warns', () => {
    const big = messageText(rng(5), 40);
    const { engine, events } = run([{ role: 'system', content: big }, { role: 'user', content: 'Hi there.' }], { maxTokens: 64, window: 8 });
    expect(events.some((e) => e.type === 'warning' && e.code === 'pinned-over-budget')).toBe(true);
    const built = engine.buildContext();
    expect(built.tokens).toBeLessThanOrEqual(64);
  });
});
