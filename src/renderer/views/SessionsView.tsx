import { useEffect, useRef, useState, type RefObject } from 'react';
import { useViewStore } from '../lib/viewClock';
import type { PickedFile } from '../../shared/bridge';
import type { ImportedSource } from '../../shared/protocol';
import { onConnected, send } from '../client/connection';
import { lastOpenedSource, openGranted, openLocalFile, reopenConversation } from '../lib/openFile';
import { sessionStore, type SessionState } from '../state/stores';
import { WhatIf } from './WhatIf';

/** Open, save, recent sessions (desktop), drag-and-drop, and the what-if comparison. */
export function SessionsView() {
  const info = useViewStore(sessionStore, (s) => s.info);
  const input = useRef<HTMLInputElement>(null);
  const desktop = Boolean(window.fms);
  const recent = useRecentSessions(desktop, info?.path);
  const { error, open, save } = useSessionFiles(info, input, desktop);
  return (
    <section className="panel" aria-label="Sessions">
      <h2>
        Sessions <span className="hint">{info?.path ?? (desktop ? 'not saved yet' : 'browser mode: saves download a file')}</span>
      </h2>
      <div className="row">
        <button type="button" onClick={() => send({ type: 'newSession' })}>
          New
        </button>
        <button type="button" onClick={open}>
          Open…
        </button>
        <SessionFileInput input={input} desktop={desktop} />
        <button type="button" onClick={save} disabled={!info || info.messages === 0}>
          {desktop ? 'Save as…' : 'Download session'}
        </button>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      {info?.imported && <ImportedConversations imported={info.imported} />}
      <p className="muted" style={{ margin: '6px 0' }}>
        Drop a chat anywhere on the window to open it: JSONL ({'{"role","content"}'} per line), a saved session, or another tool&apos;s chat — OpenAI or Anthropic
        request JSON, a ChatGPT export (conversations.json), ShareGPT, Ollama, JSONL with a messages array per line.
      </p>
      {desktop && recent.length > 0 && <RecentSessions recent={recent} />}
      <WhatIf />
    </section>
  );
}

/** The desktop's recent sessions (none in browser mode). */
function useRecentSessions(desktop: boolean, path: string | undefined): PickedFile[] {
  const [recent, setRecent] = useState<PickedFile[]>([]);
  useEffect(() => {
    if (!desktop) return;
    // each recent file comes granted to the engine that is running now: ask again for every new engine
    // (a restarted one knows no handles); a failure (the engine is not running) hides the list
    const refresh = () => void window.fms!.recentSessions().then(setRecent, () => setRecent([]));
    refresh();
    return onConnected(refresh);
  }, [desktop, path]);
  return recent;
}

/** Open and save: the desktop's file dialogs, or in browser mode the file input and a download. */
function useSessionFiles(info: SessionState['info'], input: RefObject<HTMLInputElement | null>, desktop: boolean) {
  const [error, setError] = useState<string | undefined>();
  /** Runs a desktop dialog; its failure (the engine could not take the file) is shown, not thrown. */
  const attempt = async (fn: () => Promise<void>) => {
    setError(undefined);
    await fn().catch((err: Error) => setError(err.message.replace(/^Error invoking remote method '[^']*': (Error: )?/, '')));
  };
  const open = () => {
    if (!desktop) return input.current?.click();
    void attempt(async () => {
      const f = await window.fms!.openSessionDialog();
      if (f) openGranted(f.handle);
    });
  };
  const save = () => {
    if (!desktop) return send({ type: 'saveSession' });
    void attempt(async () => {
      const f = await window.fms!.saveSessionDialog(`${(info?.title ?? 'session').replace(/[^\w.-]+/g, '-').slice(0, 200)}.json`);
      if (f) send({ type: 'saveSession', handle: f.handle });
    });
  };
  return { error, open, save };
}

/** Browser mode's file picker (hidden on the desktop, where Open… shows the OS dialog). */
function SessionFileInput({ input, desktop }: { input: RefObject<HTMLInputElement | null>; desktop: boolean }) {
  return (
    <label className="muted">
      <span style={{ display: desktop ? 'none' : 'inline' }}>or pick a file: </span>
      <input
        ref={input}
        type="file"
        aria-label="Open session"
        accept=".json,.jsonl,application/json"
        style={desktop ? { display: 'none' } : { maxWidth: 220 }}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void openLocalFile(f);
          e.target.value = '';
        }}
      />
    </label>
  );
}

function RecentSessions({ recent }: { recent: PickedFile[] }) {
  return (
    <div aria-label="Recent sessions">
      <strong>Recent</strong>
      <ul style={{ margin: '4px 0', paddingLeft: 18 }}>
        {recent.map((f) => (
          <li key={f.handle}>
            <button type="button" style={{ border: 0, background: 'none', padding: 0, color: 'var(--accent)' }} onClick={() => openGranted(f.handle)}>
              {f.path}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * Where an imported session came from, and for a file holding several chats (a ChatGPT export, a ShareGPT
 * dataset) a picker that opens another of them: the same file again, with that conversation.
 */
function ImportedConversations({ imported }: { imported: ImportedSource }) {
  const { formatName, chosen, conversations, total } = imported;
  if (total <= 1) return <p className="muted" aria-label="Imported from" style={{ margin: '6px 0' }}>Imported from {formatName}.</p>;
  // after a page reload the file is no longer at hand (browser mode): it has to be opened again
  const canReopen = lastOpenedSource() !== undefined;
  return (
    <div className="row" aria-label="Imported conversations" style={{ margin: '6px 0', flexWrap: 'wrap', gap: 6 }}>
      <label>
        Conversation{' '}
        <select aria-label="Conversation" value={chosen} disabled={!canReopen} onChange={(e) => reopenConversation(Number(e.target.value))} style={{ maxWidth: 320 }}>
          {conversations.map((c) => (
            <option key={c.index} value={c.index}>
              {c.index}. {c.title} ({c.messages} messages)
            </option>
          ))}
        </select>
      </label>
      <span className="muted">
        of {total.toLocaleString('en-US')} in this {formatName}
        {conversations.length < total ? ` (the first ${conversations.length.toLocaleString('en-US')} listed)` : ''}
        {canReopen ? '' : ' — open the file again to pick another'}
      </span>
    </div>
  );
}
