import { describe, expect, it } from 'vitest';
import { hashEmbed } from './hashingEmbedder.js';
import { principalAxes, project2d, projectSparse } from '../policies/pca.js';
import { sparseDot, toSparse } from './sparseVector.js';

describe('sparse vectors', () => {
  it('keeps the nonzeros, the squared norm and dot products', () => {
    const x = Float32Array.of(0, 2, 0, 0, -1, 0);
    const s = toSparse(x);
    expect(Array.from(s.index)).toEqual([1, 4]);
    expect(Array.from(s.value)).toEqual([2, -1]);
    expect(s.sqNorm).toBe(5);
    expect(sparseDot(s, [1, 1, 1, 1, 1, 1])).toBe(1);
    expect(sparseDot(s, Float32Array.of(9, 0.5, 9, 9, 3, 9))).toBe(-2);
  });

  it('handles the zero vector', () => {
    const s = toSparse(new Float32Array(4));
    expect(s.index.length).toBe(0);
    expect(s.sqNorm).toBe(0);
    expect(sparseDot(s, [1, 2, 3, 4])).toBe(0);
  });
  it('places sparse embeddings where the dense projection does', () => {
    const texts = ['the nightly build is green', 'the build failed again', 'ferry to Lisbon at dawn', 'pier nine, Lisbon', 'green build, nightly'];
    const vectors = texts.map((t) => hashEmbed(t));
    const dense = project2d(vectors);
    const axes = principalAxes(vectors);
    vectors.forEach((v, i) => {
      const [x, y] = projectSparse(toSparse(v), axes);
      expect(x).toBeCloseTo(dense[2 * i], 5);
      expect(y).toBeCloseTo(dense[2 * i + 1], 5);
    });
  });
});
