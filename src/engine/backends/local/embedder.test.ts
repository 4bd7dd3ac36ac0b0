import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyBertDir, tinyLlamaDir } from '../../testing/testModels.js';
import { createLocalBackend, type LocalBackend } from './localBackend.js';

let backend: LocalBackend;
beforeAll(async () => {
  backend = await createLocalBackend({ model: tinyLlamaDir(), embeddingModel: tinyBertDir(), embedBatchSize: 4 });
});
afterAll(() => backend?.dispose());

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0));
const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('embed', () => {
  const texts = Array.from({ length: 10 }, (_, i) => `Sentence number ${i} ${'about the sea '.repeat(i % 4)}and the weather.`);

  it('returns unit-norm vectors; batched (several batches, padded rows) equals one at a time', async () => {
    const batched = await backend.embed(texts);
    expect(batched).toHaveLength(texts.length);
    for (const [i, text] of texts.entries()) {
      expect(batched[i].length).toBe(32);
      expect(norm(batched[i])).toBeCloseTo(1, 5);
      const [single] = await backend.embed([text]);
      expect(maxAbsDiff(batched[i], single)).toBeLessThan(1e-4);
    }
    expect(maxAbsDiff(batched[0], batched[1])).toBeGreaterThan(1e-3);
  });

  it('handles an empty list', async () => {
    expect(await backend.embed([])).toEqual([]);
  });
});
