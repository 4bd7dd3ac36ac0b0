import { useStore } from 'zustand';
import { useViewStore } from '../lib/viewClock';
import { formatBytes } from '../../shared/limits';
import { restartEngine } from '../client/connection';
import { sessionStore, uiStore } from '../state/stores';

export function Header({ onSettings }: { onSettings: () => void }) {
  const info = useViewStore(sessionStore, (s) => s.info);
  const connection = useViewStore(sessionStore, (s) => s.connection);
  const backend = useViewStore(sessionStore, (s) => s.backend);
  const ready = useViewStore(sessionStore, (s) => s.backendReady);
  const download = useViewStore(sessionStore, (s) => s.download);
  const replay = useViewStore(sessionStore, (s) => s.replay);
  const upload = useViewStore(sessionStore, (s) => s.upload);
  const autosaved = useViewStore(sessionStore, (s) => s.autosaved);
  const stopped = useViewStore(sessionStore, (s) => s.engineStopped);
  const theme = useStore(uiStore, (s) => s.theme);
  const backendLabel =
    backend.kind === 'none' ? 'No model connected' : backend.kind === 'local' ? `Local: ${backend.model}` : `Server: ${backend.model} @ ${backend.baseUrl}`;
  return (
    <header className="header" aria-label="Header">
      <h1>Finite Memory Studio</h1>
      <span className="muted" aria-label="Session title">
        {info?.title ?? '…'} · {info?.messages ?? 0} messages
      </span>
      {replay && (
        <span className="pill" role="status">
          {replay.total > 0 ? `Replaying ${replay.done}/${replay.total}` : 'Replaying…'}
        </span>
      )}
      {upload && (
        <span className="pill" role="status" aria-label="Opening file">
          Opening {upload.name} {upload.total > 0 ? `${Math.min(100, (100 * upload.received) / upload.total).toFixed(0)}%` : ''} ({formatBytes(upload.received)})
        </span>
      )}
      <span className="spacer" />
      {stopped && (
        <span className="pill bad" role="alert" aria-label="Engine stopped">
          The engine stopped: {stopped}{' '}
          <button type="button" onClick={restartEngine}>
            Restart engine
          </button>
        </span>
      )}
      {autosaved && (
        <span className="pill" aria-label="Autosave" title={`${formatBytes(autosaved.bytes)} written, fsynced and renamed at ${new Date(autosaved.at).toLocaleTimeString()}`}>
          Saved · {autosaved.messages} messages
        </span>
      )}
      <span className={`pill ${connection === 'connected' ? 'ok' : connection === 'failed' ? 'bad' : ''}`} role="status" aria-label="Engine connection">
        Engine {connection}
      </span>
      <span className={`pill ${ready ? 'ok' : ''}`} aria-label="Backend">
        {backendLabel}
        {!ready && backend.kind !== 'none' ? ' · not connected' : ''}
        {download ? ` · downloading ${download.file} ${download.percent.toFixed(0)}%` : ''}
      </span>
      {!ready && (
        <button type="button" onClick={onSettings}>
          Connect a model…
        </button>
      )}
      <button type="button" onClick={onSettings} aria-label="Settings">
        Settings
      </button>
      <button
        type="button"
        aria-label={`Switch to ${theme === 'dark' ? 'light' : 'dark'} theme`}
        onClick={() => uiStore.setState({ theme: theme === 'dark' ? 'light' : 'dark' })}
      >
        {theme === 'dark' ? '☀' : '☾'}
      </button>
    </header>
  );
}
