import { describe, expect, it } from 'vitest';
import { consumeJson } from './nonStreamed.js';
import type { Completion, StreamHooks } from './stream.js';

const hooks = (pieces: string[]): StreamHooks => ({ where: 'http://x/v1/chat/completions', onBytes: () => {}, admit: (p) => p, onPiece: (p) => pieces.push(p), stopped: () => false });
const fresh = (): Completion => ({ text: '', sawDone: false, cutOff: false });
const body = (text: string) => new Response(text).body!;

describe('consumeJson', () => {
  it('refuses a reply over its size cap without parsing it', async () => {
    const reply = JSON.stringify({ choices: [{ message: { content: 'x'.repeat(200) }, finish_reason: 'stop' }] });
    await expect(consumeJson(body(reply), fresh(), hooks([]), 100)).rejects.toMatchObject({ code: 'bad-stream', message: 'http://x/v1/chat/completions sent a JSON reply larger than 100 bytes' });
    const pieces: string[] = [];
    const c = fresh();
    await consumeJson(body(reply), c, hooks(pieces), 1000);
    expect(c).toMatchObject({ text: 'x'.repeat(200), finishReason: 'stop', sawDone: true });
    expect(pieces).toHaveLength(1);
  });

  it('keeps an empty or null content as an empty reply, and ignores a malformed usage', async () => {
    const c = fresh();
    const pieces: string[] = [];
    await consumeJson(body(JSON.stringify({ choices: [{ message: { content: null }, finish_reason: 'length' }], usage: { prompt_tokens: 'many' } })), c, hooks(pieces));
    expect(c).toMatchObject({ text: '', finishReason: 'length', sawDone: true });
    expect(c.usage).toBeUndefined();
    expect(pieces).toEqual([]);
  });
});
