import { describe, expect, it } from 'vitest';
import { coveredOf, evictedOf } from './roles';

describe('evicted token counts', () => {
  it('counts a span evicted twice (recalled, then evicted again) once', () => {
    const ranges = [0, 10, 1, 20, 30, 2, 0, 10, 5, 5, 12, 6];
    expect(evictedOf(ranges)).toBe(37);
    expect(coveredOf(ranges)).toBe(22);
    expect(coveredOf(undefined)).toBe(0);
  });
});
