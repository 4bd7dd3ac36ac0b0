import { describe, expect, it } from 'vitest';
import { cardLabels, factState, hasCard, hasSentence, statementKept, type MatchFact } from './factMatch.js';

const PEOPLE = ['Priya Raman', 'Priyanka Rao', 'Elena Petrov', 'Elena Petrova'];
const wrap = (body: string): string => `<|im_start|>system\nBe careful.<|im_end|>\n<|im_start|>user\nSome text. ${body}\nMore text.<|im_end|>\n`;

const LOCKER: MatchFact = { attribute: 'locker code', sentence: 'My locker code is 5521.', value: '5521', updates: [] };
const BADGE: MatchFact = { attribute: 'badge number', person: 'Priya Raman', sentence: "Remember: Priya Raman's badge number is 4471.", value: '4471', updates: [] };
const WIFI: MatchFact = { attribute: 'Wi-Fi password', sentence: 'Wi-Fi password: "Quiet Harbor"', value: '"Quiet Harbor"', updates: [] };
const PARKING: MatchFact = {
  attribute: 'parking spot',
  sentence: 'For the record, my parking spot is 212.',
  value: '212',
  updates: [
    { sentence: 'Actually, my parking spot is 318.', value: '318' },
    { sentence: 'Update: my parking spot is now 407.', value: '407' },
  ],
};
const kept = (context: string, f: MatchFact) => statementKept(wrap(context), f, f, PEOPLE);

describe('cards', () => {
  it('finds the label of every card line stating a value', () => {
    const ctx = 'Facts:\nmy locker code: 5521 (#34)\n- Priya Raman\'s badge number: 4471 (#12)\nmy desk extension: 5521 (#40)';
    expect(cardLabels(ctx, '5521')).toEqual(['my locker code', 'my desk extension']);
    expect(cardLabels(ctx, '4471')).toEqual(["- Priya Raman's badge number"]);
    expect(cardLabels(ctx, '447')).toEqual([]);
  });

  it("counts a card for the user's fact whose label ends in the attribute's words, any case", () => {
    expect(kept('my locker code: 5521 (#34)', LOCKER)).toBe('card');
    expect(kept('Locker code: 5521 (#34)', LOCKER)).toBe('card');
    expect(kept('- MY LOCKER CODE: 5521 (#7)', LOCKER)).toBe('card');
    expect(kept('my Wi-Fi password: "Quiet Harbor" (#3)', WIFI)).toBe('card');
    expect(kept('my wi-fi password: Quiet Harbor (#3)', WIFI)).toBe('card');
  });

  it("counts a card for a named person's fact only when its label names that person", () => {
    expect(kept("Priya Raman's badge number: 4471 (#12)", BADGE)).toBe('card');
    expect(kept('badge number: 4471 (#12)', BADGE)).toBeUndefined();
    expect(kept("Priyanka Rao's badge number: 4471 (#12)", BADGE)).toBeUndefined();
    const elena: MatchFact = { ...BADGE, person: 'Elena Petrov', sentence: "Elena Petrov's badge number is 4471." };
    expect(kept("Elena Petrova's badge number: 4471 (#12)", elena)).toBeUndefined();
    expect(kept("Elena Petrov's badge number: 4471 (#12)", elena)).toBe('card');
  });

  it("refuses cards with another value, another attribute, another person's label, or no card shape", () => {
    for (const ctx of [
      'my locker code: 5512 (#34)', // near-miss value
      'my locker code: 55210 (#34)', // longer value
      'my locker code: 5521', // no message id: a sentence, not a card
      'my locker code: 5521 (34)',
      'my desk extension: 5521 (#34)', // another attribute
      'my locker code number: 5521 (#34)', // label does not end in the attribute
      "Priyanka Rao's locker code: 5521 (#34)", // someone else's
      'locker: 5521 (#34)',
      'my locker\ncode: 5521 (#34)', // a card is one line
    ]) expect(kept(ctx, LOCKER), ctx).toBeUndefined();
  });

  it('tells a key–value sentence from a card that starts with the same words', () => {
    expect(kept('Wi-Fi password: "Quiet Harbor" (#3)', WIFI)).toBe('card');
    expect(kept('Wi-Fi password: "Quiet Harbor" (#3)\nWi-Fi password: "Quiet Harbor"', WIFI)).toBe('sentence');
    expect(hasSentence('Wi-Fi password: "Quiet Harbor" (#3)', WIFI.sentence)).toBe(false);
  });

  it('prefers the sentence when both are there', () => {
    expect(kept(`${LOCKER.sentence}\nmy locker code: 5521 (#34)`, LOCKER)).toBe('sentence');
    expect(hasCard(wrap(LOCKER.sentence), LOCKER, '5521', PEOPLE)).toBe(false);
  });
});

describe('statementKept with sentences', () => {
  it('counts the whole sentence verbatim only', () => {
    expect(kept(LOCKER.sentence, LOCKER)).toBe('sentence');
    expect(kept(WIFI.sentence, WIFI)).toBe('sentence');
    for (const ctx of ['My locker code is 552', 'my locker code is 5521.', 'Locker 5521.', "Priyanka Rao's locker code is 5521."]) {
      expect(kept(ctx, LOCKER)).toBeUndefined();
    }
    expect(statementKept('anything', LOCKER, { sentence: '', value: 'x' }, PEOPLE)).toBeUndefined();
  });
});

describe('factState', () => {
  const state = (ctx: string) => factState(wrap(ctx), PARKING, PEOPLE);
  it('is kept when the latest statement is there, whatever older ones are there too', () => {
    expect(state('Update: my parking spot is now 407.')).toEqual({ latest: 'sentence', stale: false });
    expect(state('For the record, my parking spot is 212. Update: my parking spot is now 407.')).toEqual({ latest: 'sentence', stale: false });
    expect(state('Actually, my parking spot is 318.\nmy parking spot: 407 (#90)')).toEqual({ latest: 'card', stale: false });
  });

  it('is stale when only an older value is there, as a sentence or a card', () => {
    expect(state('For the record, my parking spot is 212.')).toEqual({ stale: true });
    expect(state('Actually, my parking spot is 318.')).toEqual({ stale: true });
    expect(state('my parking spot: 318 (#60)')).toEqual({ stale: true });
  });

  it('is neither when no statement is there; look-alikes do not make it stale', () => {
    expect(state('nothing here')).toEqual({ stale: false });
    expect(state("Priyanka Rao's parking spot is 212.\nPriyanka Rao's parking spot: 318 (#5)")).toEqual({ stale: false });
    expect(factState(wrap(LOCKER.sentence), LOCKER, PEOPLE)).toEqual({ latest: 'sentence', stale: false });
  });
});
