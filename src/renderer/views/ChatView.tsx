import { memo, useState, type KeyboardEvent } from 'react';
import { KeyRecycler } from '../lib/keyRecycler';
import { useStore } from 'zustand';
import { useViewStore } from '../lib/viewClock';
import type { MessageData } from '../../shared/protocol';
import { send } from '../client/connection';
import { messageTooLarge } from '../lib/openFile';
import { ROLE_COLORS } from '../lib/roles';
import { evictionStore, notify, sessionStore, uiStore, windowStore, type EvictionState, type SessionState } from '../state/stores';
import { Message, messageState, sameState, type MessageState } from './ChatMessage';
import { PAGE, useChatWindow } from './chatScroll';

const selectMessagesVersion = (s: SessionState) => s.messagesVersion;
const selectMessageList = (s: SessionState) => s.messages;
const selectEvictions = (s: EvictionState) => s;
const selectReplyUsage = (s: SessionState) => s.replyUsage;
let chatSeq = 0;

export function ChatView() {
  // a fast replay appends hundreds of messages per second; the list follows on the views' clock (at
  // most 10 times a second). The list is pushed to in place (its version says when it grew) and
  // replaced when a session loads.
  useViewStore(sessionStore, selectMessagesVersion);
  const messageList = useViewStore(sessionStore, selectMessageList);
  const messages = messageList.items;
  const streaming = useViewStore(sessionStore, (s) => s.streaming);
  const interrupted = useViewStore(sessionStore, (s) => s.interrupted);
  const ready = useViewStore(sessionStore, (s) => s.backendReady);
  // the engine is busy replaying the session (re-run, open, restore): a message now would be refused or land mid-replay
  const replaying = useViewStore(sessionStore, (s) => s.replay !== undefined);
  // what the rows' badges read: one subscription per store for the list (the rows are memoized on it)
  const evictions = useViewStore(evictionStore, selectEvictions);
  const context = useViewStore(windowStore, (s) => s.context);
  const replyUsage = useViewStore(sessionStore, selectReplyUsage);
  const selected = useStore(uiStore, (s) => s.selectedMessageId);
  const { list, content, onScroll, start, showMore } = useChatWindow(messageList, replaying);
  // a full-speed replay brings a whole page of new messages each tick: their rows reuse the elements
  // of the messages that left the page (updated in place, not unmounted and mounted anew)
  const [recycler] = useState(() => new KeyRecycler<number>());
  const shown = messages.slice(start);
  const keys = recycler.keysFor(shown.map((m) => m.id));

  return (
    <section aria-label="Chat" style={{ display: 'grid', gridTemplateRows: '1fr auto', minHeight: 0, borderRight: '1px solid var(--border)' }}>
      <div ref={list} className="chat-list" style={{ overflow: 'auto', overflowAnchor: 'none', padding: '4px 12px' }} onScroll={onScroll}>
        <div ref={content}>
          {start > 0 && (
            <button type="button" onClick={showMore} style={{ width: '100%' }}>
              Show {Math.min(PAGE, start)} earlier messages ({start} hidden)
            </button>
          )}
          {messages.length === 0 && <p className="muted">No messages yet. Type below, open a session, or drop a chat file anywhere (JSONL, a saved session, or an OpenAI, Anthropic, ChatGPT-export, ShareGPT or Ollama chat).</p>}
          {shown.map((m, i) => (
            <MessageRow key={keys[i]} m={m} s={messageState(m, evictions, context, replyUsage)} selected={m.id === selected} interrupted={interrupted} />
          ))}
          {streaming && (
            <article aria-label="Streaming reply" aria-live="polite" style={{ borderLeft: `3px solid ${ROLE_COLORS.assistant}`, padding: '6px 8px' }}>
              <strong style={{ color: ROLE_COLORS.assistant }}>assistant</strong>
              <div style={{ whiteSpace: 'pre-wrap' }}>{streaming.text}▍</div>
            </article>
          )}
        </div>
      </div>
      <Composer streaming={streaming} ready={ready} replaying={replaying} />
    </section>
  );
}

/** A message, then the replies interrupted after it (not added to the conversation). */
const MessageRow = memo(
  function MessageRow({ m, s, selected, interrupted }: { m: MessageData; s: MessageState; selected: boolean; interrupted: SessionState['interrupted'] }) {
    return (
      <div>
        <Message m={m} s={s} selected={selected} />
        {interrupted
          .filter((r) => r.afterMessageId === m.id)
          .map((r) => (
            <article key={r.id} aria-label="Interrupted reply" style={{ opacity: 0.6, padding: '6px 8px', borderLeft: '3px dashed var(--muted)' }}>
              <div className="muted">assistant · not added to the conversation ({r.reason})</div>
              <div style={{ whiteSpace: 'pre-wrap' }}>{r.text || '∅'}</div>
            </article>
          ))}
      </div>
    );
  },
  (a, b) => a.m === b.m && a.selected === b.selected && a.interrupted === b.interrupted && sameState(a.s, b.s),
);

/** The message box: Enter sends (or, with no model, adds the message without a reply). */
function Composer({ streaming, ready, replaying }: { streaming: SessionState['streaming']; ready: boolean; replaying: boolean }) {
  const [text, setText] = useState('');
  const submit = (withReply: boolean) => {
    const content = text.trim();
    if (!content || replaying) return;
    const tooLarge = messageTooLarge(content);
    if (tooLarge) return notify('error', `Not sent: ${tooLarge}.`); // the text stays in the box
    if (withReply) send({ type: 'chat', id: `c${Date.now()}-${chatSeq++}`, content });
    else send({ type: 'appendMessages', messages: [{ role: 'user', content }] });
    setText('');
  };
  const onKey = (e: KeyboardEvent<HTMLTextAreaElement>) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      submit(ready);
    }
  };
  return (
    <div style={{ padding: 10, borderTop: '1px solid var(--border)' }}>
      <textarea
        aria-label="Message"
        rows={3}
        style={{ width: '100%', resize: 'vertical' }}
        placeholder={ready ? 'Message (Enter to send, Shift+Enter for a new line)' : 'No model connected: Enter adds the message to the context without a reply'}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKey}
      />
      <div className="row" style={{ justifyContent: 'flex-end', marginTop: 6 }}>
        {replaying && (
          <span className="muted" role="status">
            Replaying the session: sending resumes when it is done
          </span>
        )}
        <button type="button" onClick={() => submit(false)} disabled={!text.trim() || Boolean(streaming) || replaying} title="Append as a user message without generating a reply">
          Add without reply
        </button>
        {streaming ? (
          <button type="button" className="danger" onClick={() => send({ type: 'cancel', id: streaming.id })}>
            Stop
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => submit(true)} disabled={!text.trim() || !ready || replaying}>
            Send
          </button>
        )}
      </div>
    </div>
  );
}
