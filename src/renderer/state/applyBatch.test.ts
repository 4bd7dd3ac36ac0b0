import { beforeEach, describe, expect, it } from 'vitest';
import type { EventBatch, FactRow, HostEvent } from '../../shared/protocol.js';
import { DEFAULT_CONFIG } from '../../shared/config.js';
import { applyBatch } from './applyBatch.js';
import { profilerModel } from './profilerModel.js';
import { evictionStore, factsStore, sessionStore, windowStore } from './stores.js';
import { emptySnapshot } from '../../shared/view/snapshot.js';

const config = { ...DEFAULT_CONFIG, policy: 'sliding', maxTokens: 100, window: 10, pinSystem: true };
const session = { title: 't', messages: 0, config, tokenizer: 'qwen3' };
let seq = 0;
const batch = (events: HostEvent[], extra: Partial<EventBatch> = {}): EventBatch => ({ type: 'batch', seq: seq++, events, merged: 0, sentAt: 1000, ...extra });
const saved: string[] = [];
const apply = (events: HostEvent[], extra?: Partial<EventBatch>) => applyBatch(batch(events, extra), { saveText: (name) => saved.push(name) });
const appended = (id: number, role: 'user' | 'assistant', content: string): HostEvent => ({ type: 'messageAppended', turn: 1, messageId: id, role, pinned: false, startPos: id * 10, tokens: 10, content });
const byRole = { system: 0, user: 20, assistant: 30, tool: 0 };

