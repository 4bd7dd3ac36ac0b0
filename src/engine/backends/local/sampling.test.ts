import { describe, expect, it } from 'vitest';
import { argmax, mulberry32, pickToken } from './sampling.js';

describe('sampling', () => {
  it('argmax takes the first maximum and skips NaN', () => {
    expect(argmax([1, 3, 3, 2])).toBe(1);
    expect(argmax([NaN, -1, -2])).toBe(1);
  });

  it('is greedy at temperature 0', () => {
    expect(pickToken([0.1, 5, 0.2], 0, () => 0.99)).toBe(1);
  });

  it('draws in proportion to softmax(logits / T), reproducibly from a seed', () => {
    const logits = [Math.log(1), Math.log(3), -Infinity, Math.log(6)];
    const random = mulberry32(42);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 20_000; i++) counts[pickToken(logits, 1, random)]++;
    expect(counts[2]).toBe(0);
    expect(counts[0] / 20_000).toBeCloseTo(0.1, 1);
    expect(counts[1] / 20_000).toBeCloseTo(0.3, 1);
    expect(counts[3] / 20_000).toBeCloseTo(0.6, 1);
    const again = mulberry32(42);
    const a = Array.from({ length: 5 }, () => again());
    const b = mulberry32(42);
    expect(Array.from({ length: 5 }, () => b())).toEqual(a);
  });
});
