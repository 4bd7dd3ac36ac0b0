import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { sentenceFlags } from '../core/boundaries.js';
import type { Tokenizer } from '../core/tokenizer.js';
import { FLAG_SENTENCE_START } from '../core/tokenRing.js';
import { syntheticChat } from '../testing/syntheticChat.js';
import { testTokenizer } from '../testing/testTokenizer.js';
import { MAY_READ, MAY_STATE, READ_WORDS, STATE_WORDS } from './extract.js';
import { charOffsets, tokenScan } from './tokenScan.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});

/** Each sentence of `content` as the engine cuts it: [a, b) and its decoded text. */
function sentences(content: string): { ids: Int32Array; a: number; b: number; text: string }[] {
  const ids = tok.encode(content);
  const flags = sentenceFlags(ids, (t) => tok.decodeToken(t));
  const out: { ids: Int32Array; a: number; b: number; text: string }[] = [];
  for (let a = 0; a < ids.length; ) {
    let b = a + 1;
    while (b < ids.length && (flags[b] & FLAG_SENTENCE_START) === 0) b++;
    out.push({ ids, a, b, text: tok.decode(ids.subarray(a, b)) });
    a = b;
  }
  return out;
}

const bothChecks = (text: string): boolean => MAY_STATE.test(text) && MAY_READ.test(text);

describe('tokenScan', () => {
  it('passes every sentence the extractor\'s two checks pass (random text with the checks\' words, cased and split)', () => {
    const words = [...STATE_WORDS, ...READ_WORDS];
    const piece = fc.oneof(
      fc.string({ unit: 'grapheme', maxLength: 6 }),
      fc.constantFrom(...words, ...words.map((w) => w.toUpperCase()), ...words.map((w) => w[0].toUpperCase() + w.slice(1))),
      fc.constantFrom(' ', '. ', '\n', '(', '"', '“', '—', '–', ' - ', '-', "'", '’', ':', '=', '|', '5', '_', 'x', 'Zq', '🙂', 'é', '東'),
    );
    const text = fc.array(piece, { maxLength: 16 }).map((parts) => parts.join(''));
    fc.assert(
      fc.property(text, (content) => {
        for (const s of sentences(content)) {
          if (bothChecks(s.text)) expect(tokenScan(tok, s.ids).mayState(s.a, s.b), JSON.stringify(s.text)).toBe(true);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('on real chats, passes every sentence the checks pass and refuses most of the rest', () => {
    const facts = [
      'My locker code is 5521. Locker code: 5521',
      'Update: my parking spot is now 318. Actually, my Wi-Fi password is "Quiet Orchard".',
      "Nadia Haddad's badge number is 8182 — she told me. We decided the codename is “Velvet Falcon”.",
      'I moved to Lisbon. Call me Sam. Dentist appointment - May 3. The deploy window = Friday 18:00.',
      'I’m allergic to peanuts; our office is room B-204. Remember that my visa renewal is due on January 25.',
    ];
    const contents = [...syntheticChat({ seed: 5, turns: 200 }).map((m) => m.content), ...facts];
    let passed = 0;
    let refused = 0;
    let total = 0;
    for (const content of contents) {
      for (const s of sentences(content)) {
        total++;
        const may = tokenScan(tok, s.ids).mayState(s.a, s.b);
        if (bothChecks(s.text)) {
          expect(may, s.text).toBe(true);
          passed++;
        } else if (!may) refused++;
      }
    }
    expect(passed).toBeGreaterThan(0);
    // the checks refuse most sentences; the token test refuses most of those too
    expect(refused).toBeGreaterThan(0.5 * (total - passed));
  });

  it('joins a word split across tokens, and only a whole word', () => {
    const ids = (...parts: string[]) => Int32Array.from(parts.flatMap((p) => [...tok.encode(p)]));
    // "was" as two tokens: neither is a word of the checks alone; the digit passes the first check
    const split = ids('(', 'wa', 's', ' 5');
    expect(tok.decode(split)).toBe('(was 5');
    expect(bothChecks(tok.decode(split))).toBe(true);
    expect(tokenScan(tok, split).mayState(0, split.length)).toBe(true);
    // the same tokens inside a longer word state nothing
    const inside = ids('(', 'wa', 's', 'p', ' 5');
    expect(bothChecks(tok.decode(inside))).toBe(false);
    expect(tokenScan(tok, inside).mayState(0, inside.length)).toBe(false);
  });
});

describe('charOffsets', () => {
  it('gives offsets for text with quotes, dashes and accents, not only ASCII', () => {
    const content = 'My café’s name is “Blue Door” — since 2019. Ok.';
    const ids = tok.encode(content);
    const offsets = charOffsets(tok, ids, content);
    expect(offsets).toBeDefined();
    expect(content.slice(offsets![0], offsets![ids.length])).toBe(content);
  });

  it('says it cannot when the text is not NFC (the tokenizer reads it normalized)', () => {
    const content = 'Cafe\u0301 is open.';
    expect(charOffsets(tok, tok.encode(content), content)).toBeUndefined();
  });
});
