import { describe, expect, it } from 'vitest';
import type { MessageData } from '../protocol.js';
import { AppendList, MessageList } from './appendList.js';

const msg = (id: number, summary = false): MessageData => ({ id, role: 'user', content: `m${id}`, turn: 1, pinned: false, tokens: 1, startPos: id, ...(summary ? { summary: true } : {}) });

describe('AppendList', () => {
  it('grows its own array in place: items is the same array after every push', () => {
    const list = new AppendList<number>();
    const items = list.items;
    for (let i = 0; i < 5; i++) list.push(i);
    expect(list.items).toBe(items);
    expect([list.length, list.at(-1), list.at(0)]).toEqual([5, 4, 0]);
    expect(items).toEqual([0, 1, 2, 3, 4]);
  });
});

describe('MessageList', () => {
  it('copies the messages it starts from, then indexes and counts every message pushed', () => {
    const start = [msg(0), msg(1)];
    const list = new MessageList(start);
    list.push(msg(2, true));
    list.push(msg(3));
    expect(start).toHaveLength(2); // its own array, not the hello's
    expect(list.items.map((m) => m.id)).toEqual([0, 1, 2, 3]);
    expect([list.indexOfId(2), list.indexOfId(9), list.indexOfId(undefined)]).toEqual([2, -1, -1]);
    expect(list.byId(3)?.content).toBe('m3');
    expect(list.byId(9)).toBeUndefined();
    expect(list.conversationLength).toBe(3); // the summary left out
  });
});
