import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { chunkText, hasRunOf, HfTokenizer, longRunCuts, MAX_PRETOKEN_BYTES, renderPlainChat, splitForEncoding, type HfTokenizerLike, type Tokenizer } from './tokenizer.js';
import { defaultTokenizerDir } from '../node/loadTokenizer.js';
import { testTokenizer } from '../testing/testTokenizer.js';
import { messageText, rng, syntheticChat } from '../testing/syntheticChat.js';
import { measureTemplateOverhead } from './chatTemplate.js';

let tok: Tokenizer;
/** The transformers.js tokenizer itself, encoding each text in one call: the reference for exact ids. */
let raw: HfTokenizerLike;
beforeAll(async () => {
  tok = await testTokenizer();
  const { AutoTokenizer } = await import('@huggingface/transformers');
  raw = (await AutoTokenizer.from_pretrained(defaultTokenizerDir(), { local_files_only: true })) as unknown as HfTokenizerLike;
});

const rawIds = (text: string): number[] => raw.encode(text, { add_special_tokens: false });
const utf8Bytes = (text: string): number => Buffer.byteLength(text, 'utf8');

describe('chunked encoding', () => {
  it('cuts only before a space that starts a word, and loses no text', () => {
    const text = messageText(rng(3), 400);
    const chunks = chunkText(text, 500);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.join('')).toBe(text);
    for (const c of chunks.slice(1)) expect(c).toMatch(/^ \p{L}/u);
  });

  it('encodes a long text in chunks to exactly the tokens of a whole encoding', () => {
    const text = messageText(rng(7), 900) + ' Zoë, 東京 and emoji 🙂 end.';
    expect(text.length).toBeGreaterThan(20_000);
    const chunked = tok.encode(text);
    expect(Array.from(chunked)).toEqual(Array.from(tok.encodeRendered(text)));
    expect(tok.decode(chunked)).toBe(text);
  });

  it('decodes an empty list to an empty string, with either tokenizer', () => {
    expect(tok.decode([])).toBe('');
    const hf = new HfTokenizer('qwen3', raw);
    expect(hf.decode(new Int32Array(0))).toBe('');
    expect(hf.decode(tok.encode('back again'))).toBe('back again');
  });

  it('caches decoded tokens', () => {
    const ids = tok.encode('cache me if you can, cache me');
    const before = { ...tok.decodeCache };
    ids.forEach((id) => tok.decodeToken(id));
    ids.forEach((id) => tok.decodeToken(id));
    expect(tok.decodeCache.hits - before.hits).toBeGreaterThanOrEqual(ids.length);
  });
});

describe('chat template', () => {
  it('renders the Qwen3 template and measures its per-message overhead exactly', () => {
    expect(tok.hasChatTemplate).toBe(true);
    const o = measureTemplateOverhead(tok);
    const msgs = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'What is 2 + 2?' },
      { role: 'assistant' as const, content: 'Four.' },
      { role: 'user' as const, content: 'And 3 + 3?' },
    ];
    const rendered = tok.renderChat(msgs, true);
    expect(rendered).toContain('<|im_start|>user\nWhat is 2 + 2?<|im_end|>');
    const predicted = msgs.reduce((n, m) => n + tok.encode(m.content).length + o.perRole[m.role], 0) + o.generationPrompt;
    expect(tok.countTokens(rendered)).toBe(predicted);
  });

  it('falls back to plain role blocks without a template', () => {
    expect(renderPlainChat([{ role: 'user', content: 'hi' }], true)).toBe('user: hi\n\nassistant:');
  });
});

/** Seeded base64 of `bytes` random bytes: one long word of letters, digits, '+' and '/'. */
function base64Blob(seed: number, bytes: number): string {
  const next = rng(seed);
  return Buffer.from(Array.from({ length: bytes }, () => Math.floor(next() * 256))).toString('base64');
}

