import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type KeptSpans,
  blockMask,
  blockMaskStats,
  cooMask,
  cooMaskStats,
  denseAllows,
  denseMask,
  longformerMask,
  maskNnz,
  maskStats,
  wordsPerRow,
} from './masks.js';

const spans = (pairs: [number, number][]): KeptSpans => ({ starts: Int32Array.from(pairs.map((p) => p[0])), ends: Int32Array.from(pairs.map((p) => p[1])) });

/** Random n <= 200 and sorted, non-overlapping spans (adjacent and empty ones included). */
const keptInput = fc.integer({ min: 0, max: 200 }).chain((n) =>
  fc.tuple(fc.constant(n), fc.array(fc.tuple(fc.nat(40), fc.nat(50)), { maxLength: 12 })).map(([, runs]) => {
    const pairs: [number, number][] = [];
    let pos = 0;
    for (const [gap, len] of runs) {
      const start = pos + gap;
      if (start >= n) break;
      pos = Math.min(n, start + len);
      pairs.push([start, pos]);
    }
    return { n, kept: spans(pairs) };
  }),
);

/** Brute-force reference: nested loops over token pairs. */
function reference(n: number, kept: KeptSpans, causal: boolean): (i: number, j: number) => boolean {
  const isKept = new Array<boolean>(n).fill(false);
  for (let s = 0; s < kept.starts.length; s++) for (let t = kept.starts[s]; t < kept.ends[s]; t++) isKept[t] = true;
  return (i, j) => isKept[i] && isKept[j] && (!causal || j <= i);
}

function pairsOf(n: number, allows: (i: number, j: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (allows(i, j)) out.push([i, j]);
  return out;
}

/** Every (i, j) in [0, n) × [0, ceil(n/32)·32): real columns match, padding bits stay 0. */
function expectDense(mask: { n: number; words: Uint32Array }, allows: (i: number, j: number) => boolean): void {
  const w = wordsPerRow(mask.n);
  expect(mask.words.length).toBe(mask.n * w);
  for (let i = 0; i < mask.n; i++) {
    for (let j = 0; j < w * 32; j++) {
      const bit = (mask.words[i * w + (j >>> 5)] >>> (j & 31)) & 1;
      if (bit !== (j < mask.n && allows(i, j) ? 1 : 0)) throw new Error(`bit (${i}, ${j}) is ${bit}`);
    }
  }
}

const causalities = [true, false];

describe('masks against a brute-force reference', () => {
  it('denseMask, cooMask, maskNnz and their stats', () => {
    fc.assert(
      fc.property(keptInput, fc.boolean(), ({ n, kept }, causal) => {
        const allows = reference(n, kept, causal);
        const expected = pairsOf(n, allows);
        const dense = denseMask(n, kept, { causal });
        expectDense(dense, allows);
        const coo = cooMask(n, kept, { causal });
        expect(coo.nnz).toBe(expected.length);
        expect(coo.rows.length).toBe(expected.length);
        expect(Array.from(coo.rows, (r, k) => [r, coo.cols[k]])).toEqual(expected);
        expect(maskNnz(n, kept, { causal })).toBe(expected.length);
        const total = n * n;
        const sparsity = total === 0 ? 1 : 1 - expected.length / total;
        expect(maskStats(dense)).toEqual({ allowed: expected.length, total, sparsity });
        expect(cooMaskStats(coo, n)).toEqual({ allowed: expected.length, total, sparsity });
      }),
      { numRuns: 300 },
    );
  });

  it('blockMask for block sizes 1..64', () => {
    fc.assert(
      fc.property(keptInput, fc.integer({ min: 1, max: 64 }), fc.boolean(), ({ n, kept }, blockSize, causal) => {
        const allows = reference(n, kept, causal);
        const blocks = Math.ceil(n / blockSize);
        const expected = new Uint8Array(blocks * blocks);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) if (allows(i, j)) expected[Math.floor(i / blockSize) * blocks + Math.floor(j / blockSize)] = 1;
        }
        const b = blockMask(n, kept, blockSize, { causal });
        expect(b.blocks).toBe(blocks);
        expect(b.blockSize).toBe(blockSize);
        expect(b.mask).toEqual(expected);
        const allowed = expected.reduce((a, x) => a + x, 0);
        expect(blockMaskStats(b)).toEqual({ allowed, total: blocks * blocks, sparsity: blocks === 0 ? 1 : 1 - allowed / (blocks * blocks) });
      }),
      { numRuns: 300 },
    );
  });

  it('longformerMask', () => {
    const input = fc.integer({ min: 0, max: 200 }).chain((n) =>
      fc.record({
        n: fc.constant(n),
        window: fc.integer({ min: 0, max: 80 }),
        globals: n === 0 ? fc.constant<number[]>([]) : fc.array(fc.integer({ min: 0, max: n - 1 }), { maxLength: 6 }),
        causal: fc.boolean(),
      }),
    );
    fc.assert(
      fc.property(input, ({ n, window, globals, causal }) => {
        const isGlobal = (t: number) => globals.includes(t);
        const allows = (i: number, j: number) => (Math.abs(i - j) <= window / 2 || isGlobal(i) || isGlobal(j)) && (!causal || j <= i);
        const mask = longformerMask(n, { window, globalTokens: Int32Array.from(globals), causal });
        expectDense(mask, allows);
        expect(maskStats(mask).allowed).toBe(pairsOf(n, allows).length);
      }),
      { numRuns: 300 },
    );
  });
});

