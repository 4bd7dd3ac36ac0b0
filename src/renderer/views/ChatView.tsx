import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import type { MessageData } from '../../shared/protocol';
import { send } from '../client/connection';
import { messageBadges } from '../lib/messageBadges';
import { messageTooLarge } from '../lib/openFile';
import { coveredOf, ROLE_COLORS } from '../lib/roles';
import { useThrottledStore } from '../lib/useThrottledStore';
import { evictionStore, notify, sessionStore, uiStore, windowStore, type SessionState } from '../state/stores';

const PAGE = 50;
const selectMessagesVersion = (s: SessionState) => s.messagesVersion;
const selectMessageList = (s: SessionState) => s.messages;
let chatSeq = 0;

function Badges({ m }: { m: MessageData }) {
  const out = useStore(evictionStore, (s) => coveredOf(s.byMessage[m.id]));
  const summarized = useStore(evictionStore, (s) => coveredOf(s.summarized[m.id]));
  const summary = useStore(evictionStore, (s) => (m.summary ? s.summaries[m.id] : undefined));
  const recalled = useStore(windowStore, (s) => s.context?.segments.some((sg) => sg.recalled && sg.messageId === m.id) ?? false);
  const inContext = useStore(windowStore, (s) => (m.summary ? (s.context?.segments.some((sg) => sg.summary && sg.messageId === m.id) ?? false) : false));
  return (
    <span className="row" style={{ gap: 4 }}>
      <span className="muted">{m.tokens} tok</span>
      {messageBadges(m, { out, summarized, recalled, inContext, summary }).map((b) => (
        <span key={b.label} className={`pill ${b.tone}`} title={b.title}>
          {b.label}
        </span>
      ))}
    </span>
  );
}

/** Where a summary stands in the conversation, and why the model's text was not used (from its summary event). */
function SummaryInfo({ id }: { id: number }) {
  const e = useStore(evictionStore, (s) => s.summaries[id]);
  if (!e) return null;
  return (
    <div className="muted" style={{ fontSize: 12 }}>
      stands in for positions {e.startPos}–{e.endPos} · {e.sourceTokens} source tokens → {e.tokens} · turn {e.turn}
      {e.gate.missing.length > 0 ? ` · facts not in the source: ${e.gate.missing.join(', ')}` : ''}
      {e.fallback ? ` · fallback: ${e.fallback}` : ''}
    </div>
  );
}

const Message = memo(function Message({ m, selected }: { m: MessageData; selected: boolean }) {
  const out = useStore(evictionStore, (s) => m.tokens > 0 && coveredOf(s.byMessage[m.id]) >= m.tokens);
  const color = m.summary ? 'var(--summary)' : ROLE_COLORS[m.role];
  return (
    <article
      id={`msg-${m.id}`}
      aria-label={`${m.summary ? 'summary' : m.role} message ${m.id}`}
      className="message"
      style={{ borderLeft: `3px solid ${color}`, padding: '6px 8px', margin: '6px 0', opacity: out ? 0.55 : 1, background: selected ? 'var(--panel-2)' : m.summary ? 'color-mix(in srgb, var(--summary) 8%, transparent)' : undefined, borderRadius: 4 }}
    >
      <div className="row" style={{ justifyContent: 'space-between' }}>
        <strong style={{ color }}>
          {m.summary ? 'summary' : m.role}
          {m.summary && <span className="muted" style={{ fontWeight: 400 }}> · {m.role}</span>}
        </strong>
        <Badges m={m} />
      </div>
      {m.summary && <SummaryInfo id={m.id} />}
      {m.summary && out ? (
        <details>
          <summary className="muted">Text of this superseded summary</summary>
          <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.content}</div>
        </details>
      ) : (
        <div style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{m.content}</div>
      )}
    </article>
  );
});

export function ChatView() {
  // throttled: a fast replay appends hundreds of messages per second; the list follows at 4 Hz. The
  // list is pushed to in place (its version says when it grew) and replaced when a session loads.
  useThrottledStore(sessionStore, selectMessagesVersion, 250);
  const messageList = useStore(sessionStore, selectMessageList);
  const messages = messageList.items;
  const streaming = useStore(sessionStore, (s) => s.streaming);
  const interrupted = useStore(sessionStore, (s) => s.interrupted);
  const ready = useStore(sessionStore, (s) => s.backendReady);
  // the engine is busy replaying the session (re-run, open, restore): a message now would be refused or land mid-replay
  const replaying = useStore(sessionStore, (s) => s.replay !== undefined);
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

  // A jump is resolved against the whole list as it is now (the list is live, not the throttled
  // render's length): a window sized on a partial list would lose the message once the rest arrives.
  const handledJump = useRef(0);
  useEffect(() => {
    if (selected === undefined || jump === 0 || jump === handledJump.current) return;
    handledJump.current = jump;
    const idx = messageList.indexOfId(selected);
    if (idx >= 0 && idx < Math.max(0, messageList.length - shown)) setShown(messageList.length - idx + 20);
    requestAnimationFrame(() => document.getElementById(`msg-${selected}`)?.scrollIntoView({ block: 'center' }));
  }, [jump, messageList]);

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
    </section>
  );
}
