import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config.js';
import type { EventBatch, HostEvent, MessageData } from '../../shared/protocol.js';
import { applyBatch } from './applyBatch.js';
import { sessionStore } from './stores.js';
import { emptySnapshot } from '../../shared/view/snapshot.js';

const session = { title: 't', messages: 0, config: { ...DEFAULT_CONFIG, policy: 'sliding', maxTokens: 100, window: 10, pinSystem: true }, tokenizer: 'qwen3' };
const message = (id: number): MessageData => ({ id, role: 'user', content: `m${id}`, turn: 1, pinned: false, tokens: 2, startPos: 2 * id });
const appended = (id: number, summary = false): HostEvent => ({ type: 'messageAppended', turn: 1, messageId: id, role: summary ? 'system' : 'user', pinned: false, startPos: 2 * id, tokens: 2, content: `m${id}`, ...(summary ? { summary: true } : {}) });
const apply = (events: HostEvent[]) => applyBatch({ type: 'batch', seq: 0, events, merged: 0, sentAt: 1000 } satisfies EventBatch, { saveText: () => {} });
const hello = (messages: MessageData[]): HostEvent => ({ type: 'helloAck', protocolVersion: 1, host: 'h', session: { ...session, messages: messages.length }, snapshot: emptySnapshot(messages), backend: { kind: 'none' } });

describe('the conversation in the session store', () => {
  beforeEach(() => apply([hello(Array.from({ length: 20_000 }, (_, i) => message(i)))]));

  it('pushes each batch into the same list (no copy of the conversation) and bumps its version once per batch', () => {
    const { messages: list, messagesVersion } = sessionStore.getState();
    const items = list.items;
    const versions: number[] = [];
    const unsub = sessionStore.subscribe((s) => versions.push(s.messagesVersion));
    apply([appended(20_000), appended(20_001), appended(20_002, true)]);
    apply([appended(20_003)]);
    apply([{ type: 'chatToken', id: 'c', text: 'x' }]); // no message: the version stays
    unsub();
    const state = sessionStore.getState();
    expect(state.messages).toBe(list);
    expect(state.messages.items).toBe(items);
    expect(versions).toEqual([messagesVersion + 1, messagesVersion + 2, messagesVersion + 2]);
    expect([list.length, list.byId(20_003)?.content]).toEqual([20_004, 'm20003']);
    expect(state.info?.messages).toBe(20_003); // the header counts the conversation, summaries left out
  });

  it('replaces the list when a session loads or the engine says hello again, and the version moves on', () => {
    const before = sessionStore.getState();
    apply([{ type: 'sessionLoaded', session: { ...session, messages: 1 }, messages: [message(0)], reason: 'open' }, appended(1)]);
    const loaded = sessionStore.getState();
    expect(loaded.messages).not.toBe(before.messages);
    expect(loaded.messages.items.map((m) => m.id)).toEqual([0, 1]);
    expect(loaded.messagesVersion).toBe(before.messagesVersion + 1);
    expect(before.messages.length).toBe(20_000); // the old list is left as it was
    apply([hello([message(0)])]);
    expect(sessionStore.getState().messages).not.toBe(loaded.messages);
    expect(sessionStore.getState().messages.length).toBe(1);
  });
});
