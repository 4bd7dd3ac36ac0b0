import { describe, expect, it } from 'vitest';
import { principalAxes, principalAxesSparse, project2d } from './pca.js';
import { toSparse } from '../embed/sparseVector.js';
import { mulberry32 } from '../core/rng.js';

const xs = (p: Float32Array): number[] => Array.from(p).filter((_, i) => i % 2 === 0);
const ys = (p: Float32Array): number[] => Array.from(p).filter((_, i) => i % 2 === 1);
const spread = (a: number[]): number => Math.max(...a) - Math.min(...a);

describe('project2d', () => {
  it('maps points on a line in 5-D onto a line', () => {
    const dir = [1, -2, 0.5, 3, -1];
    const vectors = Array.from({ length: 20 }, (_, i) => Float32Array.from(dir, (d, j) => 4 + j + (i - 7) * d));
    const p = project2d(vectors);
    expect(p.length).toBe(40);
    expect(spread(xs(p))).toBeGreaterThan(50);
    expect(Math.max(...ys(p).map(Math.abs))).toBeLessThan(1e-3 * spread(xs(p)));
    // Distances along the line are preserved.
    const len = Math.hypot(...dir);
    expect(Math.abs(p[2] - p[0])).toBeCloseTo(len, 3);
  });

  it('keeps two separated clusters apart on x and recovers the 2-D plane', () => {
    const rand = mulberry32(3);
    const vectors = Array.from({ length: 40 }, (_, i) => {
      const side = i % 2 === 0 ? 10 : -10;
      return Float32Array.from({ length: 6 }, (_, j) => (j === 2 ? side : 0) + (rand() - 0.5));
    });
    const p = project2d(vectors);
    const a = xs(p).filter((_, i) => i % 2 === 0);
    const b = xs(p).filter((_, i) => i % 2 === 1);
    const sep = Math.min(...a) > Math.max(...b) || Math.min(...b) > Math.max(...a);
    expect(sep).toBe(true);
    expect(Math.abs(a[0] - b[0])).toBeGreaterThan(15);
    expect(spread(ys(p))).toBeLessThan(2);
  });

  it('finds the second direction as the next-largest variance', () => {
    // A full grid is exactly uncorrelated: largest variance along axis 3, next along axis 0.
    const vectors: Float32Array[] = [];
    for (const a of [-3, -1, 1, 3]) for (const b of [-10, -5, 0, 5, 10]) vectors.push(Float32Array.of(a + 1, 2, 0, b - 4));
    const p = project2d(vectors);
    for (let i = 0; i < vectors.length; i++) {
      expect(Math.abs(p[2 * i])).toBeCloseTo(Math.abs(vectors[i][3] + 4), 4);
      expect(Math.abs(p[2 * i + 1])).toBeCloseTo(Math.abs(vectors[i][0] - 1), 4);
    }
  });

  it('handles n = 0, n = 1 and identical points', () => {
    expect(project2d([]).length).toBe(0);
    expect(Array.from(project2d([Float32Array.of(1, 2, 3)]))).toEqual([0, 0]);
    expect(Array.from(project2d([Float32Array.of(1, 2), Float32Array.of(1, 2)]))).toEqual([0, 0, 0, 0]);
  });

  it('is deterministic', () => {
    const rand = mulberry32(5);
    const vectors = Array.from({ length: 30 }, () => Float32Array.from({ length: 8 }, () => rand()));
    expect(Array.from(project2d(vectors))).toEqual(Array.from(project2d(vectors)));
  });
});


describe('principalAxesSparse', () => {
  const rand = mulberry32(21);
  // sparse points around a plane in 32-D: two strong directions, a little noise elsewhere
  const points = Array.from({ length: 120 }, () => {
    const v = new Float32Array(32);
    v[3] = 6 * (rand() - 0.5);
    v[17] = 3 * (rand() - 0.5);
    v[Math.floor(rand() * 32)] += 0.2 * rand();
    return v;
  });
  const cos = (a: Float64Array, b: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
    return s;
  };

  it('finds the directions principalAxes finds, over the nonzeros', () => {
    const dense = principalAxes(points, { iterations: 50 });
    const sparse = principalAxesSparse(points.map(toSparse), 32, { iterations: 50 });
    expect(Math.abs(cos(dense.x, sparse.x))).toBeCloseTo(1, 6);
    expect(Math.abs(cos(dense.y, sparse.y))).toBeCloseTo(1, 6);
    for (let j = 0; j < 32; j++) expect(sparse.mean[j]).toBeCloseTo(dense.mean[j], 9);
  });

  it('warm-started from the axes of a nearby set, reaches its directions in a few steps', () => {
    const moved = points.slice(10).concat(points.slice(0, 10).map((v) => v.map((x) => 1.05 * x)));
    const before = principalAxesSparse(points.map(toSparse), 32, { iterations: 50 });
    const exact = principalAxesSparse(moved.map(toSparse), 32, { iterations: 50 });
    const warm = principalAxesSparse(moved.map(toSparse), 32, { iterations: 3, start: before });
    expect(cos(exact.x, warm.x)).toBeGreaterThan(0.999);
    expect(cos(exact.y, warm.y)).toBeGreaterThan(0.99);
    // deterministic
    expect(Array.from(principalAxesSparse(moved.map(toSparse), 32, { iterations: 3, start: before }).x)).toEqual(Array.from(warm.x));
  });
});
