import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { previewText } from './preview.js';
import type { Tokenizer } from './tokenizer.js';
import { TokenRing } from './tokenRing.js';

/** A tokenizer whose decode spells each id out: enough to see which ids a preview decoded, in order. */
const tokenizer = { decode: (ids: ArrayLike<number>) => Array.from(ids, (id) => `<${id}>`).join('') } as unknown as Tokenizer;

function reference(ring: TokenRing, from: number, to: number): string {
  const clip = (s: string): string => (s.length > 160 ? `${s.slice(0, 159)}…` : s);
  if (to - from <= 40) return clip(tokenizer.decode(ring.ids(from, to)));
  return `${clip(tokenizer.decode(ring.ids(from, from + 32)))} … ${tokenizer.decode(ring.ids(to - 8, to))}`;
}

describe('previewText', () => {
  it('decodes the ring ids of the range (head and tail when long), across the ring wrapping around', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 90 }), fc.integer({ min: 1, max: 120 }), fc.nat(), fc.nat(), (shift, n, a, b) => {
        const ring = new TokenRing(16);
        let next = 0;
        for (let i = 0; i < shift; i++) ring.push(next++, i, 0, 0);
        ring.shift(shift);
        for (let i = 0; i < n; i++) ring.push(next++, shift + i, 0, 0);
        const from = a % n;
        const to = from + 1 + (b % (n - from));
        expect(previewText(tokenizer, ring, from, to)).toBe(reference(ring, from, to));
        const out = new Int32Array(to - from);
        ring.copyIds(from, to, out);
        expect(Array.from(out)).toEqual(Array.from(ring.ids(from, to)));
      }),
    );
  });
});
