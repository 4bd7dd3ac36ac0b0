import { useEffect, useState } from 'react';
import type { SecretStatus } from '../../shared/bridge';
import type { BackendConfig } from '../../shared/protocol';
import { DEFAULT_CHAT_MODEL } from '../../shared/config';
import { send } from '../client/connection';
import { sessionStore } from '../state/stores';

const KEY_NAME = 'openai-api-key';

/** Where the desktop app keeps the key, in words (it never shows the key itself). */
export function keyStatusText(status: SecretStatus): string {
  if (!status.saved) return status.storage === 'session-only' ? 'No API key set (no OS keyring: a key you enter is kept for this session only).' : 'No API key saved.';
  return status.storage === 'encrypted' ? 'API key saved (encrypted).' : 'API key kept for this session only: no OS keyring (Linux basic_text).';
}

export type BackendDraft = ReturnType<typeof useBackendDraft>;
export type ApiKeyState = ReturnType<typeof useApiKey>;

/** The backend fields as typed, starting from the backend in use. */
export function useBackendDraft(backend: BackendConfig) {
  const [kind, setKind] = useState<BackendConfig['kind']>(backend.kind === 'none' ? 'local' : backend.kind);
  const [localModel, setLocalModel] = useState(backend.kind === 'local' ? backend.model : DEFAULT_CHAT_MODEL);
  const [baseUrl, setBaseUrl] = useState(backend.kind === 'openai' ? backend.baseUrl : 'http://127.0.0.1:11434');
  const [model, setModel] = useState(backend.kind === 'openai' ? backend.model : 'llama3.2');
  return { kind, setKind, localModel, setLocalModel, baseUrl, setBaseUrl, model, setModel };
}

/**
 * The API key field and, on the desktop, the saved key's status (asked again each time the dialog
 * opens). `urlError` also reports a key main would not save.
 */
export function useApiKey(open: boolean, desktop: boolean) {
  // desktop: a new key to save (never the saved one, which stays in main); browser mode: the key itself
  const [apiKey, setApiKey] = useState('');
  const [keyStatus, setKeyStatus] = useState<SecretStatus | undefined>();
  const [urlError, setUrlError] = useState<string | undefined>();
  useEffect(() => {
    if (!open || !desktop) return;
    setApiKey('');
    setKeyStatus(undefined);
    void window.fms!.secretStatus(KEY_NAME).then(setKeyStatus, (err: Error) => setUrlError(`cannot tell whether an API key is saved: ${err.message}`));
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
  return { apiKey, setApiKey, keyStatus, urlError, setUrlError, storeKey };
}

/** Sends setBackend; the status says "connecting…" until the engine's backendChanged answers. */
function setBackend(backend: BackendConfig): void {
  if (sessionStore.getState().connection === 'connected') sessionStore.setState({ backendConnecting: true });
  send({ type: 'setBackend', backend });
}

/** Asks the engine for the drafted backend (an invalid server URL is reported instead). */
export async function connectBackend(draft: BackendDraft, key: ApiKeyState, desktop: boolean): Promise<void> {
  const { kind, baseUrl, model, localModel } = draft;
  if (kind === 'local') return setBackend({ kind: 'local', model: localModel });
  if (kind !== 'openai') return setBackend({ kind: 'none' });
  try {
    const u = new URL(baseUrl);
    if (!/^https?:$/.test(u.protocol)) throw new Error('use http:// or https://');
    key.setUrlError(undefined);
  } catch (err) {
    key.setUrlError(`not a valid URL: ${(err as Error).message}`);
    return;
  }
  const { apiKey } = key;
  if (desktop) {
    // the host gets the key from main, so it never travels in the command
    if (apiKey.trim() && !(await key.storeKey(apiKey.trim()))) return;
    setBackend({ kind: 'openai', baseUrl, model });
  } else setBackend({ kind: 'openai', baseUrl, model, ...(apiKey ? { apiKey } : {}) });
}
