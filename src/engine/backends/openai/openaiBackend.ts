import { BackendError, type Backend, type BackendConnection } from '../../backend.js';
import type { Tokenizer } from '../../core/tokenizer.js';
import { Generation, type GenerationConfig } from './generation.js';
import { chatCompletionsUrl } from './http.js';
import { probeModels } from './models.js';
import { sleep as realSleep, type Sleep } from './retry.js';

export interface OpenAIBackendOptions {
  /** "http://host:port", with or without a trailing slash or "/v1". */
  baseUrl: string;
  model: string;
  /** Sent as "Authorization: Bearer KEY" when set. */
  apiKey?: string;
  /** Counts tokens when the server reports no usage, and serves encode/decode for the engine. */
  tokenizer: Tokenizer;
  /** From sending the request to the first byte of the reply body (connect, headers, prompt processing). Default 30000. */
  timeoutMs?: number;
  /** Longest gap between two chunks of the stream. Default 60000. */
  idleTimeoutMs?: number;
  /** Retries of 429, 5xx, refused/reset connections and empty dropped streams, only before any text was streamed. Default 3. */
  maxRetries?: number;
  /** First backoff delay; doubles per retry, with jitter; a Retry-After header takes precedence. Default 500. */
  retryBaseMs?: number;
  fetch?: typeof fetch;
  sleep?: Sleep;
  /** For connectOpenAIBackend's model-list probe, as a whole. Default 10000. */
  probeTimeoutMs?: number;
}

/**
 * Connects to an OpenAI-compatible server the way Settings does: asks it for its models first
 * (`GET /v1/models`, see probeModels), so a server that cannot be reached, refuses the key or fails
 * rejects here with a BackendError saying why, instead of at the first chat. A server that does not
 * list its models (404, 501) is used with the typed model name, and the backend's `connection` says so.
 */
export async function connectOpenAIBackend(options: OpenAIBackendOptions): Promise<Backend> {
  const probe = await probeModels({ baseUrl: options.baseUrl, model: options.model, apiKey: options.apiKey, timeoutMs: options.probeTimeoutMs, fetch: options.fetch });
  return createOpenAIBackend(options, probe);
}

/**
 * A Backend over an OpenAI-compatible server (OpenAI, vLLM, llama.cpp, Ollama, LM Studio...): streamed
 * `POST /v1/chat/completions`. Failures reject with BackendError; cancellation through the request's
 * signal resolves with finishReason 'cancelled' and the partial text; dispose() aborts what is in flight.
 * Throws a TypeError right away for a base URL that is not http(s).
 */
export function createOpenAIBackend(options: OpenAIBackendOptions, connection?: BackendConnection): Backend {
  const url = chatCompletionsUrl(options.baseUrl);
  const cfg: GenerationConfig = {
    url,
    where: `${url} (model "${options.model}")`,
    model: options.model,
    apiKey: options.apiKey,
    tokenizer: options.tokenizer,
    timeoutMs: options.timeoutMs ?? 30_000,
    idleTimeoutMs: options.idleTimeoutMs ?? 60_000,
    maxRetries: Math.max(0, options.maxRetries ?? 3),
    retryBaseMs: options.retryBaseMs ?? 500,
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    sleep: options.sleep ?? realSleep,
  };
  const inFlight = new Set<Generation>();
  let disposed = false;

  return {
    kind: 'openai',
    model: options.model,
    tokenizer: options.tokenizer,
    capabilities: { logits: false, embeddings: false, kvReuse: false },
    ...(connection ? { connection } : {}),
    async generate(request) {
      if (disposed) throw new BackendError('cancelled', `the backend for ${cfg.where} was disposed`);
      const generation = new Generation(cfg, request);
      inFlight.add(generation);
      try {
        return await generation.run();
      } finally {
        inFlight.delete(generation);
      }
    },
    async dispose() {
      disposed = true;
      for (const generation of inFlight) generation.stop('dispose');
    },
  };
}
