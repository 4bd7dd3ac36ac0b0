import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { base64ToBytes, base64ToInt32, bytesToBase64, int32ToBase64 } from './base64';

const text = (s: string) => new TextEncoder().encode(s);

function int32LE(values: Int32Array): Buffer {
  const buf = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buf.writeInt32LE(v, i * 4));
  return buf;
}

describe('bytesToBase64 / base64ToBytes', () => {
  it('matches the RFC 4648 test vectors', () => {
    const vectors: [string, string][] = [
      ['', ''], ['f', 'Zg=='], ['fo', 'Zm8='], ['foo', 'Zm9v'],
      ['foob', 'Zm9vYg=='], ['fooba', 'Zm9vYmE='], ['foobar', 'Zm9vYmFy'],
    ];
    for (const [plain, encoded] of vectors) {
      expect(bytesToBase64(text(plain))).toBe(encoded);
      expect(base64ToBytes(encoded)).toEqual(text(plain));
    }
  });

  it('round-trips arbitrary bytes and agrees with Buffer', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const encoded = bytesToBase64(bytes);
        expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
        expect(base64ToBytes(encoded)).toEqual(bytes);
      }),
      { numRuns: 500 },
    );
  });

  it('decodes what Buffer encodes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        expect(base64ToBytes(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
      }),
    );
  });

  it('encodes a view with a byte offset, not its whole buffer', () => {
    const whole = Uint8Array.from([1, 2, 3, 4, 5, 6, 7]);
    expect(bytesToBase64(whole.subarray(2, 6))).toBe(Buffer.from([3, 4, 5, 6]).toString('base64'));
  });

  it('rejects invalid input with a clear message', () => {
    const cases: [string, RegExp][] = [
      ['Zm9vY', /^invalid base64: length 5 is not a multiple of 4$/],
      ['Zm9v!A==', /^invalid base64: unexpected character "!" at position 4$/],
      ['Zm 9', /unexpected character " " at position 2/],
      ['Zm9v\nZm9v', /length 9/],
      ['Zg==Zg==', /misplaced padding "=" at position 2/],
      ['=AAA', /misplaced padding "=" at position 0/],
      ['A===', /misplaced padding "=" at position 1/],
      ['Zh==', /non-zero bits before the padding at position 2/],
      ['Zm9=', /non-zero bits before the padding at position 3/],
      ['Zm9vé===', /unexpected character "é" at position 4/],
    ];
    for (const [input, message] of cases) expect(() => base64ToBytes(input), input).toThrow(message);
  });
});

describe('int32ToBase64 / base64ToInt32', () => {
  it('writes little-endian Int32 values, like Buffer.writeInt32LE', () => {
    const values = Int32Array.from([0, 1, -1, 256, 2 ** 31 - 1, -(2 ** 31), 151_643]);
    expect(int32ToBase64(values)).toBe(int32LE(values).toString('base64'));
    expect(int32ToBase64(Int32Array.of(1))).toBe('AQAAAA==');
  });

  it('round-trips arbitrary Int32 arrays, views included', () => {
    fc.assert(
      fc.property(fc.int32Array({ maxLength: 200 }), fc.nat(3), (values, skip) => {
        const view = values.subarray(Math.min(skip, values.length));
        const encoded = int32ToBase64(view);
        expect(encoded).toBe(int32LE(view).toString('base64'));
        expect(base64ToInt32(encoded)).toEqual(view);
      }),
      { numRuns: 300 },
    );
  });

  it('rejects byte lengths that are not a multiple of 4', () => {
    expect(() => base64ToInt32(bytesToBase64(new Uint8Array(6)))).toThrow(
      'invalid Int32 data: 6 bytes is not a multiple of 4',
    );
    expect(() => base64ToInt32('AQ')).toThrow(/invalid base64/);
  });

  it('round-trips 1M tokens', () => {
    const ids = new Int32Array(1_000_000);
    for (let i = 0; i < ids.length; i++) ids[i] = (i * 2_654_435_761) | 0;
    const encoded = int32ToBase64(ids);
    const decoded = base64ToInt32(encoded);
    expect(decoded.length).toBe(ids.length);
    expect(decoded.every((v, i) => v === ids[i])).toBe(true); // toEqual walks 1M elements slowly
    expect(encoded.length).toBe(Math.ceil((ids.length * 4) / 3) * 4);
  });
});
