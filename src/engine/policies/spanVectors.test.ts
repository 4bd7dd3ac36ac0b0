import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../core/rng.js';
import { hashEmbedSparse } from '../embed/hashingEmbedder.js';
import { sparseDot, type SparseVector } from '../embed/sparseVector.js';
import { LEXICAL_DIM, SpanVectors } from './spanVectors.js';

const WORDS = ['alpha', 'beta', 'gamma', 'delta', 'port', '8080', 'Berlin', 'meeting', 'on', 'the', 'budget', 'is', 'due', 'Friday', 'x', 'Zoë', 'naïve'];

function sentence(rand: () => number): string {
  const n = 1 + Math.floor(rand() * 14);
  return Array.from({ length: n }, () => WORDS[Math.floor(rand() * WORDS.length)]).join(' ');
}

/** The sum of the vectors in order, made afresh. */
function freshSum(vectors: readonly (SparseVector | undefined)[]): Float64Array {
  const sum = new Float64Array(LEXICAL_DIM);
  for (const v of vectors) if (v) for (let t = 0; t < v.index.length; t++) sum[v.index[t]] += v.value[t];
  return sum;
}

describe('SpanVectors', () => {
  it('keeps each span its vector and a running sum equal to the sum made afresh, bit for bit, through embeds, removals, moves and compactions', () => {
    const rand = mulberry32(11);
    const lex = new SpanVectors();
    // the model: span k's vector (undefined: not embedded)
    let model: (SparseVector | undefined)[] = [];
    let compared = 0;
    for (let step = 0; step < 3000; step++) {
      const op = rand();
      if (op < 0.45 || model.length < 4) {
        // a new span at the end, embedded now or later
        const k = model.length;
        if (k >= lex.off.length) lex.grow(2 * k);
        lex.reset(k);
        model.push(undefined);
        if (rand() < 0.8) {
          const v = hashEmbedSparse(sentence(rand));
          lex.set(k, model.length, v);
          model[k] = v;
        }
      } else if (op < 0.6) {
        // embed the spans that are not
        model.forEach((v, k) => {
          if (v) return;
          const w = hashEmbedSparse(sentence(rand));
          lex.set(k, model.length, w);
          model[k] = w;
        });
      } else if (op < 0.9) {
        // remove some spans from the middle: kept runs move down, as the tracker moves its columns
        const keep = model.map(() => (rand() < 0.85 ? 1 : 0));
        let w = 0;
        for (let k = 0; k < model.length; ) {
          if (!keep[k]) {
            lex.drop(k++);
            continue;
          }
          let end = k + 1;
          while (end < model.length && keep[end]) end++;
          lex.move(w, k, end);
          w += end - k;
          k = end;
        }
        model = model.filter((_, k) => keep[k]);
      } else {
        // front spans leave
        const drop = Math.min(model.length, 1 + Math.floor(rand() * 3));
        for (let k = 0; k < drop; k++) lex.drop(k);
        lex.move(0, drop, model.length);
        model = model.slice(drop);
      }
      expect(lex.sumExact).toBe(true);
      expect(Array.from(lex.sum)).toEqual(Array.from(freshSum(model)));
      const probe = freshSum(model);
      model.forEach((v, k) => {
        expect(lex.len[k]).toBe(v ? v.index.length : -1);
        if (!v) return;
        expect(lex.sq[k]).toBe(v.sqNorm);
        expect(lex.dot(k, probe)).toBe(sparseDot(v, probe));
        compared++;
      });
    }
    expect(compared).toBeGreaterThan(10_000);
    // the pool was rewritten at least once (it starts at 8,192 entries)
    expect(lex.index.length).toBeGreaterThanOrEqual(8192);
  });

  it('says the sum is not exact once a vector could round it, and makes it afresh then', () => {
    const lex = new SpanVectors();
    const v = hashEmbedSparse('alpha beta gamma');
    lex.reset(0);
    lex.set(0, 2, v);
    const tiny: SparseVector = { index: Int32Array.of(3), value: Float64Array.of(1e-9), sqNorm: 1e-18 };
    lex.reset(1);
    lex.set(1, 2, tiny);
    expect(lex.sumExact).toBe(false);
    expect(Array.from(lex.freshSum(2, new Float64Array(LEXICAL_DIM)))).toEqual(Array.from(freshSum([v, tiny])));
    lex.drop(1);
    expect(lex.sumExact).toBe(true);
  });
  it("moves semantic's columns with the spans once it uses them, with no lexical vector set (a model's embeddings), and a new span's owner is 0", () => {
    const lex = new SpanVectors();
    for (let k = 0; k < 6; k++) lex.reset(k);
    lex.useSemantic();
    for (let k = 0; k < 6; k++) {
      lex.owner[k] = 7;
      lex.cluster[k] = k;
      lex.fit[k] = k / 10;
      lex.fitAt[k] = 100 + k;
      lex.x[k] = -k;
      lex.y[k] = 2 * k;
      lex.axes[k] = 3;
    }
    // spans 1 and 2 leave: 3..5 move down to 1..3
    lex.move(1, 3, 6);
    expect(Array.from(lex.cluster.subarray(0, 4))).toEqual([0, 3, 4, 5]);
    expect(Array.from(lex.fit.subarray(0, 4))).toEqual([0, 0.3, 0.4, 0.5]);
    expect(Array.from(lex.fitAt.subarray(0, 4))).toEqual([100, 103, 104, 105]);
    expect(Array.from(lex.x.subarray(0, 4))).toEqual([-0, -3, -4, -5]);
    expect(Array.from(lex.y.subarray(0, 4))).toEqual([0, 6, 8, 10]);
    expect(Array.from(lex.owner.subarray(0, 4))).toEqual([7, 7, 7, 7]);
    lex.reset(4);
    expect(lex.owner[4]).toBe(0);
    // after a clear nothing is semantic's: the columns stay put (every owner is 0 again)
    lex.clear();
    for (let k = 0; k < 4; k++) lex.reset(k);
    lex.cluster[3] = 9;
    lex.move(0, 3, 4);
    expect(lex.cluster[0]).toBe(0);
  });
});
