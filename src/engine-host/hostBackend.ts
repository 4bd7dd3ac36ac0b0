import type { BackendConfig, BackendStatus, HostEvent } from '../shared/protocol.js';
import type { Backend, DownloadProgress } from '../engine/backend.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import { BackendMemory } from './backendMemory.js';
import { CommandError } from './errors.js';

export type CreateBackend = (config: BackendConfig, tokenizer: Tokenizer, onProgress: (p: DownloadProgress) => void) => Promise<Backend>;

const API_KEY = 'openai-api-key';

/** The backend config as shown to clients: the API key never leaves the host. */
export function publicBackend(b: BackendConfig): BackendConfig {
  return b.kind === 'openai' ? { kind: 'openai', baseUrl: b.baseUrl, model: b.model } : b;
}

/**
 * The model the host talks to: connects what a client picked (with the API key the parent or the
 * client gave), remembers it beside the autosave (no secrets) so a restarted host reconnects.
 */
export class HostBackend {
  #config: BackendConfig = { kind: 'none' };
  #backend: Backend | undefined;
  #status: BackendStatus = { ready: false };
  readonly #secrets = new Map<string, string>();
  readonly #memory: BackendMemory;
  readonly #create: CreateBackend | undefined;

  constructor(options: { memoryFile: string | undefined; create?: CreateBackend }) {
    this.#memory = new BackendMemory(options.memoryFile);
    this.#create = options.create;
  }

  /** The connected backend, if any. */
  get current(): Backend | undefined {
    return this.#backend;
  }

  /** Whether the backend is connected and what connecting it said, as the last backendChanged told clients. */
  get status(): BackendStatus {
    return this.#status;
  }

  /** What clients are told is connected (no API key). */
  get publicConfig(): BackendConfig {
    return publicBackend(this.#config);
  }

  /** A secret from the parent (main's encrypted store, the server's memory); no value forgets it. */
  setSecret(name: string, value: string | undefined): void {
    if (value) this.#secrets.set(name, value);
    else this.#secrets.delete(name);
  }

  /** The backend connected before a crash, to reconnect after a restart. */
  recall(): Promise<BackendConfig | undefined> {
    return this.#memory.recall();
  }

  /**
   * Lets go of the current backend and connects the requested one; a failure to connect is reported as
   * `backendChanged` with ready false. Resolves with the new backend's tokenizer (undefined: none).
   */
  async connect(requested: BackendConfig, tokenizer: Tokenizer, emit: (event: HostEvent) => void): Promise<Tokenizer | undefined> {
    await this.#backend?.dispose();
    this.#backend = undefined;
    this.#config = requested;
    this.#status = { ready: false };
    const changed = (status: BackendStatus): void => {
      this.#status = status;
      emit({ type: 'backendChanged', backend: publicBackend(requested), ...status });
    };
    if (requested.kind === 'none') {
      await this.#memory.remember(requested);
      changed({ ready: false });
      return undefined;
    }
    if (!this.#create) throw new CommandError('no-backend', 'this host cannot create model backends');
    if (requested.kind === 'openai' && requested.apiKey) this.#secrets.set(API_KEY, requested.apiKey);
    const withKey = requested.kind === 'openai' && !requested.apiKey && this.#secrets.has(API_KEY) ? { ...requested, apiKey: this.#secrets.get(API_KEY) } : requested;
    try {
      this.#backend = await this.#create(withKey, tokenizer, (p) => emit({ type: 'modelProgress', ...p }));
      await this.#memory.remember(requested);
      const { models, note } = this.#backend.connection ?? {};
      changed({ ready: true, ...(models ? { models } : {}), ...(note ? { note } : {}) });
    } catch (err) {
      changed({ ready: false, message: (err as Error).message });
    }
    return this.#backend?.tokenizer;
  }

  async dispose(): Promise<void> {
    await this.#backend?.dispose();
  }
}
