import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../core/tokenizer.js';
import { tinyLlamaDir } from '../../testing/testModels.js';
import { createLocalBackend, type LocalBackend } from './localBackend.js';
import { StreamDecoder } from './streamDecoder.js';

const messages: ChatMessage[] = [
  { role: 'system', content: 'You are a helpful assistant.' },
  { role: 'user', content: 'Tell me a story about a lighthouse keeper and a storm.' },
];

let backend: LocalBackend;
beforeAll(async () => {
  backend = await createLocalBackend({ model: tinyLlamaDir() });
});
afterAll(() => backend?.dispose());

describe('local backend streaming and cancellation', () => {
  it('streams pieces in order that concatenate to the final text, multi-byte tokens included', async () => {
    const pieces: string[] = [];
    const r = await backend.generate({ messages, maxNewTokens: 48, onToken: (p) => pieces.push(p) });
    expect(r.finishReason).toBe('length');
    expect(r.completionTokens).toBe(48);
    expect(pieces.length).toBeGreaterThan(10);
    expect(pieces.join('')).toBe(r.text);
    expect(r.text).toBe(backend.tokenizer.decode(r.completionIds));
    expect(r.timings.firstTokenMs).toBeLessThanOrEqual(r.timings.totalMs);
  });

  it('stops within one token of an abort and resolves as cancelled', async () => {
    const reference = await backend.generate({ messages, maxNewTokens: 32 });
    expect(reference.completionTokens).toBe(32);
    // Tokens the decoder needs before it emits its 3rd piece: the abort happens right then.
    const dec = new StreamDecoder((ids) => backend.tokenizer.decode(ids));
    let k = 0;
    for (let pieces = 0; pieces < 3; k++) if (dec.push(reference.completionIds[k])) pieces++;

    const ac = new AbortController();
    const pieces: string[] = [];
    const r = await backend.generate({
      messages,
      maxNewTokens: 32,
      signal: ac.signal,
      onToken: (p) => {
        pieces.push(p);
        if (pieces.length === 3) ac.abort();
      },
    });
    expect(r.finishReason).toBe('cancelled');
    expect(r.completionTokens).toBeGreaterThanOrEqual(k);
    expect(r.completionTokens).toBeLessThanOrEqual(k + 1);
    expect(Array.from(r.completionIds)).toEqual(Array.from(reference.completionIds.slice(0, r.completionTokens)));
    expect(pieces.join('')).toBe(r.text);

    // The kept cache still matches its tokens: the next turn equals a from-scratch run.
    const after = await backend.generate({ messages, maxNewTokens: 32 });
    expect(after.cache!.hit).toBe(true);
    expect(Array.from(after.completionIds)).toEqual(Array.from(reference.completionIds));
  });

  it('does no work for an already aborted signal', async () => {
    const ac = new AbortController();
    ac.abort();
    const r = await backend.generate({ messages, maxNewTokens: 32, signal: ac.signal, onToken: () => expect.unreachable() });
    expect(r).toMatchObject({ finishReason: 'cancelled', completionTokens: 0, text: '' });
  });
});
