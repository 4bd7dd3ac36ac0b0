import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { HostEvent } from '../../shared/protocol';
import { send } from '../engine/connection';
import { openLocalFile } from '../lib/openFile';
import { sessionStore } from '../state/stores';
import { WhatIf } from './WhatIf';

/** Open, save, recent sessions (desktop), drag-and-drop, and the what-if comparison. */
export function SessionsView({ onWhatIf }: { onWhatIf: (listener: (e: Extract<HostEvent, { type: 'whatIfResult' }>) => void) => () => void }) {
  const info = useStore(sessionStore, (s) => s.info);
  const [recent, setRecent] = useState<string[]>([]);
  const input = useRef<HTMLInputElement>(null);
  const desktop = Boolean(window.fms);
  useEffect(() => {
    if (desktop) void window.fms!.recentSessions().then(setRecent);
  }, [desktop, info?.path]);

  const open = async () => {
    if (!desktop) return input.current?.click();
    const path = await window.fms!.openSessionDialog();
    if (path) send({ type: 'openSession', path });
  };
  const save = async () => {
    if (!desktop) return send({ type: 'saveSession' });
    const path = await window.fms!.saveSessionDialog(`${(info?.title ?? 'session').replace(/[^\w.-]+/g, '-')}.json`);
    if (path) send({ type: 'saveSession', path });
  };

  return (
    <section className="panel" aria-label="Sessions">
      <h2>
        Sessions <span className="hint">{info?.path ?? (desktop ? 'not saved yet' : 'browser mode: saves download a file')}</span>
      </h2>
      <div className="row">
        <button type="button" onClick={() => send({ type: 'newSession' })}>
          New
        </button>
        <button type="button" onClick={() => void open()}>
          Open…
        </button>
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
        <button type="button" onClick={() => void save()} disabled={!info || info.messages === 0}>
          {desktop ? 'Save as…' : 'Download session'}
        </button>
      </div>
      <p className="muted" style={{ margin: '6px 0' }}>
        Drop a .jsonl chat ({'{"role","content"}'} per line) or a saved session anywhere on the window to open it.
      </p>
      {desktop && recent.length > 0 && (
        <div aria-label="Recent sessions">
          <strong>Recent</strong>
          <ul style={{ margin: '4px 0', paddingLeft: 18 }}>
            {recent.map((p) => (
              <li key={p}>
                <button type="button" style={{ border: 0, background: 'none', padding: 0, color: 'var(--accent)' }} onClick={() => send({ type: 'openSession', path: p })}>
                  {p}
                </button>
              </li>
            ))}
          </ul>
        </div>
      )}
      <WhatIf onResult={onWhatIf} />
    </section>
  );
}
