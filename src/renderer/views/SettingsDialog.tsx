import { useEffect, useRef, useState } from 'react';
import { useStore } from 'zustand';
import type { SecretStatus } from '../../shared/bridge';
import type { BackendConfig } from '../../shared/protocol';
import { DEFAULT_CHAT_MODEL } from '../../shared/config';
import { send } from '../client/connection';
import { sessionStore, uiStore } from '../state/stores';

const KEY_NAME = 'openai-api-key';

/** Where the desktop app keeps the key, in words (it never shows the key itself). */
function keyStatusText(status: SecretStatus): string {
  if (!status.saved) return status.storage === 'session-only' ? 'No API key set (no OS keyring: a key you enter is kept for this session only).' : 'No API key saved.';
  return status.storage === 'encrypted' ? 'API key saved (encrypted).' : 'API key kept for this session only: no OS keyring (Linux basic_text).';
}

/** Backend (local model or OpenAI-compatible server), model download progress, theme. */
export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const backend = useStore(sessionStore, (s) => s.backend);
  const ready = useStore(sessionStore, (s) => s.backendReady);
  const message = useStore(sessionStore, (s) => s.backendMessage);
  const download = useStore(sessionStore, (s) => s.download);
  const theme = useStore(uiStore, (s) => s.theme);
  const [kind, setKind] = useState<BackendConfig['kind']>(backend.kind === 'none' ? 'local' : backend.kind);
  const [localModel, setLocalModel] = useState(backend.kind === 'local' ? backend.model : DEFAULT_CHAT_MODEL);
  const [baseUrl, setBaseUrl] = useState(backend.kind === 'openai' ? backend.baseUrl : 'http://127.0.0.1:11434');
  const [model, setModel] = useState(backend.kind === 'openai' ? backend.model : 'llama3.2');
  // desktop: a new key to save (never the saved one, which stays in main); browser mode: the key itself
  const [apiKey, setApiKey] = useState('');
  const [keyStatus, setKeyStatus] = useState<SecretStatus | undefined>();
  const [urlError, setUrlError] = useState<string | undefined>();
  const desktop = Boolean(window.fms);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
    if (open && desktop) {
      setApiKey('');
      setKeyStatus(undefined);
      void window.fms!.secretStatus(KEY_NAME).then(setKeyStatus, (err: Error) => setUrlError(`cannot tell whether an API key is saved: ${err.message}`));
    }
  }, [open, desktop]);

  /** Saves (or, for '', forgets) the key in main; false when main refused it. */
  const storeKey = async (value: string): Promise<boolean> => {
    try {
      setKeyStatus(await window.fms!.setSecret(KEY_NAME, value));
      setApiKey('');
      return true;
    } catch (err) {
      setUrlError(`the API key was not saved: ${(err as Error).message.replace(/^Error invoking remote method '[^']*': (Error: )?/, '')}`);
      return false;
    }
  };

  const connect = async () => {
    if (kind === 'openai') {
      try {
        const u = new URL(baseUrl);
        if (!/^https?:$/.test(u.protocol)) throw new Error('use http:// or https://');
        setUrlError(undefined);
      } catch (err) {
        setUrlError(`not a valid URL: ${(err as Error).message}`);
        return;
      }
      if (desktop) {
        // the host gets the key from main, so it never travels in the command
        if (apiKey.trim() && !(await storeKey(apiKey.trim()))) return;
        send({ type: 'setBackend', backend: { kind: 'openai', baseUrl, model } });
      } else send({ type: 'setBackend', backend: { kind: 'openai', baseUrl, model, ...(apiKey ? { apiKey } : {}) } });
    } else if (kind === 'local') send({ type: 'setBackend', backend: { kind: 'local', model: localModel } });
    else send({ type: 'setBackend', backend: { kind: 'none' } });
  };

  return (
    <dialog ref={ref} aria-label="Settings" onClose={onClose}>
      <h2 style={{ marginTop: 0 }}>Settings</h2>
      <fieldset style={{ border: 0, padding: 0 }}>
        <legend>Model backend</legend>
        <div className="row">
          {(['local', 'openai', 'none'] as const).map((k) => (
            <label key={k}>
              <input type="radio" name="backend" checked={kind === k} onChange={() => setKind(k)} /> {k === 'local' ? 'Local model (in the app)' : k === 'openai' ? 'OpenAI-compatible server' : 'None'}
            </label>
          ))}
        </div>
      </fieldset>
      {kind === 'local' && (
        <div className="grid2" style={{ marginTop: 8 }}>
          <label htmlFor="local-model">Model</label>
          <input id="local-model" value={localModel} onChange={(e) => setLocalModel(e.target.value)} placeholder="Hub id or folder" />
          <span />
          <span className="muted">Downloaded once into the app's data folder (a few hundred MB), then runs offline on the CPU.</span>
        </div>
      )}
      {kind === 'openai' && (
        <div className="grid2" style={{ marginTop: 8 }}>
          <label htmlFor="base-url">Base URL</label>
          <div>
            <input id="base-url" value={baseUrl} aria-invalid={Boolean(urlError)} onChange={(e) => setBaseUrl(e.target.value)} style={{ width: '100%' }} />
            {urlError && <div className="error-text" role="alert">{urlError}</div>}
          </div>
          <label htmlFor="server-model">Model</label>
          <input id="server-model" value={model} onChange={(e) => setModel(e.target.value)} />
          <label htmlFor="api-key">API key</label>
          <input
            id="api-key"
            type="password"
            value={apiKey}
            onChange={(e) => setApiKey(e.target.value)}
            placeholder={desktop && keyStatus?.saved ? 'enter a new key to replace the saved one' : 'optional'}
            autoComplete="off"
          />
          <span />
          {desktop ? (
            <span className="muted" aria-label="API key status">
              {keyStatus && keyStatusText(keyStatus)}{' '}
              {keyStatus?.saved && (
                <button type="button" onClick={() => void storeKey('')}>
                  Forget key
                </button>
              )}
            </span>
          ) : (
            <span className="muted">Browser mode: kept in memory for this page only, never stored.</span>
          )}
        </div>
      )}
      {download && (
        <div style={{ marginTop: 8 }} aria-label="Model download">
          Downloading {download.file}: {download.percent.toFixed(0)}%
          <progress max={100} value={download.percent} />
        </div>
      )}
      <div className="row" style={{ marginTop: 8 }}>
        <span className={`pill ${ready ? 'ok' : ''}`}>{ready ? 'connected' : 'not connected'}</span>
        {message && <span className="error-text">{message}</span>}
      </div>
      <div className="row" style={{ marginTop: 12 }}>
        <label>
          Theme{' '}
          <select value={theme} onChange={(e) => uiStore.setState({ theme: e.target.value as 'dark' | 'light' })}>
            <option value="dark">dark</option>
            <option value="light">light</option>
          </select>
        </label>
        <span style={{ flex: 1 }} />
        <button type="button" className="primary" onClick={() => void connect()}>
          Connect
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}
