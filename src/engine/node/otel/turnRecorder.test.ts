import { describe, expect, it } from 'vitest';
import type { EngineEvent, TurnStats } from '../../../shared/protocol.js';
import { createEngine } from '../../engine.js';
import { replayMessages } from '../../replay.js';
import { syntheticChat } from '../../testing/syntheticChat.js';
import { testTokenizer } from '../../testing/testTokenizer.js';
import { TurnRecorder, type TurnRecord } from './turnRecorder.js';

const stats = (turn: number): EngineEvent => ({
  type: 'stats',
  stats: {} as never,
  turn: { turn, tokensIn: 1, tokenizeMs: 0, policyMs: 0, buildMs: 0, engineMs: 0, evictedTokens: 0, evictionEvents: 0, contextTokens: 5, used: 5 } satisfies TurnStats,
});

function recorder() {
  const records: TurnRecord[] = [];
  let now = 0;
  const r = new TurnRecorder({ clock: () => ++now, context: () => ({ model: 'm', policy: 'sliding' }) }, (record) => records.push(record));
  return { r, records };
}

describe('TurnRecorder', () => {
  it("groups the engine's spans into turns as a live engine emits them: the ingest:user that opens a turn is in it", async () => {
    const tokenizer = await testTokenizer();
    const engine = createEngine({ tokenizer, maxTokens: 300, window: 32 });
    const { r, records } = recorder();
    engine.subscribe((e) => r.observe(e));
    const chat = syntheticChat({ seed: 3, turns: 12 });
    for (const m of chat) engine.ingest(m);
    engine.finishTurn();
    expect(records.map((x) => x.stats.turn)).toEqual(engine.turns().filter((t) => t.turn > 0).map((t) => t.turn));
    for (const record of records) {
      const roots = record.spans.filter((s) => s.depth === 0).map((s) => s.name);
      expect(roots[0]).toBe('ingest:user');
      expect(roots.slice(1).every((n) => n === 'ingest:assistant')).toBe(true);
      expect(record.stats).toBe(engine.turns().find((t) => t.turn === record.stats.turn));
      expect(record.promptTokens).toBe(record.stats.contextTokens);
      expect(record).toMatchObject({ model: 'm', policy: 'sliding', maxTokens: 300 });
    }
    const assistantTokens = (turn: number) => engine.messages().filter((m) => m.role === 'assistant' && m.turn === turn).reduce((s, m) => s + m.tokens, 0);
    expect(records.map((x) => x.outputTokens)).toEqual(records.map((x) => assistantTokens(x.stats.turn)));

    // a replay's events (replayMessages' onEvent) group the same spans into the same turns
    const replayed = recorder();
    replayMessages([...chat, { role: 'user', content: 'And the report?' }], tokenizer, { maxTokens: 300, window: 32 }, { onEvent: (e) => replayed.r.observe(e) });
    const names = (list: TurnRecord[]) => list.map((x) => [x.stats.turn, x.spans.map((s) => `${s.name}@${s.depth}`).join(' ')]);
    expect(names(replayed.records).slice(0, records.length)).toEqual(names(records));
    // and the replay's last turn (the query) closes too
    expect(replayed.records.at(-1)?.stats.turn).toBe(records.length + 1);
  });

  it('holds an awaited turn for its reply, whichever comes first, and hands it on without one when another turn begins', () => {
    const { r, records } = recorder();
    r.awaitReply(1);
    r.observe(stats(1));
    expect(records).toEqual([]);
    r.reply(1, { finishReason: 'stop', usage: { inputTokens: 9, outputTokens: 2 } });
    expect(records.map((x) => [x.stats.turn, x.reply?.finishReason, x.reply?.usage?.inputTokens])).toEqual([[1, 'stop', 9]]);

    r.awaitReply(2);
    r.reply(2, { error: 'the server closed the stream', errorType: 'backend' }); // failed before its turn closed
    r.observe(stats(2));
    expect(records.at(-1)?.reply).toMatchObject({ error: 'the server closed the stream', errorType: 'backend' });

    r.awaitReply(3);
    r.observe(stats(3));
    r.awaitReply(4); // the next chat began: turn 3 goes on without its reply
    expect(records.map((x) => x.stats.turn)).toEqual([1, 2, 3]);
    expect(records.at(-1)?.reply).toBeUndefined();
    r.observe(stats(4));
    r.release();
    expect(records.map((x) => x.stats.turn)).toEqual([1, 2, 3, 4]);
  });

  it('drops turn 0 (a system prompt before any user message)', () => {
    const { r, records } = recorder();
    r.observe(stats(0));
    r.observe(stats(1));
    expect(records.map((x) => x.stats.turn)).toEqual([1]);
  });
});
