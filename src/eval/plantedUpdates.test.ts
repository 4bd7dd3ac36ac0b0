import { beforeAll, describe, expect, it } from 'vitest';
import { testTokenizer } from '../engine/testing/testTokenizer.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import { askingAbout, FACT_POSITIONS, latestOf, plantedChat, statementsOf, type PlantedChat } from './plantedChat.js';

let tokenizer: Tokenizer;
beforeAll(async () => {
  tokenizer = await testTokenizer();
});

const SEEDS = [1, 2, 3, 4, 5];
const chats = new Map<number, PlantedChat>(SEEDS.map((seed) => [seed, plantedChat({ seed, targetTokens: 20_000, facts: 12, updates: true })]));
const chat = (seed: number): PlantedChat => chats.get(seed) as PlantedChat;
const allText = (c: PlantedChat): string => c.messages.map((m) => m.content).join('\n');
const occurrences = (text: string, s: string): number => text.split(s).length - 1;

describe('plantedChat with updates', () => {
  it('is deterministic, marked as the updates family, and plants the same facts as the planted family', () => {
    expect(plantedChat({ seed: 2, updates: true })).toEqual(chat(2));
    expect(chat(2).family).toBe('updates');
    expect(plantedChat({ seed: 2 }).family).toBe('planted');
    const plain = plantedChat({ seed: 2 }).facts.map((f) => f.sentence).sort();
    expect(chat(2).facts.map((f) => f.sentence).sort()).toEqual(plain);
  });

  it('restates half the facts with new values, a third of those twice, the user\'s and others\'', () => {
    for (const seed of SEEDS) {
      const c = chat(seed);
      const updated = c.facts.filter((f) => f.updates.length > 0);
      expect(updated).toHaveLength(6);
      expect(updated.filter((f) => f.updates.length === 2)).toHaveLength(2);
      expect(c.facts.every((f) => f.updates.length <= 2)).toBe(true);
      for (const f of updated) {
        const values = statementsOf(f).map((s) => s.value);
        expect(new Set(values).size).toBe(values.length);
      }
    }
    const holders = SEEDS.flatMap((seed) => chat(seed).facts.filter((f) => f.updates.length > 0).map((f) => f.person === undefined));
    expect(holders).toContain(true);
    expect(holders).toContain(false);
  });

  it('puts every statement in the chat exactly once, each update in a later message than the statement before it', () => {
    for (const seed of SEEDS) {
      const c = chat(seed);
      const text = allText(c);
      const sentences = c.facts.flatMap(statementsOf).map((s) => s.sentence);
      for (const f of c.facts) {
        statementsOf(f).forEach((s, k, all) => {
          expect(occurrences(text, s.sentence)).toBe(1);
          expect(c.messages[s.messageIndex].role).toBe('user');
          expect(c.messages[s.messageIndex].content).toContain(s.sentence);
          expect(s.sentence.endsWith(s.value) || s.sentence.endsWith(`${s.value}.`)).toBe(true);
          if (k > 0) expect(s.messageIndex).toBeGreaterThan(all[k - 1].messageIndex);
        });
      }
      // no statement is inside another (so a kept old value never passes for the latest, nor the reverse)
      for (const a of sentences) for (const b of sentences) if (a !== b) expect(a.includes(b)).toBe(false);
      for (const l of c.lookalikes) for (const s of sentences) expect(l.sentence.includes(s) || s.includes(l.sentence)).toBe(false);
    }
  });

  it('phrases updates in varied ways, naming the same holder and attribute', () => {
    const leads = new Set<string>();
    for (const seed of SEEDS) {
      for (const f of chat(seed).facts) {
        for (const u of f.updates) {
          expect(u.sentence.toLowerCase()).toContain(f.attribute.toLowerCase());
          if (f.person !== undefined) expect(u.sentence).toContain(`${f.person}'s ${f.attribute}`);
          else expect(u.sentence).toMatch(/^(.*\bmy |My |New )/);
          leads.add(u.sentence.split(/[ ,:]/)[0]);
        }
      }
    }
    expect(leads.size).toBeGreaterThanOrEqual(4);
  });

  it('asks about an updated fact, rotating with the seed, and stays within ±15% of the target with the real tokenizer', () => {
    const asked = SEEDS.map((seed) => {
      const c = chat(seed);
      const f = c.facts[c.question.factIndex];
      expect(f.updates.length).toBeGreaterThan(0);
      for (const s of statementsOf(f)) expect(c.question.text).not.toContain(s.value);
      const tokens = tokenizer.countTokens(tokenizer.renderChat(c.messages, false));
      expect(tokens).toBeGreaterThanOrEqual(17_000);
      expect(tokens).toBeLessThanOrEqual(23_000);
      return f.sentence;
    });
    expect(new Set(asked).size).toBe(SEEDS.length);
    for (const p of FACT_POSITIONS) expect(chat(1).facts.filter((f) => f.position === p)).toHaveLength(4);
  });

  it('latestOf is the last restatement, or the fact itself when never restated; askingAbout keeps the updates', () => {
    const c = chat(3);
    for (const f of c.facts) expect(latestOf(f)).toBe(f.updates.length > 0 ? f.updates.at(-1) : f);
    const i = c.facts.findIndex((f) => f.updates.length === 2);
    const asking = askingAbout(c, i);
    expect(asking.facts[i].updates).toHaveLength(2);
    expect(asking.family).toBe('updates');
  });
});
