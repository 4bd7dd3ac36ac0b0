import { beforeAll, describe, expect, it } from 'vitest';
import { testTokenizer } from '../engine/testing/testTokenizer.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import { askingAbout, FACT_POSITIONS, plantedChat, type PlantedChat } from './plantedChat.js';
import { SMALL_TALK } from './phrasing.js';
import { ALL_NAMES } from './plantedFacts.js';

let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await testTokenizer();
});

const SEEDS = [1, 2, 3, 4, 5];
const chats = new Map<number, PlantedChat>(SEEDS.map((seed) => [seed, plantedChat({ seed, targetTokens: 20_000, facts: 12 })]));
const chat = (seed: number): PlantedChat => chats.get(seed) as PlantedChat;
const allText = (c: PlantedChat): string => c.messages.map((m) => m.content).join('\n');
const occurrences = (text: string, s: string): number => text.split(s).length - 1;
/** Whole-name mentions: "Elena Petrov" does not count inside "Elena Petrova". */
const mentions = (text: string, name: string): number => text.match(new RegExp(`\\b${name.replace(/\./g, '\\.')}(?![A-Za-z])`, 'g'))?.length ?? 0;

describe('plantedChat', () => {
  it('is deterministic per seed and differs between seeds', () => {
    expect(plantedChat({ seed: 3, targetTokens: 20_000, facts: 12 })).toEqual(chat(3));
    expect(allText(chat(3))).not.toBe(allText(chat(4)));
    expect(chat(3).facts.map((f) => f.sentence)).not.toEqual(chat(4).facts.map((f) => f.sentence));
  });

  it('starts with a system prompt, alternates user/assistant and ends with the user question', () => {
    for (const seed of SEEDS) {
      const { messages, question } = chat(seed);
      expect(messages[0].role).toBe('system');
      messages.slice(1).forEach((m, i) => expect(m.role).toBe(i % 2 === 0 ? 'user' : 'assistant'));
      expect(messages.at(-1)).toEqual({ role: 'user', content: question.text });
    }
  });

  it('is within ±15% of targetTokens counted with the real tokenizer', () => {
    for (const [seed, target] of [[1, 20_000], [2, 20_000], [5, 20_000], [6, 5_000], [7, 40_000]]) {
      const c = seed <= 5 ? chat(seed) : plantedChat({ seed, targetTokens: target });
      const tokens = tokenizer.countTokens(tokenizer.renderChat(c.messages, false));
      expect(tokens).toBeGreaterThanOrEqual(target * 0.85);
      expect(tokens).toBeLessThanOrEqual(target * 1.15);
    }
  });

  it('plants 4 facts in each token third, where the real tokenizer puts them', () => {
    for (const seed of SEEDS) {
      const c = chat(seed);
      expect(c.facts).toHaveLength(12);
      for (const p of FACT_POSITIONS) expect(c.facts.filter((f) => f.position === p)).toHaveLength(4);
      const starts: number[] = [];
      let pos = 0;
      for (const m of c.messages) {
        starts.push(pos);
        pos += tokenizer.countTokens(m.content) + 5;
      }
      const total = tokenizer.countTokens(tokenizer.renderChat(c.messages, false));
      for (const f of c.facts) {
        const content = c.messages[f.messageIndex].content;
        expect(c.messages[f.messageIndex].role).toBe('user');
        expect(content).toContain(f.sentence);
        const offset = starts[f.messageIndex] + tokenizer.countTokens(content.slice(0, content.indexOf(f.sentence)));
        expect(FACT_POSITIONS[Math.floor((3 * offset) / total)]).toBe(f.position);
      }
    }
  });

  it('facts are holder + attribute + value statements, each appearing exactly once, two thirds of them the user\'s own', () => {
    for (const seed of SEEDS) {
      const c = chat(seed);
      const text = allText(c);
      const kinds = new Set<string>();
      for (const f of c.facts) {
        if (f.person === undefined) {
          expect(f.label).toBe(`my ${f.attribute}`);
          expect(f.sentence.toLowerCase()).toMatch(new RegExp(`(^|my |the )${f.attribute.toLowerCase()}[ :]`));
          expect(ALL_NAMES.filter((n) => mentions(f.sentence, n) > 0)).toEqual([]);
        } else {
          expect(f.label).toBe(`${f.person}'s ${f.attribute}`);
          expect(f.sentence).toContain(`${f.person}'s ${f.attribute} `);
        }
        expect(f.sentence.endsWith(f.value) || f.sentence.endsWith(`${f.value}.`)).toBe(true);
        expect(occurrences(text, f.sentence)).toBe(1);
        expect(f.updates).toEqual([]);
        kinds.add(/^\d+$/.test(f.value) ? 'number' : /^"/.test(f.value) ? 'quoted' : /-/.test(f.value) ? 'code' : 'date');
      }
      const user = c.facts.filter((f) => f.person === undefined);
      expect(user).toHaveLength(8);
      expect(new Set(user.map((f) => f.attribute)).size).toBe(8);
      expect(new Set(c.facts.flatMap((f) => (f.person === undefined ? [] : [f.person]))).size).toBe(4);
      expect([...kinds].sort()).toEqual(['code', 'date', 'number', 'quoted']);
    }
  });

  it('says the user\'s facts in varied phrasings, key–value lines on a line of their own', () => {
    const forms = new Set<string>();
    for (const seed of SEEDS) {
      for (const f of chat(seed).facts.filter((x) => x.person === undefined)) {
        const form = f.sentence.slice(0, f.sentence.toLowerCase().indexOf(f.attribute.toLowerCase()));
        forms.add(form);
        if (form === '') {
          expect(f.sentence).toMatch(/^[A-Z][^:]*: /);
          expect(chat(seed).messages[f.messageIndex].content.split('\n')).toContain(f.sentence);
        }
      }
    }
    expect(forms.size).toBeGreaterThanOrEqual(5);
    expect(forms).toContain('');
    expect(forms).toContain('My ');
  });

  it('plants look-alikes that are distinct from every fact and would fool a value or name matcher', () => {
    for (const seed of SEEDS) {
      const c = chat(seed);
      const text = allText(c);
      expect(c.lookalikes).toHaveLength(36);
      for (const l of c.lookalikes) {
        expect(c.messages[l.messageIndex].content).toContain(l.sentence);
        for (const f of c.facts) expect(l.sentence.includes(f.sentence) || f.sentence.includes(l.sentence)).toBe(false);
      }
      c.facts.forEach((f, i) => {
        const mine = c.lookalikes.filter((l) => l.factIndex === i);
        expect(mine.map((l) => l.kind).sort()).toEqual(['near-miss', 'other-person', 'same-value']);
        const other = mine.find((l) => l.kind === 'other-person')?.sentence ?? '';
        expect(other).toContain(`'s ${f.attribute} `);
        expect(ALL_NAMES.some((n) => mentions(other, n) > 0)).toBe(true);
        if (f.person !== undefined) expect(mentions(other, f.person)).toBe(0);
        expect(other).not.toContain(` ${f.value}.`);
        const near = mine.find((l) => l.kind === 'near-miss')?.sentence ?? '';
        expect(near).toContain(f.person === undefined ? `my ${f.attribute}` : `${f.person}'s ${f.attribute}`);
        expect(near).not.toContain(f.value);
        expect(mine.find((l) => l.kind === 'same-value')?.sentence).toContain(f.value);
        expect(occurrences(text, f.value)).toBeGreaterThanOrEqual(2);
        if (f.person !== undefined) expect(mentions(text, f.person)).toBeGreaterThanOrEqual(3);
      });
    }
  });

  it('user turns carry first-person small talk with no digits or quotes, so "I" and "my" give nothing away', () => {
    for (const s of SMALL_TALK) expect(s).not.toMatch(/[\d"]/);
    for (const seed of SEEDS) {
      const c = chat(seed);
      const user = c.messages.filter((m) => m.role === 'user').map((m) => m.content).join(' ');
      const said = SMALL_TALK.filter((s) => user.includes(s));
      expect(said.length).toBeGreaterThanOrEqual(10);
      expect(said.some((s) => s.startsWith('My '))).toBe(true);
      const assistant = c.messages.filter((m) => m.role === 'assistant').map((m) => m.content).join(' ');
      expect(SMALL_TALK.some((s) => assistant.includes(s))).toBe(false);
    }
  });

  it('ordinary turns carry names and numbers too', () => {
    const c = chat(1);
    const planted = new Set([...c.facts, ...c.lookalikes].map((x) => x.messageIndex));
    const ordinary = c.messages.slice(1, -1).filter((_, i) => !planted.has(i + 1));
    const withBoth = ordinary.filter((m) => /\d/.test(m.content) && ALL_NAMES.some((n) => m.content.includes(n)));
    expect(withBoth.length / ordinary.length).toBeGreaterThan(0.5);
  });

  it('asks about one fact, naming its person or "my", and rotates the fact with the seed', () => {
    const asked = SEEDS.map((seed) => {
      const c = chat(seed);
      const fact = c.facts[c.question.factIndex];
      expect(c.question.text).toMatch(fact.person === undefined ? /\b(my|mine)\b/ : new RegExp(`${fact.person}'s`));
      expect(c.question.text).toContain(fact.attribute);
      expect(c.question.text).not.toContain(fact.value);
      return c.question.factIndex;
    });
    expect(new Set(asked).size).toBe(SEEDS.length);
    expect(new Set(SEEDS.map((seed) => chat(seed).facts[chat(seed).question.factIndex].position)).size).toBe(3);
  });

  it('askingAbout ends the same chat with a question about the chosen fact', () => {
    const chat = plantedChat({ seed: 3 });
    for (let f = 0; f < chat.facts.length; f++) {
      const asking = askingAbout(chat, f);
      expect(asking.messages.slice(0, -1)).toEqual(chat.messages.slice(0, -1));
      expect(asking.messages.at(-1)!.content).toContain(chat.facts[f].person ?? 'my');
      expect(asking.question.factIndex).toBe(f);
    }
    expect(() => askingAbout(chat, chat.facts.length)).toThrow(RangeError);
  });
});
