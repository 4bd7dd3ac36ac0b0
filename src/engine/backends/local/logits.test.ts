import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tinyLlamaDir } from '../../testing/testModels.js';
import { createLocalBackend, type LocalBackend } from './localBackend.js';

let backend: LocalBackend;
let vocab: number;
beforeAll(async () => {
  backend = await createLocalBackend({ model: tinyLlamaDir() });
  const config = JSON.parse(readFileSync(path.join(tinyLlamaDir(), 'config.json'), 'utf8'));
  vocab = config.vocab_size;
});
afterAll(() => backend?.dispose());

const maxAbsDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

describe('nextTokenLogits', () => {
  it('returns one vocabulary-sized row per context, batched rows equal single runs', async () => {
    const texts = ['The harbor', 'A much longer context about a lighthouse keeper who watched the storm all night long.', 'Hi', 'Numbers: 1 2 3 4 5'];
    const contexts = texts.map((t) => backend.tokenizer.encode(t));
    const batched = await backend.nextTokenLogits(contexts);
    expect(batched).toHaveLength(texts.length);
    for (const [i, ctx] of contexts.entries()) {
      expect(batched[i]).toBeInstanceOf(Float32Array);
      expect(batched[i].length).toBe(vocab);
      const [single] = await backend.nextTokenLogits([ctx]);
      expect(maxAbsDiff(batched[i], single)).toBeLessThan(1e-4);
    }
  });

  it('depends on the context, not just its last token', async () => {
    const [a, b] = await backend.nextTokenLogits([backend.tokenizer.encode('red apple'), backend.tokenizer.encode('green apple')]);
    expect(maxAbsDiff(a, b)).toBeGreaterThan(0.1);
  });

  it('rejects an empty context with a BackendError', async () => {
    await expect(backend.nextTokenLogits([new Int32Array(0)])).rejects.toMatchObject({ name: 'BackendError', code: 'internal' });
  });

  it('does not disturb the generation cache', async () => {
    const messages = [{ role: 'user' as const, content: 'Hello there, how are you?' }];
    const first = await backend.generate({ messages, maxNewTokens: 8 });
    await backend.nextTokenLogits([backend.tokenizer.encode('something else entirely')]);
    const again = await backend.generate({ messages, maxNewTokens: 8 });
    expect(again.cache!.hit).toBe(true);
    expect(Array.from(again.completionIds)).toEqual(Array.from(first.completionIds));
  });
});