describe('applyBatch', () => {
  beforeEach(() => apply([{ type: 'helloAck', protocolVersion: 1, host: 'h', session, snapshot: emptySnapshot(), backend: { kind: 'none' } }]));

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
    expect(sessionStore.getState().messages.items.map((m) => m.content)).toEqual(['Hello.', 'Hi.']);
    expect(evictionStore.getState().byMessage[0]).toEqual([0, 4, 0]);
    expect(evictionStore.getState().log.timeOfNewest(0)).toBe(1000);
    expect(windowStore.getState().snapshot?.used).toBe(96);
    expect(windowStore.getState().history.newest(0)).toMatchObject({ turn: 1, used: 96, maxTokens: 100, user: 20, assistant: 30 });
    expect(windowStore.getState().anchorHistory.newest(0)?.hitRate).toBe(75);
    expect(profilerModel.spans.newest(0)).toEqual({ name: 'policy:sliding', start: 1, end: 2, depth: 0, turn: 1 });
  });

  it('streams a reply, and keeps a stopped one out of the conversation', () => {
    apply([appended(0, 'user', 'Q?'), { type: 'chatToken', id: 'c', text: 'Par' }]);
    apply([{ type: 'chatToken', id: 'c', text: 'tial' }]);
    expect(sessionStore.getState().streaming).toEqual({ id: 'c', text: 'Partial' });
    apply([{ type: 'chatDone', id: 'c', finishReason: 'cancelled', turn: 1, backend: 'openai', enginePromptTokens: 1, ms: 1 }]);
    expect(sessionStore.getState().streaming).toBeUndefined();
    expect(sessionStore.getState().interrupted).toEqual([{ id: 'c', text: 'Partial', reason: 'stopped', afterMessageId: 0 }]);
    expect(sessionStore.getState().messages).toHaveLength(1);
  });

  it('keeps rolling summaries apart: the summary message, what it folded, its event; the header counts the conversation', () => {
    const budget = { maxTokens: 100, usedBefore: 120, usedAfter: 90 };
    const gate = { threshold: 1, checked: 2, found: 2, missing: [], passed: true };
    apply([appended(0, 'user', 'My code is 5521.'), appended(1, 'assistant', 'Noted.')]);
    apply([
      { type: 'messageAppended', turn: 1, messageId: 2, role: 'system', pinned: false, startPos: 0, tokens: 8, content: 'Summary of the earlier conversation: My code is 5521.', summary: true },
      { type: 'eviction', turn: 1, seq: 0, startPos: 0, endPos: 10, tokens: 10, ranges: [{ messageId: 0, from: 0, to: 10 }], preview: 'My', reason: { policy: 'rolling_summary', kind: 'summarized', detail: 'summarized into summary #2', budget } },
      { type: 'eviction', turn: 1, seq: 1, startPos: 10, endPos: 12, tokens: 2, ranges: [{ messageId: 1, from: 0, to: 2 }], preview: 'No', reason: { policy: 'rolling_summary', kind: 'span-value', detail: 'd', budget } },
      { type: 'summary', turn: 1, seq: 2, messageId: 2, startPos: 0, endPos: 10, sourceTokens: 10, tokens: 8, method: 'extractive', gate, text: 'Summary of the earlier conversation: My code is 5521.', budget },
    ]);
    expect(sessionStore.getState().messages.at(-1)).toMatchObject({ id: 2, summary: true });
    expect(sessionStore.getState().info?.messages).toBe(2);
    const ev = evictionStore.getState();
    expect(ev.summarized).toEqual({ 0: [0, 10, 0] });
    expect(ev.byMessage[1]).toEqual([0, 2, 1]);
    expect(ev.summaries[2]).toMatchObject({ method: 'extractive', gate });
    expect(ev.log.toArray().map((r) => r.type)).toEqual(['eviction', 'eviction', 'summary']);
    apply([{ type: 'sessionLoaded', session, messages: [], reason: 'rerun' }]);
    expect(evictionStore.getState()).toMatchObject({ summarized: {}, summaries: {}, evictedTokens: 0 });
    expect(evictionStore.getState().log.total).toBe(0);
  });

  it('shows a replay as running from the session load to its closing configChanged', () => {
    apply([{ type: 'sessionLoaded', session, messages: [], reason: 'rerun' }]);
    expect(sessionStore.getState().replay).toEqual({ done: 0, total: 0 }); // before the first progress
    apply([{ type: 'replayProgress', done: 64, total: 164 }]);
    expect(sessionStore.getState().replay).toEqual({ done: 64, total: 164 });
    apply([{ type: 'replayProgress', done: 164, total: 164 }]);
    expect(sessionStore.getState().replay).toBeDefined();
    apply([{ type: 'configChanged', config: { ...config, policy: 'hybrid' } }]);
    expect(sessionStore.getState().replay).toBeUndefined();
    expect(windowStore.getState().config?.policy).toBe('hybrid');
    apply([{ type: 'sessionLoaded', session, messages: [], reason: 'open' }, { type: 'error', code: 'bad-session', message: 'broken', command: 'openSessionText' }]);
    expect(sessionStore.getState().replay).toBeUndefined();
    apply([{ type: 'sessionLoaded', session, messages: [], reason: 'new' }]);
    expect(sessionStore.getState().replay).toBeUndefined();
  });

  it('resets every view when another session loads, and saves downloads', () => {
    apply([appended(0, 'user', 'old')]);
    apply([{ type: 'sessionLoaded', session: { ...session, title: 'new' }, messages: [], reason: 'open' }]);
    expect(sessionStore.getState().messages.items).toEqual([]);
    expect(evictionStore.getState().log.toArray()).toEqual([]);
    expect(sessionStore.getState().info?.title).toBe('new');
    apply([{ type: 'sessionSaved', text: '{}', bytes: 2 }, { type: 'profileExport', format: 'chrome', json: '{}' }]);
    expect(saved.slice(-2)).toEqual(['new.json', 'profile.trace.json']);
    expect(sessionStore.getState().notices.at(-1)?.text).toMatch(/downloaded/);
    // a profile asked for the viewer goes to it, not to a download
    const viewed: [string, string][] = [];
    applyBatch(batch([{ type: 'profileExport', format: 'speedscope', json: '{"a":1}', view: true, title: 'new' }]), { saveText: (name) => saved.push(name), viewProfile: (json, title) => viewed.push([json, title]) });
    expect(viewed).toEqual([['{"a":1}', 'new']]);
    expect(saved.slice(-1)).toEqual(['profile.trace.json']);
  });

  it('keeps the engine’s last facts event in the facts store (one set a batch), and drops it with another session', () => {
    const row: FactRow = { id: 3, holder: 'user', attribute: 'locker code', label: 'my locker code', value: '5521', messageId: 0, turn: 1, from: 0, to: 6, startPos: 0, text: 'My locker code is 5521.', state: 'context', pinned: false, source: 'rules', history: [] };
    const first: HostEvent = { type: 'facts', turn: 1, rows: [row], total: 1, superseded: 0, heldTokens: 0, shareTokens: 10 };
    const second: HostEvent = { type: 'facts', turn: 2, rows: [{ ...row, id: 5, value: '7731', messageId: 2, history: [{ id: 3, value: '5521', messageId: 0, turn: 1 }] }], total: 1, superseded: 1, heldTokens: 6, shareTokens: 10 };
    let sets = 0;
    const unsub = factsStore.subscribe(() => sets++);
    apply([first, appended(0, 'user', 'x'), second]);
    apply([appended(1, 'assistant', 'y')]);
    unsub();
    expect(sets).toBe(1);
    expect(factsStore.getState().ledger).toBe(second);
    apply([{ type: 'sessionLoaded', session, messages: [], reason: 'rerun' }]);
    expect(factsStore.getState().ledger).toBeUndefined();
  });
});
