import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../config.js';
import { HostEventSchema, ViewSnapshotSchema, type EventBatch, type HostEvent, type MessageData } from '../protocol.js';
import { reduceCache } from './reduceCache.js';
import { reduceChat } from './reduceChat.js';
import { toSnapshot } from './snapshot.js';
import { ViewModel } from './viewModel.js';
import { CACHE_REPORTS_CAP, emptyCache, emptyChat } from './viewState.js';

type ChatDone = Extract<HostEvent, { type: 'chatDone' }>;
const done = (turn: number, patch: Partial<ChatDone> = {}): ChatDone => ({
  type: 'chatDone', id: `c${turn}`, finishReason: 'stop', messageId: 2 * turn + 1, turn, backend: 'openai', enginePromptTokens: 100 + turn, ms: 5, ...patch,
});
const message = (id: number, role: MessageData['role']): MessageData => ({ id, role, content: `m${id}`, turn: 1, pinned: false, tokens: 2, startPos: 2 * id });
const session = { title: 't', messages: 0, config: DEFAULT_CONFIG, tokenizer: 'qwen3' };
const batch = (events: HostEvent[], seq = 0): EventBatch => ({ type: 'batch', seq, events, merged: 0, sentAt: 1 });

describe('reduceChat: each reply’s token counts', () => {
  it('keeps the engine’s count and the backend’s own by the reply’s message id, and starts over with a loaded session', () => {
    const chat = { ...emptyChat(), messagesVersion: 0 };
    const patch = reduceChat(chat, [
      done(1, { backendUsage: { promptTokens: 110, completionTokens: 7, cachedPromptTokens: 64 } }),
      done(2),
      done(3, { backend: 'local', backendUsage: { promptTokens: 103, completionTokens: 2 } }),
      done(4, { finishReason: 'cancelled', messageId: undefined }), // a stopped reply is no message: nothing to label
    ]);
    expect(patch.replyUsage).toEqual({
      3: { backend: 'openai', enginePromptTokens: 101, backendUsage: { promptTokens: 110, completionTokens: 7, cachedPromptTokens: 64 } },
      5: { backend: 'openai', enginePromptTokens: 102 },
      7: { backend: 'local', enginePromptTokens: 103, backendUsage: { promptTokens: 103, completionTokens: 2 } },
    });
    const loaded = reduceChat({ ...chat, ...patch }, [{ type: 'sessionLoaded', session, messages: [], reason: 'rerun' }]);
    expect(loaded.replyUsage).toEqual({});
  });
});

describe('reduceCache: the turns a server generated', () => {
  it('records openai turns with their cached tokens when reported, leaves local turns to cacheReport, and keeps exact totals past the ring', () => {
    let state = emptyCache();
    const ring = state.serverTurns;
    state = reduceCache(state, [
      done(1, { backendUsage: { promptTokens: 400, completionTokens: 4, cachedPromptTokens: 256 } }),
      done(2, { backendUsage: { promptTokens: 500, completionTokens: 5 } }),
      done(3),
      done(4, { backend: 'local', backendUsage: { promptTokens: 9, completionTokens: 1 } }),
    ])!;
    expect(state.serverTurns).toBe(ring); // pushed in place
    expect(ring.toArray()).toEqual([
      { turn: 1, enginePromptTokens: 101, promptTokens: 400, completionTokens: 4, cachedTokens: 256 },
      { turn: 2, enginePromptTokens: 102, promptTokens: 500, completionTokens: 5 },
      { turn: 3, enginePromptTokens: 103 },
    ]);
    expect(state.serverTotals).toEqual({ turns: 3, withUsage: 2, withCached: 1, promptTokens: 400, cachedTokens: 256 });
    const totals = state.serverTotals;
    expect(reduceCache(state, [{ type: 'cacheReport', turn: 5, hit: true, reusedTokens: 1, recomputedTokens: 1 }])!.serverTotals).toBe(totals);
    const many = Array.from({ length: CACHE_REPORTS_CAP + 10 }, (_, i) => done(10 + i, { backendUsage: { promptTokens: 10, completionTokens: 1, cachedPromptTokens: 5 } }));
    state = reduceCache(state, many)!;
    expect([ring.size, ring.total]).toEqual([CACHE_REPORTS_CAP, CACHE_REPORTS_CAP + 13]);
    expect(state.serverTotals).toEqual({ turns: CACHE_REPORTS_CAP + 13, withUsage: CACHE_REPORTS_CAP + 12, withCached: CACHE_REPORTS_CAP + 11, promptTokens: 400 + 10 * (CACHE_REPORTS_CAP + 10), cachedTokens: 256 + 5 * (CACHE_REPORTS_CAP + 10) });
    expect(reduceCache(state, [{ type: 'sessionLoaded', session, messages: [], reason: 'new' }])!.serverTotals.turns).toBe(0);
  });
});

describe('server turns in the view snapshot', () => {
  it('a client that connects late holds the same reply counts, server turns and totals', () => {
    const model = new ViewModel();
    model.apply(batch([{ type: 'sessionLoaded', session, messages: [message(0, 'system')], reason: 'new' }]));
    model.apply(batch([done(1, { backendUsage: { promptTokens: 400, completionTokens: 4, cachedPromptTokens: 256 } }), done(2)], 1));
    const { snapshot, spans } = toSnapshot(model);
    const wire = structuredClone(snapshot);
    expect(ViewSnapshotSchema.parse(wire)).toEqual(wire);
    const hello = HostEventSchema.parse({ type: 'helloAck', protocolVersion: 3, host: 'h', session, snapshot: wire, backend: { kind: 'none' } });
    const late = new ViewModel();
    late.apply({ ...batch([hello], 2), spans });
    expect(late.chat.replyUsage).toEqual(model.chat.replyUsage);
    expect(Object.keys(late.chat.replyUsage)).toEqual(['3', '5']);
    expect(late.cache.serverTurns.toArray()).toEqual(model.cache.serverTurns.toArray());
    expect([late.cache.serverTurns.total, late.cache.serverTurns.capacity]).toEqual([2, CACHE_REPORTS_CAP]);
    expect(late.cache.serverTotals).toEqual({ turns: 2, withUsage: 1, withCached: 1, promptTokens: 400, cachedTokens: 256 });
  });
});
