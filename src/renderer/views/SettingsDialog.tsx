import { useEffect, useRef, useState, type RefObject } from 'react';
import { useStore } from 'zustand';
import { isOtlpEndpoint, type BackendConfig } from '../../shared/protocol';
import { send } from '../client/connection';
import { sessionStore, uiStore } from '../state/stores';
import { connectBackend, keyStatusText, useApiKey, useBackendDraft, type ApiKeyState, type BackendDraft } from './settingsForm';

/** Backend (local model or OpenAI-compatible server), model download progress, theme. */
export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const backend = useStore(sessionStore, (s) => s.backend);
  const desktop = Boolean(window.fms);
  useModal(ref, open);
  const draft = useBackendDraft(backend);
  const key = useApiKey(open, desktop);
  return (
    <dialog ref={ref} aria-label="Settings" onClose={onClose}>
      <h2 style={{ marginTop: 0 }}>Settings</h2>
      <BackendChoice kind={draft.kind} onChange={draft.setKind} />
      {draft.kind === 'local' && <LocalModelFields draft={draft} />}
      {draft.kind === 'openai' && <ServerFields draft={draft} apiKey={key} desktop={desktop} />}
      <BackendStatus />
      <TelemetryFields />
      <div className="row" style={{ marginTop: 12 }}>
        <ThemeSelect />
        <span style={{ flex: 1 }} />
        <button type="button" className="primary" onClick={() => void connectBackend(draft, key, desktop)}>
          Connect
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </dialog>
  );
}

/** Shows the dialog as a modal while `open`. */
function useModal(ref: RefObject<HTMLDialogElement | null>, open: boolean): void {
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [ref, open]);
}

function BackendChoice({ kind, onChange }: { kind: BackendConfig['kind']; onChange: (kind: BackendConfig['kind']) => void }) {
  return (
    <fieldset style={{ border: 0, padding: 0 }}>
      <legend>Model backend</legend>
      <div className="row">
        {(['local', 'openai', 'none'] as const).map((k) => (
          <label key={k}>
            <input type="radio" name="backend" checked={kind === k} onChange={() => onChange(k)} /> {k === 'local' ? 'Local model (in the app)' : k === 'openai' ? 'OpenAI-compatible server' : 'None'}
          </label>
        ))}
      </div>
    </fieldset>
  );
}

function LocalModelFields({ draft }: { draft: BackendDraft }) {
  return (
    <div className="grid2" style={{ marginTop: 8 }}>
      <label htmlFor="local-model">Model</label>
      <input id="local-model" value={draft.localModel} onChange={(e) => draft.setLocalModel(e.target.value)} placeholder="Hub id or folder" />
      <span />
      <span className="muted">Downloaded once into the app's data folder (a few hundred MB), then runs offline on the CPU.</span>
    </div>
  );
}

function ServerFields({ draft, apiKey: key, desktop }: { draft: BackendDraft; apiKey: ApiKeyState; desktop: boolean }) {
  return (
    <div className="grid2" style={{ marginTop: 8 }}>
      <label htmlFor="base-url">Base URL</label>
      <div>
        <input id="base-url" value={draft.baseUrl} aria-invalid={Boolean(key.urlError)} onChange={(e) => draft.setBaseUrl(e.target.value)} style={{ width: '100%' }} />
        {key.urlError && <div className="error-text" role="alert">{key.urlError}</div>}
      </div>
      <label htmlFor="server-model">Model</label>
      <ServerModel draft={draft} />
      <label htmlFor="api-key">API key</label>
      <input
        id="api-key"
        type="password"
        value={key.apiKey}
        onChange={(e) => key.setApiKey(e.target.value)}
        placeholder={desktop && key.keyStatus?.saved ? 'enter a new key to replace the saved one' : 'optional'}
        autoComplete="off"
      />
      <span />
      {desktop ? <KeyStatus apiKey={key} /> : <span className="muted">Browser mode: kept in memory for this page only, never stored.</span>}
    </div>
  );
}

/** The model name: typed, or picked from what the connected server lists (when the URL is still that server's). */
function ServerModel({ draft }: { draft: BackendDraft }) {
  const backend = useStore(sessionStore, (s) => s.backend);
  const listed = useStore(sessionStore, (s) => s.backendModels);
  const models = backend.kind === 'openai' && backend.baseUrl === draft.baseUrl ? listed : undefined;
  return (
    <div>
      <input id="server-model" list="server-models" value={draft.model} onChange={(e) => draft.setModel(e.target.value)} style={{ width: '100%' }} />
      {models && models.length > 0 && (
        <>
          <datalist id="server-models">
            {models.map((m) => (
              <option key={m} value={m} />
            ))}
          </datalist>
          <div className="muted" aria-label="Server models">
            The server lists {models.length === 1 ? '1 model' : `${models.length} models`}: pick one or type a name.
          </div>
        </>
      )}
    </div>
  );
}

