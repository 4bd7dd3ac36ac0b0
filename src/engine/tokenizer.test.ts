import { beforeAll, describe, expect, it } from 'vitest';
import { chunkText, renderPlainChat, type Tokenizer } from './tokenizer.js';
import { testTokenizer } from './testing/testTokenizer.js';
import { messageText, rng } from './testing/syntheticChat.js';
import { measureTemplateOverhead } from './chatTemplate.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});

describe('chunked encoding', () => {
  it('cuts only before a space that starts a word, and loses no text', () => {
    const text = messageText(rng(3), 400);
    const chunks = chunkText(text, 500);
    expect(chunks.length).toBeGreaterThan(5);
    expect(chunks.join('')).toBe(text);
    for (const c of chunks.slice(1)) expect(c).toMatch(/^ \p{L}/u);
  });

  it('encodes a long text in chunks to exactly the tokens of a whole encoding', () => {
    const text = messageText(rng(7), 900) + ' Zoë, 東京 and emoji 🙂 end.';
    expect(text.length).toBeGreaterThan(20_000);
    const chunked = tok.encode(text);
    expect(Array.from(chunked)).toEqual(Array.from(tok.encodeRendered(text)));
    expect(tok.decode(chunked)).toBe(text);
  });

  it('caches decoded tokens', () => {
    const ids = tok.encode('cache me if you can, cache me');
    const before = { ...tok.decodeCache };
    ids.forEach((id) => tok.decodeToken(id));
    ids.forEach((id) => tok.decodeToken(id));
    expect(tok.decodeCache.hits - before.hits).toBeGreaterThanOrEqual(ids.length);
  });
});

describe('chat template', () => {
  it('renders the Qwen3 template and measures its per-message overhead exactly', () => {
    expect(tok.hasChatTemplate).toBe(true);
    const o = measureTemplateOverhead(tok);
    const msgs = [
      { role: 'system' as const, content: 'Be brief.' },
      { role: 'user' as const, content: 'What is 2 + 2?' },
      { role: 'assistant' as const, content: 'Four.' },
      { role: 'user' as const, content: 'And 3 + 3?' },
    ];
    const rendered = tok.renderChat(msgs, true);
    expect(rendered).toContain('<|im_start|>user\nWhat is 2 + 2?<|im_end|>');
    const predicted = msgs.reduce((n, m) => n + tok.encode(m.content).length + o.perRole[m.role], 0) + o.generationPrompt;
    expect(tok.countTokens(rendered)).toBe(predicted);
  });

  it('falls back to plain role blocks without a template', () => {
    expect(renderPlainChat([{ role: 'user', content: 'hi' }], true)).toBe('user: hi\n\nassistant:');
  });
});
