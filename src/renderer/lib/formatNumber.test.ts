import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatCount, formatLocal } from './formatNumber';

describe('formatCount / formatLocal', () => {
  it('say what toLocaleString says, in en-US and in the default locale', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.double({ noNaN: false }), fc.constantFrom(0, -0, 1234567, 1e21, Infinity)), (x) => {
        expect(formatCount(x)).toBe(x.toLocaleString('en-US'));
        expect(formatLocal(x)).toBe(x.toLocaleString());
      }),
    );
    expect(formatCount(1234567)).toBe('1,234,567');
  });
});
