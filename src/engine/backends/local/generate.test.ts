import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChatMessage } from '../../core/tokenizer.js';
import { tinyLlamaDir } from '../../testing/testModels.js';
import { createLocalBackend, type LocalBackend } from './localBackend.js';
import { argmax } from './sampling.js';

const USERS = [
  'Hello! Can you help me plan a short trip to the coast this weekend?',
  'I would like to see the old harbor and eat somewhere quiet.',
  'What should I pack if it rains on Saturday?',
  'Thanks. Could you also suggest a route back on Sunday evening?',
  'One more thing: is the museum open on public holidays?',
];
const SYSTEM: ChatMessage = { role: 'system', content: 'You are a helpful travel assistant. Answer briefly.' };

let reuse: LocalBackend;
let fresh: LocalBackend;

beforeAll(async () => {
  reuse = await createLocalBackend({ model: tinyLlamaDir() });
  fresh = await createLocalBackend({ model: tinyLlamaDir(), kvReuse: false });
});
afterAll(async () => {
  await reuse?.dispose();
  await fresh?.dispose();
});

/** Runs one turn on both backends and checks they produced exactly the same tokens. */
async function turn(messages: ChatMessage[]) {
  const a = await reuse.generate({ messages, maxNewTokens: 24 });
  const b = await fresh.generate({ messages, maxNewTokens: 24 });
  expect(Array.from(a.completionIds)).toEqual(Array.from(b.completionIds));
  expect(a.text).toBe(b.text);
  expect(a.promptTokens).toBe(b.promptTokens);
  expect(a.cache!.reusedTokens + a.cache!.recomputedTokens).toBe(a.promptTokens);
  expect(b.cache).toEqual({ hit: false, reusedTokens: 0, recomputedTokens: b.promptTokens });
  return a;
}

describe('local backend generation with KV-cache prefix reuse', () => {
  it('matches recomputation from scratch over growing turns, a cropping eviction and a prefix-changing one', async () => {
    let messages: ChatMessage[] = [SYSTEM, { role: 'user', content: USERS[0] }];
    const first = await turn(messages);
    expect(first.cache).toMatchObject({ hit: false, reusedTokens: 0 });
    let generated = first.completionTokens;
    let reply = first.text;
    let previousPrompt = first.promptTokens;
    for (let i = 1; i < 4; i++) {
      messages = [...messages, { role: 'assistant', content: reply }, { role: 'user', content: USERS[i] }];
      const cachedBefore = reuse.cachedTokens;
      const r = await turn(messages);
      expect(r.cache!.hit).toBe(true);
      expect(r.cache!.reusedTokens).toBeGreaterThan(0);
      expect(r.cache!.reusedTokens).toBeLessThanOrEqual(cachedBefore);
      // At least the whole previous prompt is reused (its reply re-encodes to tokens of its own).
      expect(r.cache!.reusedTokens).toBeGreaterThanOrEqual(previousPrompt);
      previousPrompt = r.promptTokens;
      generated += r.completionTokens;
      reply = r.text;
    }
    expect(generated).toBeGreaterThan(20); // the model does talk: the comparisons above are not vacuous

    // Evict the oldest exchange but keep the system prompt: the cache is cropped to the shared start.
    messages = [SYSTEM, ...messages.slice(3), { role: 'assistant', content: reply }, { role: 'user', content: USERS[4] }];
    const cachedBefore = reuse.cachedTokens;
    const cropped = await turn(messages);
    expect(cropped.cache!.hit).toBe(true);
    expect(cropped.cache!.reusedTokens).toBeGreaterThan(8);
    expect(cropped.cache!.reusedTokens).toBeLessThan(cachedBefore / 2);

    // Evict the system prompt too: the prompt now differs from its first tokens on, so everything is recomputed.
    messages = messages.slice(1);
    const miss = await turn(messages);
    expect(miss.cache).toEqual({ hit: false, reusedTokens: 0, recomputedTokens: miss.promptTokens });

    // And the next growing turn hits again.
    messages = [...messages, { role: 'assistant', content: miss.text }, { role: 'user', content: USERS[0] }];
    expect((await turn(messages)).cache!.hit).toBe(true);
  });

  it('decodes with the KV cache exactly as a full forward pass over each prefix', async () => {
    const messages: ChatMessage[] = [SYSTEM, { role: 'user', content: USERS[2] }];
    const r = await reuse.generate({ messages, maxNewTokens: 16 });
    const prompt = reuse.tokenizer.encodeRendered(reuse.tokenizer.renderChat(messages, true));
    const ids = Array.from(r.completionIds);
    expect(ids.length).toBeGreaterThan(3);
    const contexts = ids.map((_, k) => Int32Array.from([...prompt, ...ids.slice(0, k)]));
    const rows = await reuse.nextTokenLogits(contexts);
    expect(rows.map((row) => argmax(row))).toEqual(ids);
  });

  it('samples reproducibly from a seed when temperature > 0', async () => {
    const messages: ChatMessage[] = [{ role: 'user', content: USERS[1] }];
    const [x, y] = await Promise.all([createLocalBackend({ model: tinyLlamaDir(), seed: 7 }), createLocalBackend({ model: tinyLlamaDir(), seed: 7 })]);
    try {
      const a = await x.generate({ messages, maxNewTokens: 24, temperature: 1 });
      const b = await y.generate({ messages, maxNewTokens: 24, temperature: 1 });
      const greedy = await x.generate({ messages, maxNewTokens: 24, temperature: 0 });
      expect(Array.from(a.completionIds)).toEqual(Array.from(b.completionIds));
      expect(Array.from(a.completionIds)).not.toEqual(Array.from(greedy.completionIds));
    } finally {
      await Promise.all([x.dispose(), y.dispose()]);
    }
  });
});
