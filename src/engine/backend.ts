import type { ChatMessage, Tokenizer } from './core/tokenizer.js';

/** Per-turn KV-cache prefix reuse, as the cache view shows it. */
export interface CacheReport {
  hit: boolean;
  /** Prompt tokens whose keys/values came from the previous turn's cache. */
  reusedTokens: number;
  /** Prompt tokens run through the model this turn. */
  recomputedTokens: number;
}

export interface GenerateRequest {
  /** The built context (chat template is applied by the backend or the server). */
  messages: ChatMessage[];
  maxNewTokens: number;
  /** 0 = greedy. */
  temperature?: number;
  /** Stops generation; the promise then resolves with finishReason 'cancelled' within one token. */
  signal?: AbortSignal;
  /** Called for each streamed piece of text, in order. */
  onToken?: (text: string) => void;
}

export interface GenerateResult {
  text: string;
  finishReason: 'stop' | 'length' | 'cancelled';
  promptTokens: number;
  completionTokens: number;
  /** Where the token counts came from. */
  usageSource: 'server' | 'tokenizer' | 'model';
  /**
   * Prompt tokens an OpenAI-compatible server says it served from its prompt cache
   * (`usage.prompt_tokens_details.cached_tokens`); undefined when it does not say.
   */
  cachedPromptTokens?: number;
  cache?: CacheReport;
  timings: { firstTokenMs: number; totalMs: number };
}

export type BackendErrorCode =
  | 'model-unavailable'
  | 'timeout'
  | 'http'
  | 'rate-limited'
  | 'connection'
  | 'stream-dropped'
  | 'bad-stream'
  | 'cancelled'
  | 'internal';

/** Every backend failure: a code the UI can switch on and a one-line message a user can act on. */
export class BackendError extends Error {
  readonly code: BackendErrorCode;
  readonly retryable: boolean;
  constructor(code: BackendErrorCode, message: string, options: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = 'BackendError';
    this.code = code;
    this.retryable = options.retryable ?? false;
  }
}

/** Model download progress (local backend), per file. */
export interface DownloadProgress {
  file: string;
  loaded: number;
  total: number;
  /** 0..100 */
  percent: number;
  status: 'initiate' | 'download' | 'progress' | 'done' | 'ready';
}

export interface BackendCapabilities {
  logits: boolean;
  embeddings: boolean;
  kvReuse: boolean;
}

export interface BackendConnection {
  /** The models the server lists (undefined: it does not list them). */
  models?: string[];
  note?: string;
}

/** One interface for every model: local transformers.js models and OpenAI-compatible servers. */
export interface Backend {
  readonly kind: 'local' | 'openai';
  /** Model id or path. */
  readonly model: string;
  /** encode/decode go through this tokenizer. */
  readonly tokenizer: Tokenizer;
  readonly capabilities: BackendCapabilities;
  /** What connecting found out, for the user: the models a server lists, and a note (it lists none, the model is not listed). */
  readonly connection?: BackendConnection;
  /** Streams a reply. Rejects with BackendError on failure; never resolves with a partial reply as complete. */
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /** Next-token logits after each context (vocabulary-sized rows), batched where possible. */
  nextTokenLogits?(contexts: readonly Int32Array[]): Promise<Float32Array[]>;
  /** Mean-pooled, L2-normalized embeddings. */
  embed?(texts: readonly string[]): Promise<Float32Array[]>;
  dispose(): Promise<void>;
}
