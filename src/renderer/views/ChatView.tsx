import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import type { MessageData } from '../../shared/protocol';
import { send } from '../engine/connection';
import { evictedOf, ROLE_COLORS } from '../lib/roles';
import { useThrottledStore } from '../lib/useThrottledStore';
import { evictionStore, sessionStore, uiStore, windowStore, type SessionState } from '../state/stores';

const PAGE = 50;
const selectMessages = (s: SessionState) => s.messages;
let chatSeq = 0;

function Badges({ m }: { m: MessageData }) {
  const evicted = useStore(evictionStore, (s) => evictedOf(s.byMessage[m.id]));
  const recalled = useStore(windowStore, (s) => s.context?.segments.some((sg) => sg.recalled && sg.messageId === m.id) ?? false);
  return (
    <span className="row" style={{ gap: 4 }}>
      <span className="muted">{m.tokens} tok</span>
      {m.pinned && <span className="pill">pinned</span>}
      {evicted > 0 && evicted < m.tokens && <span className="pill">partly evicted {evicted}/{m.tokens}</span>}
      {evicted > 0 && evicted >= m.tokens && !recalled && <span className="pill bad">evicted</span>}
      {recalled && (
        <span className="pill" style={{ color: 'var(--recalled)', borderColor: 'var(--recalled)' }}>
          recalled
        </span>
      )}
    </span>
  );
}

const Message = memo(function Message({ m, selected }: { m: MessageData; selected: boolean }) {
  const evicted = useStore(evictionStore, (s) => m.tokens > 0 && evictedOf(s.byMessage[m.id]) >= m.tokens);
  return (
    <article
      id={`msg-${m.id}`}
      aria-label={`${m.role} message ${m.id}`}
      className="message"
      style={{ borderLeft: `3px solid ${ROLE_COLORS[m.role]}`, padding: '6px 8px', margin: '6px 0', opacity: evicted ? 0.55 : 1, background: selected ? 'var(--panel-2)' : undefined, borderRadius: 4 }}
    >
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <strong style={{ color: ROLE_COLORS[m.role] }}>{m.role}</strong>
        <Badges m={m} />
      </div>
      <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.content}</div>
    </article>
  );
});

export function ChatView() {
  // throttled: a fast replay appends hundreds of messages per second; the list follows at 4 Hz
  const messages = useThrottledStore(sessionStore, selectMessages, 250);
  const streaming = useStore(sessionStore, (s) => s.streaming);
  const interrupted = useStore(sessionStore, (s) => s.interrupted);
  const ready = useStore(sessionStore, (s) => s.backendReady);
  const selected = useStore(uiStore, (s) => s.selectedMessageId);
  const jump = useStore(uiStore, (s) => s.jump);
  const [text, setText] = useState('');
  const [shown, setShown] = useState(PAGE);
  const list = useRef<HTMLDivElement>(null);
  const start = Math.max(0, messages.length - shown);

  // Follow the newest message while the user is at the bottom. Whether they are is updated on
  // scroll, not measured per batch: reading layout on every batch of a fast replay cost ~200 ms.
  const lastLength = useRef(0);
  const atBottom = useRef(true);
  const frame = useRef(0);
  const firstId = messages[0]?.id;
  const sessionKey = useRef(firstId);
  if (sessionKey.current !== firstId || messages.length < lastLength.current) {
    // another session was opened (or the current one re-run): start at its newest messages
    sessionKey.current = firstId;
    atBottom.current = true;
    if (shown !== PAGE) setShown(PAGE);
  }
  lastLength.current = messages.length;
  useEffect(() => {
    if (!atBottom.current || frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      const el = list.current;
      if (el) el.scrollTop = el.scrollHeight;
    });
  }, [messages.length, streaming?.text]);

  useEffect(() => {
    if (selected === undefined || jump === 0) return;
    const idx = messages.findIndex((m) => m.id === selected);
    if (idx >= 0 && idx < start) setShown(messages.length - idx + 20);
    requestAnimationFrame(() => document.getElementById(`msg-${selected}`)?.scrollIntoView({ block: 'center' }));
  }, [jump]);

  const submit = (withReply: boolean) => {
    const content = text.trim();
    if (!content) return;
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
    <section aria-label="Chat" style={{ display: 'grid', gridTemplateRows: '1fr auto', minHeight: 0, borderRight: '1px solid var(--border)' }}>
      <div
        ref={list}
        style={{ overflow: 'auto', padding: '4px 12px' }}
        onScroll={(e) => {
          const el = e.currentTarget;
          atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 80;
        }}
      >
        {start > 0 && (
          <button type="button" onClick={() => setShown(shown + PAGE)} style={{ width: '100%' }}>
            Show {Math.min(PAGE, start)} earlier messages ({start} hidden)
          </button>
        )}
        {messages.length === 0 && <p className="muted">No messages yet. Type below, open a session, or drop a .jsonl / session file anywhere.</p>}
        {messages.slice(start).map((m) => (
          <div key={m.id}>
            <Message m={m} selected={m.id === selected} />
            {interrupted
              .filter((r) => r.afterMessageId === m.id)
              .map((r) => (
                <article key={r.id} aria-label="Interrupted reply" style={{ opacity: 0.6, padding: '6px 8px', borderLeft: '3px dashed var(--muted)' }}>
                  <div className="muted">assistant · not added to the conversation ({r.reason})</div>
                  <div style={{ whiteSpace: 'pre-wrap' }}>{r.text || '∅'}</div>
                </article>
              ))}
          </div>
        ))}
        {streaming && (
          <article aria-label="Streaming reply" aria-live="polite" style={{ borderLeft: `3px solid ${ROLE_COLORS.assistant}`, padding: '6px 8px' }}>
            <strong style={{ color: ROLE_COLORS.assistant }}>assistant</strong>
            <div style={{ whiteSpace: 'pre-wrap' }}>{streaming.text}▍</div>
          </article>
        )}
      </div>
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
          <button type="button" onClick={() => submit(false)} disabled={!text.trim() || Boolean(streaming)} title="Append as a user message without generating a reply">
            Add without reply
          </button>
          {streaming ? (
            <button type="button" className="danger" onClick={() => send({ type: 'cancel', id: streaming.id })}>
              Stop
            </button>
          ) : (
            <button type="button" className="primary" onClick={() => submit(true)} disabled={!text.trim() || !ready}>
              Send
            </button>
          )}
        </div>
      </div>
    </section>
  );
}
