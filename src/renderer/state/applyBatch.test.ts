import { beforeEach, describe, expect, it } from 'vitest';
import type { EventBatch, HostEvent } from '../../shared/protocol.js';
import { applyBatch } from './applyBatch.js';
import { profilerModel } from './profilerModel.js';
import { evictionStore, sessionStore, windowStore } from './stores.js';

const config = { policy: 'sliding', maxTokens: 100, window: 10, pinSystem: true };
const session = { title: 't', messages: 0, config, tokenizer: 'qwen3' };
let seq = 0;
const batch = (events: HostEvent[], extra: Partial<EventBatch> = {}): EventBatch => ({ type: 'batch', seq: seq++, events, merged: 0, sentAt: 1000, ...extra });
const saved: string[] = [];
const apply = (events: HostEvent[], extra?: Partial<EventBatch>) => applyBatch(batch(events, extra), { saveText: (name) => saved.push(name) });
const appended = (id: number, role: 'user' | 'assistant', content: string): HostEvent => ({ type: 'messageAppended', turn: 1, messageId: id, role, pinned: false, startPos: id * 10, tokens: 10, content });
const byRole = { system: 0, user: 20, assistant: 30, tool: 0 };

describe('applyBatch', () => {
  beforeEach(() => apply([{ type: 'helloAck', protocolVersion: 1, host: 'h', session, messages: [], backend: { kind: 'none' } }]));

  it('commits a batch: messages, evictions by message, snapshot, per-turn history, spans', () => {
    let sets = 0;
    const unsub = sessionStore.subscribe(() => sets++);
    apply(
      [
        appended(0, 'user', 'Hello.'),
        appended(1, 'assistant', 'Hi.'),
        { type: 'eviction', turn: 1, seq: 0, startPos: 0, endPos: 4, tokens: 4, ranges: [{ messageId: 0, from: 0, to: 4 }], preview: 'Hel', reason: { policy: 'sliding', kind: 'budget', detail: 'd', budget: { maxTokens: 100, usedBefore: 104, usedAfter: 100 } } },
        { type: 'windowSnapshot', turn: 1, maxTokens: 100, used: 96, pinned: 0, retained: 16, recalled: 0, byRole, windowStartPos: 4, endPos: 20 },
        { type: 'stats', stats: { tokensSeen: 20, tokensRetained: 16, tokensPinned: 0, tokensEvicted: 4, evictions: 1, compressionRatio: 1.25, policyLatencyMs: 0, policyLatencyMsTotal: 0, policyCalls: 2, fallbackCount: 0, anchorCacheHits: 15, anchorCacheMisses: 5, contextBuilds: 1, turns: 1 }, turn: { turn: 1, tokensIn: 20, tokenizeMs: 0, policyMs: 0, buildMs: 0, engineMs: 0, evictedTokens: 4, evictionEvents: 1, contextTokens: 96, used: 96 }, byRole },
      ],
      { spans: { names: ['policy:sliding'], data: new Float64Array([1, 2, 0, 1]) } },
    );
    unsub();
    expect(sets).toBe(1); // one set per store per batch
    expect(sessionStore.getState().messages.map((m) => m.content)).toEqual(['Hello.', 'Hi.']);
    expect(evictionStore.getState().byMessage[0]).toEqual([0, 4, 0]);
    expect(evictionStore.getState().times[0]).toBe(1000);
    expect(windowStore.getState().snapshot?.used).toBe(96);
    expect(windowStore.getState().history.at(-1)).toMatchObject({ turn: 1, used: 96, maxTokens: 100, user: 20, assistant: 30 });
    expect(windowStore.getState().anchorHistory.at(-1)?.hitRate).toBe(75);
    expect(profilerModel.spans.at(-1)).toEqual({ name: 'policy:sliding', start: 1, end: 2, depth: 0, turn: 1 });
  });

  it('streams a reply, and keeps a stopped one out of the conversation', () => {
    apply([appended(0, 'user', 'Q?'), { type: 'chatToken', id: 'c', text: 'Par' }]);
    apply([{ type: 'chatToken', id: 'c', text: 'tial' }]);
    expect(sessionStore.getState().streaming).toEqual({ id: 'c', text: 'Partial' });
    apply([{ type: 'chatDone', id: 'c', finishReason: 'cancelled', promptTokens: 1, completionTokens: 1, ms: 1 }]);
    expect(sessionStore.getState().streaming).toBeUndefined();
    expect(sessionStore.getState().interrupted).toEqual([{ id: 'c', text: 'Partial', reason: 'stopped', afterMessageId: 0 }]);
    expect(sessionStore.getState().messages).toHaveLength(1);
  });

  it('resets every view when another session loads, and saves downloads', () => {
    apply([appended(0, 'user', 'old')]);
    apply([{ type: 'sessionLoaded', session: { ...session, title: 'new' }, messages: [], reason: 'open' }]);
    expect(sessionStore.getState().messages).toEqual([]);
    expect(evictionStore.getState().rows).toEqual([]);
    expect(sessionStore.getState().info?.title).toBe('new');
    apply([{ type: 'sessionSaved', text: '{}', bytes: 2 }, { type: 'profileExport', format: 'chrome', json: '{}' }]);
    expect(saved.slice(-2)).toEqual(['new.json', 'profile.trace.json']);
    expect(sessionStore.getState().notices.at(-1)?.text).toMatch(/downloaded/);
  });
});
