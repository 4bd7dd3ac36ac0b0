/**
 * The engine's fact extractor against the eval's own text: it reads every fact sentence the eval plants
 * (every framing x every attribute x every person, with generated values) as exactly that fact, and no
 * fact in the eval's ordinary sentences or look-alikes (filler, typos, the same value said about
 * something else). Here, not beside the extractor, because the engine may not import the eval.
 */
import { describe, expect, it } from 'vitest';
import { extractFacts } from '../engine/facts/extract.js';
import { sentenceFlags } from '../engine/core/boundaries.js';
import { FLAG_SENTENCE_START } from '../engine/core/tokenRing.js';
import { rng, sentence } from '../engine/testing/syntheticChat.js';
import { testTokenizer } from '../engine/testing/testTokenizer.js';
import { FACT_PREFIXES, factSentence, fillerSentences, sameValueSentence, typoSentence } from './filler.js';
import { ATTRIBUTES, EXTRA_NAMES, NAME_PAIRS, makeValue, nearMiss } from './people.js';
import { SMALL_TALK } from './phrasing.js';
import { plantedChat, statementsOf } from './plantedChat.js';
import { ALL_NAMES } from './plantedFacts.js';

/** The key each planted attribute is recorded under (lower case, spelling variants folded). */
const KEYS: Readonly<Record<string, string>> = {
  'badge number': 'badge number',
  'desk extension': 'desk extension',
  'parking spot': 'parking spot',
  'locker code': 'locker code',
  'flight number': 'flight number',
  'employee ID': 'employee id',
  birthday: 'birthday',
  'dentist appointment': 'dentist appointment',
  'visa renewal': 'visa renewal',
  'Wi-Fi password': 'wifi password',
  'project codename': 'project codename',
  'favorite book': 'favorite book',
};
const CUES = new Set(['Remember:', 'For the record:']);

describe('extractFacts on the eval\'s planted facts', () => {
  it('reads every fact sentence as exactly its holder, attribute and value', () => {
    const next = rng(7);
    let checked = 0;
    for (const prefix of FACT_PREFIXES)
      for (const attribute of ATTRIBUTES)
        for (const person of NAME_PAIRS.flat())
          for (let i = 0; i < 3; i++) {
            const value = makeValue(next, attribute.kind);
            const text = factSentence(prefix, person, attribute, value);
            for (const role of ['user', 'assistant'] as const) {
              const facts = extractFacts(text, role).map((f) => ({ holder: f.holder, attribute: f.attribute, value: f.value, cue: f.cue, update: f.update, retracts: f.retracts }));
              expect(facts, text).toEqual([{ holder: person, attribute: KEYS[attribute.name], value, cue: CUES.has(prefix), update: false, retracts: false }]);
              checked++;
            }
          }
    expect(checked).toBe(FACT_PREFIXES.length * ATTRIBUTES.length * NAME_PAIRS.length * 2 * 3 * 2);
  });
});

describe("extractFacts on the user's own facts and the knowledge updates", () => {
  it("reads every statement of 10 update chats as its holder, attribute and value, updates as updates, with a label a card may use", () => {
    let checked = 0;
    for (let seed = 1; seed <= 10; seed++) {
      for (const f of plantedChat({ seed, updates: true }).facts) {
        statementsOf(f).forEach((s, k) => {
          const facts = extractFacts(s.sentence, 'user');
          expect(facts.map((x) => ({ holder: x.holder, attribute: x.attribute, value: x.value })), s.sentence).toEqual([{ holder: f.person ?? 'user', attribute: KEYS[f.attribute], value: s.value }]);
          if (k > 0) expect(facts[0].update, s.sentence).toBe(true);
          // the eval's card rule: the label ends in the attribute's words and names the person, if any
          expect(facts[0].label.toLowerCase().endsWith(f.attribute.toLowerCase()), facts[0].label).toBe(true);
          if (f.person !== undefined) expect(facts[0].label).toContain(f.person);
          checked++;
        });
      }
    }
    expect(checked).toBe(10 * (12 + 8));
  });
});

describe('extractFacts on the eval\'s ordinary sentences', () => {
  it('finds no fact in thousands of filler sentences', () => {
    for (const seed of [1, 2, 3, 4]) {
      const texts = fillerSentences(rng(seed), ALL_NAMES, 4000);
      for (const text of texts) for (const role of ['user', 'assistant'] as const) expect(extractFacts(text, role), text).toEqual([]);
    }
  });

  it('finds no fact in the user turns\' filler with first-person small talk', () => {
    for (const text of SMALL_TALK) expect(extractFacts(text, 'user'), text).toEqual([]);
    for (const seed of [5, 6]) {
      const texts = fillerSentences(rng(seed), ALL_NAMES, 4000, { smallTalk: true });
      for (const text of texts) expect(extractFacts(text, 'user'), text).toEqual([]);
    }
  });

  it('finds no fact in the synthetic chat\'s sentences', () => {
    const next = rng(11);
    for (let i = 0; i < 4000; i++) {
      const text = sentence(next);
      expect(extractFacts(text, 'user'), text).toEqual([]);
      expect(extractFacts(text, 'assistant'), text).toEqual([]);
    }
  });

  it('finds no fact in the look-alikes that are not facts (typos, the same value said about something else)', () => {
    const next = rng(5);
    for (const attribute of ATTRIBUTES)
      for (const person of NAME_PAIRS.flat()) {
        const value = makeValue(next, attribute.kind);
        const typo = typoSentence(person, attribute, nearMiss(next, attribute.kind, value));
        const same = sameValueSentence(next, EXTRA_NAMES[Math.floor(next() * EXTRA_NAMES.length)], value);
        expect(extractFacts(typo, 'user'), typo).toEqual([]);
        expect(extractFacts(same, 'user'), same).toEqual([]);
      }
  });
});

describe('extractFacts on sentences cut as the engine cuts them', () => {
  it('finds every planted statement and nothing else in 10 chats decoded from Qwen3 tokens at the ledger\'s sentence starts', async () => {
    const tokenizer = await testTokenizer();
    let statements = 0;
    for (let seed = 1; seed <= 10; seed++) {
      const chat = plantedChat({ seed, updates: seed % 2 === 0 });
      // every value a statement sets: the facts, their updates, and the look-alike facts about other people
      const expected = new Set(chat.facts.flatMap((f) => statementsOf(f).map((s) => s.value)));
      for (const l of chat.lookalikes) if (l.kind === 'other-person') for (const f of extractFacts(l.sentence, 'user')) expected.add(f.value);
      const found = new Set<string>();
      for (const m of chat.messages) {
        const ids = tokenizer.encode(m.content);
        const flags = sentenceFlags(ids, (id) => tokenizer.decodeToken(id));
        for (let a = 0; a < ids.length; ) {
          let b = a + 1;
          while (b < ids.length && (flags[b] & FLAG_SENTENCE_START) === 0) b++;
          const text = tokenizer.decode(ids.subarray(a, b));
          for (const f of extractFacts(text, m.role === 'user' ? 'user' : m.role === 'assistant' ? 'assistant' : 'system')) {
            expect(expected.has(f.value), text).toBe(true);
            found.add(f.value);
          }
          a = b;
        }
      }
      expect([...expected].filter((v) => !found.has(v)), `seed ${seed}`).toEqual([]);
      statements += expected.size;
    }
    expect(statements).toBeGreaterThan(250);
  });
});