describe('masks by hand', () => {
  const kept = spans([[1, 3], [5, 6]]); // tokens 1, 2, 5 of 7
  it('causal vs non-causal', () => {
    const causal = denseMask(7, kept);
    const full = denseMask(7, kept, { causal: false });
    expect(denseAllows(causal, 5, 1)).toBe(true);
    expect(denseAllows(causal, 1, 5)).toBe(false);
    expect(denseAllows(full, 1, 5)).toBe(true);
    expect(denseAllows(full, 0, 1)).toBe(false); // token 0 is not kept
    expect(maskStats(causal)).toEqual({ allowed: 6, total: 49, sparsity: 1 - 6 / 49 });
    expect(maskStats(full).allowed).toBe(9);
    const coo = cooMask(7, kept);
    expect(Array.from(coo.rows)).toEqual([1, 2, 2, 5, 5, 5]);
    expect(Array.from(coo.cols)).toEqual([1, 1, 2, 1, 2, 5]);
    expect(Array.from(blockMask(7, kept, 3).mask)).toEqual([1, 0, 0, 1, 1, 0, 0, 0, 0]);
    expect(Array.from(blockMask(7, kept, 3, { causal: false }).mask)).toEqual([1, 1, 0, 1, 1, 0, 0, 0, 0]);
  });
  for (const causal of causalities) {
    it(`empty kept set (causal ${causal})`, () => {
      const none = spans([]);
      expect(maskStats(denseMask(50, none, { causal }))).toEqual({ allowed: 0, total: 2500, sparsity: 1 });
      expect(cooMask(50, none, { causal }).nnz).toBe(0);
      expect(blockMaskStats(blockMask(50, none, 16, { causal })).allowed).toBe(0);
      expect(maskStats(denseMask(0, none, { causal }))).toEqual({ allowed: 0, total: 0, sparsity: 1 });
    });
  }
  it('fills whole words across a long span', () => {
    const mask = denseMask(100, spans([[3, 97]]), { causal: false });
    expect(maskStats(mask).allowed).toBe(94 * 94);
    expect(mask.words[50 * 4 + 1]).toBe(0xffffffff);
  });
  it('rejects malformed spans and block sizes', () => {
    expect(() => denseMask(10, spans([[4, 6], [5, 8]]))).toThrow(/span 1/);
    expect(() => cooMask(10, spans([[4, 11]]))).toThrow(RangeError);
    expect(() => blockMask(10, spans([[3, 2]]), 4)).toThrow(RangeError);
    expect(() => blockMask(10, spans([[0, 2]]), 0)).toThrow(/blockSize/);
    expect(() => maskNnz(10, { starts: new Int32Array(1), ends: new Int32Array(0) })).toThrow(/1 starts but 0 ends/);
    expect(() => longformerMask(10, { window: 4, globalTokens: Int32Array.of(10) })).toThrow(/global token 10/);
  });
});
