import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EmbeddingCache, contentHash } from './embeddingCache.js';

/** Reference FNV-1a 64 with BigInt. */
function fnv64Reference(text: string): string {
  let h = 0xcbf29ce484222325n;
  for (const b of new TextEncoder().encode(text)) {
    h ^= BigInt(b);
    h = (h * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return h.toString(16).padStart(16, '0');
}

/** An embedder that records its calls and encodes the text length in the vector. */
function recorder(): { calls: string[][]; embed: (texts: string[]) => Float32Array[] } {
  const calls: string[][] = [];
  return { calls, embed: (texts) => (calls.push([...texts]), texts.map((t) => Float32Array.of(t.length, t.charCodeAt(0) || 0))) };
}

describe('contentHash', () => {
  it('matches published FNV-1a 64 vectors', () => {
    expect(contentHash('')).toBe('cbf29ce484222325');
    expect(contentHash('a')).toBe('af63dc4c8601ec8c');
    expect(contentHash('foobar')).toBe('85944171f73967e8');
  });

  it('matches a BigInt reference on arbitrary unicode strings', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => contentHash(s) === fnv64Reference(s)));
  });

  it('matches it on long texts and lone surrogates (the reused byte buffer grows; U+FFFD as TextEncoder writes it)', () => {
    const unit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
    fc.assert(fc.property(fc.string({ unit, minLength: 300, maxLength: 1500 }), (s) => contentHash(s) === fnv64Reference(s)), { numRuns: 50 });
    expect(contentHash('a\ud800b')).toBe(fnv64Reference('a\ud800b'));
    expect(contentHash('x'.repeat(5000))).toBe(fnv64Reference('x'.repeat(5000)));
  });
});

describe('EmbeddingCache', () => {
  it('counts hits and misses and embeds only the misses, in one batch per call', () => {
    const r = recorder();
    const cache = new EmbeddingCache(r.embed);
    cache.embedAll(['alpha', 'beta']);
    expect(r.calls).toEqual([['alpha', 'beta']]);
    expect([cache.hits, cache.misses, cache.size]).toEqual([0, 2, 2]);
    cache.embedAll(['beta', 'gamma', 'alpha', 'delta']);
    expect(r.calls[1]).toEqual(['gamma', 'delta']);
    expect([cache.hits, cache.misses, cache.size]).toEqual([2, 4, 4]);
    cache.embedAll(['delta', 'alpha']);
    expect(r.calls.length).toBe(2);
    expect(cache.hits).toBe(4);
  });

  it('deduplicates repeated misses inside one call and keeps the input order', () => {
    const r = recorder();
    const cache = new EmbeddingCache(r.embed);
    cache.embedAll(['x1']);
    const out = cache.embedAll(['bb', 'x1', 'ccc', 'bb', 'ccc', 'x1']);
    expect(r.calls[1]).toEqual(['bb', 'ccc']);
    expect(out.map((v) => v[0])).toEqual([2, 2, 3, 2, 3, 2]);
    expect(out[0]).toBe(out[3]);
    expect(cache.misses).toBe(3);
    expect(cache.hits).toBe(4);
  });

  it('evicts the least recently used entries past capacity, refreshing hits', () => {
    const r = recorder();
    const cache = new EmbeddingCache(r.embed, 3);
    cache.embedAll(['a1', 'b1', 'c1']);
    cache.embedAll(['a1']); // a1 becomes most recent; b1 is now the oldest
    cache.embedAll(['d1']); // evicts b1
    expect(cache.size).toBe(3);
    cache.embedAll(['a1', 'c1', 'd1']);
    expect(r.calls.length).toBe(2);
    cache.embedAll(['b1']); // miss again; evicts a1 (oldest after the refresh a1, c1, d1)
    expect(r.calls[2]).toEqual(['b1']);
    cache.embedAll(['c1', 'd1', 'b1']);
    expect(r.calls.length).toBe(3);
    cache.embedAll(['a1']);
    expect(r.calls[3]).toEqual(['a1']);
  });

  it('makes no call for an all-hit or empty input, and rejects a wrong-length batch', () => {
    const r = recorder();
    const cache = new EmbeddingCache(r.embed);
    expect(cache.embedAll([])).toEqual([]);
    expect(r.calls.length).toBe(0);
    const bad = new EmbeddingCache(() => []);
    expect(() => bad.embedAll(['q'])).toThrow(/0 vectors for 1 texts/);
  });

  it('returns the embedder output for every input (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.constantFrom('aa', 'bbb', 'c', 'dddd', 'ee'), { maxLength: 8 }), { maxLength: 6 }), fc.integer({ min: 0, max: 4 }), (calls, capacity) => {
        const r = recorder();
        const cache = new EmbeddingCache(r.embed, capacity);
        for (const texts of calls) {
          const out = cache.embedAll(texts);
          expect(out.map((v) => v[0])).toEqual(texts.map((t) => t.length));
          expect(cache.size).toBeLessThanOrEqual(capacity);
        }
        const total = calls.reduce((s, t) => s + t.length, 0);
        expect(cache.hits + cache.misses).toBe(total);
        expect(r.calls.flat().length).toBe(cache.misses);
      }),
    );
  });
});