function KeyStatus({ apiKey: { keyStatus, storeKey } }: { apiKey: ApiKeyState }) {
  return (
    <span className="muted" aria-label="API key status">
      {keyStatus && keyStatusText(keyStatus)}{' '}
      {keyStatus?.saved && (
        <button type="button" onClick={() => void storeKey('')}>
          Forget key
        </button>
      )}
    </span>
  );
}

/** Model download progress, and whether the backend is connected (or why not). */
function BackendStatus() {
  const ready = useStore(sessionStore, (s) => s.backendReady);
  const message = useStore(sessionStore, (s) => s.backendMessage);
  const note = useStore(sessionStore, (s) => s.backendNote);
  const connecting = useStore(sessionStore, (s) => s.backendConnecting);
  const download = useStore(sessionStore, (s) => s.download);
  return (
    <>
      {download && (
        <div style={{ marginTop: 8 }} aria-label="Model download">
          Downloading {download.file}: {download.percent.toFixed(0)}%
          <progress max={100} value={download.percent} />
        </div>
      )}
      <div className="row" style={{ marginTop: 8 }}>
        <span className={`pill ${ready && !connecting ? 'ok' : message && !connecting ? 'bad' : ''}`} role="status" aria-label="Connection status">
          {connecting ? 'connecting…' : ready ? 'connected' : 'not connected'}
        </span>
        {!connecting && message && <span className="error-text">{message}</span>}
        {!connecting && note && <span className="muted" aria-label="Connection note">{note}</span>}
      </div>
    </>
  );
}

function ThemeSelect() {
  const theme = useStore(uiStore, (s) => s.theme);
  return (
    <label>
      Theme{' '}
      <select value={theme} onChange={(e) => uiStore.setState({ theme: e.target.value as 'dark' | 'light' })}>
        <option value="dark">dark</option>
        <option value="light">light</option>
      </select>
    </label>
  );
}

/**
 * Where the engine exports each turn (OpenTelemetry OTLP/HTTP): the environment's endpoint
 * (OTEL_EXPORTER_OTLP_ENDPOINT when the app or `fms serve` started), or one set here — remembered by the
 * engine over the environment's; empty turns export off.
 */
function TelemetryFields() {
  const telemetry = useStore(sessionStore, (s) => s.telemetry);
  const [typed, setTyped] = useState<string | undefined>();
  const value = typed ?? telemetry.endpoint ?? '';
  const invalid = value.trim() !== '' && !isOtlpEndpoint(value.trim());
  const status = telemetry.endpoint
    ? `Each turn is exported to ${telemetry.endpoint} (${telemetry.source === 'environment' ? 'from OTEL_EXPORTER_OTLP_ENDPOINT' : 'set here'}).`
    : 'Off: no OpenTelemetry endpoint.';
  return (
    <fieldset aria-label="OpenTelemetry" style={{ border: '1px solid var(--border)', borderRadius: 6, marginTop: 10 }}>
      <legend>OpenTelemetry</legend>
      <div className="row" style={{ gap: 6 }}>
        <label>
          OTLP endpoint{' '}
          <input aria-label="OTLP endpoint" placeholder="http://127.0.0.1:4318" value={value} aria-invalid={invalid} onChange={(e) => setTyped(e.target.value)} style={{ width: 260 }} />
        </label>
        <button
          type="button"
          disabled={invalid}
          onClick={() => {
            send({ type: 'setTelemetry', endpoint: value.trim() });
            setTyped(undefined);
          }}
        >
          Apply
        </button>
      </div>
      {invalid && (
        <p role="alert" className="error-text">
          An OTLP endpoint is an http(s) URL such as http://127.0.0.1:4318 (spans go to its /v1/traces).
        </p>
      )}
      <p className="muted" aria-label="Telemetry status" style={{ margin: '4px 0' }}>
        {status} Langfuse, Phoenix or Jaeger receive one GenAI span per turn with the engine&apos;s spans as its children.
      </p>
    </fieldset>
  );
}
