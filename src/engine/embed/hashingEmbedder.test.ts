import { describe, expect, it } from 'vitest';
import { HASHING_EMBEDDER_NAME, hashEmbed, hashTokens } from './hashingEmbedder.js';

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
