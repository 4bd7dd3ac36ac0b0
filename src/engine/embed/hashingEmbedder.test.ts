import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HASHING_EMBEDDER_NAME, hashEmbed, hashEmbedSparse, hashTokens } from './hashingEmbedder.js';
import { sparseOf, toSparse } from './sparseVector.js';

function dot(a: Float32Array, b: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}
const norm = (a: Float32Array): number => Math.sqrt(dot(a, a));
const cosine = (a: Float32Array, b: Float32Array): number => dot(a, b) / (norm(a) * norm(b));

describe('hashEmbed', () => {
  it('has a stable name and the default dimension', () => {
    expect(HASHING_EMBEDDER_NAME).toBe('lexical-hash-256');
    expect(hashEmbed('hello world').length).toBe(256);
    expect(hashEmbed('hello world', 64).length).toBe(64);
  });

  it('tokenizes lowercase words, dropping single letters but keeping digits', () => {
    expect(hashTokens('A cat, 7 dogs & I-9 x')).toEqual(['cat', '7', 'dogs', '9']);
  });

  it('gives cosine 1 for identical texts and is deterministic', () => {
    const text = 'Evict the oldest spans when the budget overflows.';
    const a = hashEmbed(text);
    const b = hashEmbed(text);
    expect(Array.from(a)).toEqual(Array.from(b));
    expect(cosine(a, b)).toBeCloseTo(1, 6);
  });

  it('is case-insensitive and punctuation-insensitive', () => {
    expect(cosine(hashEmbed('Cache LAYER, batches!'), hashEmbed('cache layer batches'))).toBeCloseTo(1, 6);
  });

  it('scores near-duplicates far above unrelated sentences', () => {
    const a = hashEmbed('The cache layer batches old spans.');
    const b = hashEmbed('The cache layer batches the old spans again.');
    const c = hashEmbed('Mountains glow orange during a quiet winter sunset.');
    const near = cosine(a, b);
    const far = Math.abs(cosine(a, c));
    expect(near).toBeGreaterThan(0.6);
    expect(far).toBeLessThan(0.2);
    expect(near - far).toBeGreaterThan(0.5);
  });

  it('returns unit vectors, and zeros for text without words', () => {
    for (const t of ['one', 'The cache layer batches old spans.', '42 is the answer']) {
      expect(norm(hashEmbed(t))).toBeCloseTo(1, 5);
    }
    for (const t of ['', '   ', '!? a . b']) {
      expect(hashEmbed(t).every((x) => x === 0)).toBe(true);
    }
  });

  it('uses both signs across features', () => {
    const v = hashEmbed('alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu');
    expect(v.some((x) => x > 0)).toBe(true);
    expect(v.some((x) => x < 0)).toBe(true);
  });

  it('rejects a bad dimension', () => {
    expect(() => hashEmbed('x', 0)).toThrow(RangeError);
  });
});

/** The embedder as first written (regex split, a Map of feature strings): the fast one must equal it bit for bit. */
function referenceTokens(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((raw) => raw.length > 1 || (raw.length === 1 && /^\p{N}$/u.test(raw)));
}
function referenceEmbed(text: string, dim = 256): Float32Array {
  const fnv = (s: string, offset: number): number => {
    let h = offset >>> 0;
    for (let i = 0; i < s.length; i++) {
      h ^= s.charCodeAt(i);
      h = Math.imul(h, 0x01000193);
    }
    return h >>> 0;
  };
  const tokens = referenceTokens(text);
  const counts = new Map<string, number>();
  const add = (f: string): void => void counts.set(f, (counts.get(f) ?? 0) + 1);
  for (let i = 0; i < tokens.length; i++) {
    add(tokens[i]);
    if (i > 0) add(`${tokens[i - 1]} ${tokens[i]}`);
  }
  const acc = new Float64Array(dim);
  for (const [f, count] of counts) acc[fnv(f, 0x811c9dc5) % dim] += (fnv(f, 0x9747b28c) & 1 ? -1 : 1) * (1 + Math.log(count));
  let norm = 0;
  for (let i = 0; i < dim; i++) norm += acc[i] * acc[i];
  const out = new Float32Array(dim);
  if (norm === 0) return out;
  const inv = 1 / Math.sqrt(norm);
  for (let i = 0; i < dim; i++) out[i] = acc[i] * inv;
  return out;
}

describe('hashEmbed fast paths', () => {
  const words = ['the', 'w'.repeat(3) + ' q9 '.repeat(60), 'The', 'cache', 'CACHE', 'layer', 'a', 'I', '7', '42', 'x9', 'Zoë', 'élan', '½', ' ', '  ', ', ', '-', '.', "'", '\n', 'very very'];
  it('gives the reference embedding bit for bit (repeated words and bigrams, ASCII and not)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...words), { maxLength: 40 }), fc.constantFrom(256, 64, 7), (parts, dim) => {
        const text = parts.join(' ');
        expect(hashTokens(text)).toEqual(referenceTokens(text));
        expect(Array.from(hashEmbed(text, dim))).toEqual(Array.from(referenceEmbed(text, dim)));
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
        expect(hashTokens(text)).toEqual(referenceTokens(text));
        expect(Array.from(hashEmbed(text))).toEqual(Array.from(referenceEmbed(text)));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('hashEmbed sparse view', () => {
  it('is the sparse view toSparse makes of the vector, made with it (any text, repeats and cancellations included)', () => {
    const word = fc.constantFrom('cache', 'layer', 'the', 'old', 'spans', 'Zoë', '42', 'a', 'x9', 'é');
    const text = fc.oneof(fc.string(), fc.array(word, { maxLength: 40 }).map((w) => w.join(' ')));
    fc.assert(
      fc.property(text, fc.constantFrom(256, 64, 7), (t, dim) => {
        const v = hashEmbed(t, dim);
        const view = sparseOf(v);
        const ref = toSparse(v);
        expect(Array.from(view.index)).toEqual(Array.from(ref.index));
        expect(Array.from(view.value)).toEqual(Array.from(ref.value));
        expect(view.sqNorm).toBe(ref.sqNorm);
        // and hashEmbedSparse makes the same nonzeros without the vector
        const alone = hashEmbedSparse(t, dim);
        expect(Array.from(alone.index)).toEqual(Array.from(ref.index));
        expect(Array.from(alone.value)).toEqual(Array.from(ref.value));
        expect(alone.sqNorm).toBe(ref.sqNorm);
      }),
      { numRuns: 1000 },
    );
  });
});
