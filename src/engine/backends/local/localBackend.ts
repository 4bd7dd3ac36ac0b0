import type { Backend, BackendCapabilities, GenerateRequest } from '../../backend.js';
import { HfTokenizer, type Tokenizer } from '../../core/tokenizer.js';
import { nextTokenLogits } from './batchLogits.js';
import { Embedder, EMBED_BATCH } from './embedder.js';
import { KvCache } from './kvCache.js';
import { LmRunner } from './lmRunner.js';
import { asBackendError, disposedError, stopIds } from './chatModel.js';
import { loadChatModel, type LoadedChatModel } from './load.js';
import { DEFAULT_CHAT_DTYPE, DEFAULT_EMBEDDING_MODEL, MIN_REUSE_TOKENS, type LocalBackendOptions } from './options.js';
import { mulberry32 } from './sampling.js';
import { runTurn } from './turn.js';
import type { LocalGenerateResult, Transformers } from './types.js';

export class LocalBackend implements Backend {
  readonly kind = 'local' as const;
  readonly model: string;
  readonly tokenizer: Tokenizer;
  readonly capabilities: BackendCapabilities;
  #runner: LmRunner;
  #cache: KvCache;
  #embedder: Embedder;
  #stopIds: Set<number>;
  #padId: number;
  #random: () => number;
  #options: LocalBackendOptions;
  #queue: Promise<unknown> = Promise.resolve();
  #disposed = false;

  constructor(tf: Transformers, loaded: LoadedChatModel, options: LocalBackendOptions) {
    this.model = options.model;
    this.#options = options;
    this.tokenizer = new HfTokenizer(options.model, loaded.tokenizer);
    this.#runner = new LmRunner(tf, loaded.model);
    this.#cache = new KvCache(tf);
    this.#stopIds = stopIds(loaded, this.tokenizer);
    this.#padId = loaded.tokenizer.pad_token_id ?? [...this.#stopIds][0] ?? 0;
    this.#random = mulberry32(options.seed ?? 0x5eed);
    const embeddingModel = options.embeddingModel ?? DEFAULT_EMBEDDING_MODEL;
    const { cacheDir, allowRemote, onProgress } = options;
    this.#embedder = new Embedder(tf, embeddingModel, { cacheDir, allowRemote, onProgress, dtype: options.embeddingDtype }, options.embedBatchSize ?? EMBED_BATCH);
    this.capabilities = { logits: true, embeddings: true, kvReuse: options.kvReuse !== false && this.#runner.croppable };
  }

  /** Tokens whose keys/values are kept for the next turn. */
  get cachedTokens(): number {
    return this.#cache.length;
  }

  generate(request: GenerateRequest): Promise<LocalGenerateResult> {
    return this.#exclusive(async () => {
      try {
        return await runTurn(
          {
            runner: this.#runner,
            cache: this.#cache,
            tokenizer: this.tokenizer,
            stopIds: this.#stopIds,
            random: this.#random,
            reuse: this.capabilities.kvReuse,
            minReuseTokens: this.#options.minReuseTokens ?? MIN_REUSE_TOKENS,
          },
          request,
        );
      } catch (err) {
        this.#cache.clear(); // the cache may no longer match its ids
        throw asBackendError(err, `local model "${this.model}" failed while generating`);
      }
    });
  }

  nextTokenLogits(contexts: readonly Int32Array[]): Promise<Float32Array[]> {
    return this.#exclusive(async () => {
      try {
        return await nextTokenLogits(this.#runner, contexts, this.#padId);
      } catch (err) {
        throw asBackendError(err, `local model "${this.model}" failed computing logits`);
      }
    });
  }

  embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (this.#disposed) return Promise.reject(disposedError());
    return this.#embedder.embed(texts);
  }

  /** Drops the kept KV cache (the next turn recomputes its whole prompt). */
  resetCache(): void {
    this.#cache.clear();
  }

  async dispose(): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    await this.#queue;
    this.#cache.clear();
    await Promise.all([this.#runner.dispose(), this.#embedder.dispose()]);
  }

  /** One model call at a time: ONNX sessions and the KV cache are not shared between runs. */
  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#disposed) return Promise.reject(disposedError());
    const run = this.#queue.then(fn, fn);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

/** Loads a local transformers.js model (downloading it into `cacheDir` when allowed). */
export async function createLocalBackend(options: LocalBackendOptions): Promise<LocalBackend> {
  const tf = await import('@huggingface/transformers');
  const loaded = await loadChatModel(tf, options.model, options, DEFAULT_CHAT_DTYPE);
  return new LocalBackend(tf, loaded, options);
}
