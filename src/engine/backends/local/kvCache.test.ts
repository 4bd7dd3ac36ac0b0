import { describe, expect, it } from 'vitest';
import { cropSequence, KvCache } from './kvCache.js';
import type { Past, Transformers } from './types.js';

const tf: Transformers = await import('@huggingface/transformers');

const cacheTensor = (seq: number) => new tf.Tensor('float32', Float32Array.from({ length: 2 * 3 * seq * 4 }, (_, i) => i), [2, 3, seq, 4]);

describe('cropSequence', () => {
  it('keeps the first n positions of every head, like a generic slice', () => {
    const t = cacheTensor(7);
    const cropped = cropSequence(tf, t, 5);
    const expected = t.slice(null, null, [0, 5], null);
    expect(cropped.dims).toEqual([2, 3, 5, 4]);
    expect(Array.from(cropped.data as Float32Array)).toEqual(Array.from(expected.data as Float32Array));
  });

  it('returns the tensor itself when nothing is cut', () => {
    const t = cacheTensor(3);
    expect(cropSequence(tf, t, 3)).toBe(t);
  });
});

describe('KvCache', () => {
  const past = (seq: number): Past => ({ 'past_key_values.0.key': cacheTensor(seq), 'past_key_values.0.value': cacheTensor(seq) });

  it('finds the common prefix, leaving at least one prompt token to run', () => {
    const cache = new KvCache(tf);
    cache.append([1, 2, 3, 4, 5], past(5));
    expect(cache.commonPrefix([1, 2, 3, 9, 9])).toBe(3);
    expect(cache.commonPrefix([1, 2, 3, 4, 5, 6, 7])).toBe(5);
    expect(cache.commonPrefix([1, 2, 3, 4, 5])).toBe(4);
    expect(cache.commonPrefix([7, 2, 3])).toBe(0);
    expect(cache.commonPrefix([])).toBe(0);
  });

  it('crops tensors and ids together and disposes what it drops', () => {
    const cache = new KvCache(tf);
    const first = past(5);
    cache.append([1, 2, 3, 4, 5], first);
    cache.crop(2);
    expect(cache.ids).toEqual([1, 2]);
    expect(cache.past!['past_key_values.0.key'].dims).toEqual([2, 3, 2, 4]);
    expect(() => first['past_key_values.0.key'].data).toThrow(); // disposed
    cache.crop(0);
    expect(cache.length).toBe(0);
    expect(cache.past).toBeUndefined();
  });
});
