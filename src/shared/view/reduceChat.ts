import { assertNever, type HostEvent, type MessageData } from '../protocol.js';
import { MessageList } from './appendList.js';
import { Draft, eventsOf, RESETS } from './draft.js';
import { replyUsageOf } from './serverUsage.js';
import type { ChatState } from './viewState.js';
import { chatFromSnapshot } from './snapshot.js';

export type ChatPatch = Partial<ChatState>;

export const CHAT_EVENTS = [...RESETS, 'messageAppended', 'chatToken', 'chatDone', 'error'] as const;

/**
 * The conversation part of the session store: its messages, the reply being streamed, and replies
 * that were cut off. Messages are pushed to the store's list in place (a batch costs its own
 * messages, never a copy of the conversation); a hello or a loaded session replaces the list.
 */
export function reduceChat(state: ChatState, events: readonly HostEvent[]): ChatPatch {
  const d = new Draft<ChatState>(state);
  let messages = state.messages;
  let changed = false;
  const lastId = () => messages.at(-1)?.id ?? -1;
  const interrupt = (id: string, reason: string) => {
    const text = d.get('streaming')!.text;
    d.set({ interrupted: [...d.get('interrupted'), { id, text, reason, afterMessageId: lastId() }] });
  };
  for (const e of eventsOf(events, CHAT_EVENTS)) {
    switch (e.type) {
      case 'helloAck': {
        const { messages: list, ...rest } = chatFromSnapshot(e.snapshot);
        messages = list;
        changed = true;
        d.set(rest);
        break;
      }
      case 'sessionLoaded':
        messages = new MessageList(e.messages);
        changed = true;
        d.set({ streaming: undefined, interrupted: [], replyUsage: {} });
        break;
      case 'messageAppended':
        messages.push(messageOf(e));
        changed = true;
        break;
      case 'chatToken': {
        const st = d.get('streaming');
        d.set({ streaming: { id: e.id, text: (st?.id === e.id ? st.text : '') + e.text } });
        break;
      }
      case 'chatDone':
        if (e.finishReason === 'cancelled' && d.get('streaming')) interrupt(e.id, 'stopped');
        d.set({ streaming: undefined });
        if (e.messageId !== undefined) d.set({ replyUsage: { ...d.get('replyUsage'), [e.messageId]: replyUsageOf(e) } });
        break;
      case 'error':
        if (e.id && d.get('streaming')?.id === e.id) {
          interrupt(e.id, e.message);
          d.set({ streaming: undefined });
        }
        break;
      default:
        assertNever(e, 'event');
    }
  }
  return changed ? { ...d.patch, ...(messages !== state.messages ? { messages } : {}), messagesVersion: state.messagesVersion + 1 } : d.patch;
}

function messageOf(e: Extract<HostEvent, { type: 'messageAppended' }>): MessageData {
  return { id: e.messageId, role: e.role, content: e.content, turn: e.turn, pinned: e.pinned, tokens: e.tokens, startPos: e.startPos, ...(e.summary ? { summary: true } : {}) };
}