describe('long runs', () => {
  it('finds a run of n units as the regex it pre-checks for does (whitespace as \\s counts it, any unicode)', () => {
    const unit = fc.oneof(fc.constantFrom(' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u2003', '\u3000', '\ufeff', '\u200b', 'a', '.', 'é', '\ud83d', '\ude00'), fc.string({ maxLength: 1 }));
    fc.assert(
      fc.property(fc.array(fc.tuple(unit, fc.integer({ min: 1, max: 12 })), { maxLength: 12 }), fc.integer({ min: 1, max: 20 }), (parts, n) => {
        const text = parts.map(([u, k]) => u.repeat(k)).join('');
        expect(hasRunOf(text, n)).toBe(new RegExp(`(?<!\\S)\\S{${n},}|(?<!\\s)\\s{${n},}`).test(text));
      }),
      { numRuns: 3000 },
    );
  });

  const SPECIAL = /<\|[a-z_]+\|>|<\/?(?:think|tool_call|tool_response)>/g;
  const FRAGMENTS = ['a', 'Zoë', 'x', '7', '=', '-', '+/', '中', '😀', '👨‍👩‍👧', 'e\u0301', '𝒜', '<|im_end|>', '<think>', ' ', '\n', 'ab12'];

  /** Every cut keeps code points, combining sequences and special tokens whole; no run longer than the limit is left. */
  function checkCuts(text: string): void {
    expect(splitForEncoding(text, false).join('')).toBe(text);
    const specials = [...text.matchAll(SPECIAL)].map((m) => [m.index, m.index + m[0].length]);
    const cuts = longRunCuts(text).at;
    for (const p of cuts) {
      expect(/[\udc00-\udfff]/.test(text[p])).toBe(false);
      expect(/^[\p{M}\u200d]/u.test(text.slice(p)) || text[p - 1] === '\u200d').toBe(false);
      expect(specials.some(([a, b]) => a < p && p < b)).toBe(false);
    }
    [0, ...cuts].forEach((from, i) => {
      const piece = text.slice(from, cuts[i] ?? text.length);
      for (const run of piece.match(/\S+|\s+/g) ?? []) expect(utf8Bytes(run)).toBeLessThanOrEqual(MAX_PRETOKEN_BYTES);
    });
  }

  it('cuts runs into pieces of at most MAX_PRETOKEN_BYTES, never inside a code point, a combining sequence or a special token', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 600 }), fc.constantFrom(...FRAGMENTS), fc.nat(400), (parts, filler, n) => {
        checkCuts(filler.repeat(n) + parts.join('') + filler.repeat(n));
      }),
    );
    for (let at = 230; at < 270; at++) checkCuts(`${'a'.repeat(at)}<|im_end|>${'b'.repeat(400)}`);
  });

  it('cuts on detected pre-token boundaries without changing any token id', () => {
    let checked = 0;
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...FRAGMENTS.filter((f) => !/^(?:x|a|\s)$/.test(f))), { minLength: 100, maxLength: 800 }), (parts) => {
        const text = parts.join('');
        const cuts = longRunCuts(text);
        if (cuts.at.length === 0 || !cuts.exact.every(Boolean)) return;
        checked++;
        expect(Array.from(tok.encodeRendered(text))).toEqual(rawIds(text));
      }),
      { numRuns: 60 },
    );
    expect(checked).toBeGreaterThan(10);
  });

  it('leaves texts without long runs to the existing chunking', () => {
    const text = messageText(rng(5), 600);
    expect(longRunCuts(text).at).toEqual([]);
    expect(splitForEncoding(text, true)).toEqual(chunkText(text));
    expect(splitForEncoding(text, false)).toEqual([text]);
    expect(longRunCuts('a'.repeat(MAX_PRETOKEN_BYTES)).at).toEqual([]);
    expect(longRunCuts('a'.repeat(MAX_PRETOKEN_BYTES + 1)).at).toEqual([MAX_PRETOKEN_BYTES]);
  });

  it('tokenizes text without long runs exactly as one call of the HF tokenizer', () => {
    const rendered = tok.renderChat(syntheticChat({ seed: 4, turns: 30 }), true);
    const texts = [
      messageText(rng(11), 900) + ' Zoë, 東京 and emoji 👨‍👩‍👧 end.',
      rendered,
      'a'.repeat(MAX_PRETOKEN_BYTES),
      '中'.repeat(85) + ' ' + '='.repeat(200) + '\n'.repeat(100),
    ];
    for (const text of texts) {
      expect(Array.from(tok.encode(text))).toEqual(rawIds(text));
      expect(Array.from(tok.encodeRendered(text))).toEqual(rawIds(text));
      expect(tok.countTokens(text)).toBe(rawIds(text).length);
    }
  });

  it('cuts long runs at pre-token boundaries when they have some, so their ids do not change either', () => {
    const url = `https://example.com/${'path/segment-42/'.repeat(40)}?q=${'k1=v1&'.repeat(40)}`;
    const texts = [`blob: ${base64Blob(1, 15_000)} end`, url, '東京は、'.repeat(200), `<|im_start|>user\n${'ab1'.repeat(300)}<|im_end|>\n`];
    for (const text of texts) {
      expect(longRunCuts(text).at.length).toBeGreaterThan(0);
      expect(longRunCuts(text).exact.every(Boolean)).toBe(true);
      expect(Array.from(tok.encodeRendered(text))).toEqual(rawIds(text));
      expect(Array.from(tok.encode(text))).toEqual(rawIds(text));
    }
  });

  it('round-trips long runs of any kind through encode and decode', () => {
    const texts = {
      emoji: '👨‍👩‍👧😀'.repeat(300),
      cjk: '中文字'.repeat(500),
      base64: base64Blob(2, 30_000),
      digits: '3141592653589793'.repeat(200),
      punctuation: '=-*#!?.,;:'.repeat(300),
      spaces: `a${' '.repeat(3000)}b${'\n'.repeat(700)}c${' \t\n'.repeat(400)}`,
      combining: 'e\u0301a\u0308'.repeat(400) + ('a' + '\u0301\u0302\u0303'.repeat(200)).repeat(3),
      astral: '𝒜𝒝𝒞'.repeat(400),
      letters: 'a'.repeat(5000) + 'Zoë'.repeat(500),
    };
    for (const [kind, text] of Object.entries(texts)) {
      const ids = tok.encode(text);
      expect(tok.decode(ids), kind).toBe(text.normalize('NFC')); // the tokenizer normalizes to NFC
      expect(Array.from(tok.encodeRendered(text)), kind).toEqual(Array.from(ids));
      expect(tok.countTokens(text), kind).toBe(ids.length);
    }
  });

  it('keeps special tokens whole in a rendered prompt with long runs', () => {
    const [imStart, imEnd] = [rawIds('<|im_start|>')[0], rawIds('<|im_end|>')[0]];
    const text = `<|im_start|>user\n${'x'.repeat(300)}<|im_end|>${'='.repeat(500)}<|im_end|>${'aé'.repeat(400)}<think>${'b'.repeat(250)}<|im_end|>\n<|im_start|>assistant\n`;
    expect(longRunCuts(text).exact.some((e) => !e)).toBe(true);
    const ids = Array.from(tok.encodeRendered(text));
    expect(ids.filter((id) => id === imEnd)).toHaveLength(3);
    expect(ids.filter((id) => id === imStart)).toHaveLength(2);
    expect(ids).toContain(rawIds('<think>')[0]);
    expect(tok.decode(ids)).toBe(text);
    expect(tok.countTokens(text)).toBe(ids.length);
  });

  it('encodes a 1 MB one-word message', () => {
    const word = 'a'.repeat(1 << 20);
    const ids = tok.encode(word);
    expect(ids.length).toBeGreaterThan(word.length / 16);
    expect(ids.length).toBeLessThan(word.length / 4);
    expect(tok.decode(ids)).toBe(word);
    const code = 'x=f(a,b)+g[0];'.repeat(20_000); // 280 KB of minified-code-like text, no spaces
    const codeIds = tok.encode(code);
    expect(codeIds.length).toBeGreaterThan(code.length / 8);
    expect(codeIds.length).toBeLessThan(code.length);
    expect(tok.decode(codeIds)).toBe(code);
  });
});
