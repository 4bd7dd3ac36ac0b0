import { afterEach, describe, expect, it } from 'vitest';
import type { FactRow, MessageData } from '../../shared/protocol.js';
import { MessageList } from '../../shared/view/appendList.js';
import { emptyFacts, factsStore, sessionStore } from '../state/stores';
import { hoverText } from './contextMapHover';

const message: MessageData = { role: 'user', content: 'Hi there. Update: my locker code is now 7731.', id: 4, turn: 2, pinned: false, tokens: 14, startPos: 100 };
const fact: FactRow = {
  id: 9, holder: 'user', attribute: 'locker code', label: 'my locker code', value: '7731', messageId: 4, turn: 2, from: 3, to: 14, startPos: 103,
  text: 'Update: my locker code is now 7731.', state: 'held', pinned: true, source: 'rules', history: [{ id: 2, value: '5521', messageId: 1, turn: 1 }],
};
const run = { messageId: 4, start: 100, end: 114, state: 'window' as const };

afterEach(() => {
  sessionStore.setState({ messages: new MessageList() });
  factsStore.setState(emptyFacts());
});

describe('the context map’s hover', () => {
  it('names the fact a token’s sentence states, with its state, and nothing for tokens outside it', () => {
    sessionStore.setState({ messages: new MessageList([message]) });
    factsStore.setState({ ledger: { type: 'facts', turn: 2, rows: [fact], total: 1, superseded: 1, heldTokens: 11, shareTokens: 204 } });
    expect(hoverText(run, 103)).toContain('\nfact: my locker code = 7731 (held · pinned)\n');
    expect(hoverText(run, 113)).toContain('fact: my locker code = 7731');
    expect(hoverText(run, 102)).not.toContain('fact:'); // "Hi there." states nothing
    factsStore.setState(emptyFacts());
    expect(hoverText(run, 103)).not.toContain('fact:');
    expect(hoverText(run, 103)).toMatch(/^#4 user · tokens 0–14 of 14\nin the window\n“Hi there/);
  });
});
