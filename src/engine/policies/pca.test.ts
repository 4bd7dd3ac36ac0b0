import { describe, expect, it } from 'vitest';
import { project2d } from './pca.js';
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

