import { BackendError, type Backend, type BackendCapabilities, type DownloadProgress, type GenerateRequest } from '../../backend.js';
import { HfTokenizer, type Tokenizer } from '../../tokenizer.js';
import { nextTokenLogits } from './batchLogits.js';
import { Embedder, EMBED_BATCH } from './embedder.js';
import { KvCache } from './kvCache.js';
import { LmRunner } from './lmRunner.js';
import { loadChatModel, type LoadedChatModel } from './load.js';
import { mulberry32 } from './sampling.js';
import { runTurn } from './turn.js';
import type { LocalGenerateResult, Transformers } from './types.js';

/** A small instruct model with ONNX weights; Hub models load as q4 unless `dtype` says otherwise. */
export const DEFAULT_CHAT_MODEL = 'onnx-community/Qwen2.5-0.5B-Instruct';
export const DEFAULT_CHAT_DTYPE = 'q4';
export const DEFAULT_EMBEDDING_MODEL = 'Xenova/all-MiniLM-L6-v2';
/** A common prefix shorter than this (e.g. just `<|im_start|>user\n`) counts as a miss. */
export const MIN_REUSE_TOKENS = 8;

export interface LocalBackendOptions {
  /** Hub id ("owner/name") or a local folder (absolute or ./-relative) with config.json, tokenizer.json, onnx/. */
  model: string;
  cacheDir?: string;
  /** Hub id or folder of a feature-extraction model, loaded on the first embed() call. */
  embeddingModel?: string;
  /** Chat model weights variant; default q4 for Hub models, fp32 for folders. */
  dtype?: string;
  /** Embedding model weights variant; default q8 for Hub models, fp32 for folders. */
  embeddingDtype?: string;
  onProgress?: (p: DownloadProgress) => void;
  /** Allow Hub downloads (default true). */
  allowRemote?: boolean;
  /** Reuse the previous turn's KV cache for the common prompt prefix (default true). */
  kvReuse?: boolean;
  minReuseTokens?: number;
  embedBatchSize?: number;
  /** Seed of the sampler used when temperature > 0. */
  seed?: number;
}

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

const disposedError = () => new BackendError('internal', 'the local backend was disposed');

function asBackendError(err: unknown, what: string): BackendError {
  if (err instanceof BackendError) return err;
  const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new BackendError('internal', `${what}: ${why}`, { cause: err });
}

/** EOS ids from generation_config.json and config.json, plus chat end markers that are special tokens. */
function stopIds(loaded: LoadedChatModel, tokenizer: Tokenizer): Set<number> {
  const ids = new Set<number>();
  const add = (v: unknown): void => {
    if (typeof v === 'number') ids.add(v);
    else if (Array.isArray(v)) v.forEach(add);
  };
  add((loaded.model.generation_config as { eos_token_id?: unknown } | null)?.eos_token_id);
  add((loaded.model.config as { eos_token_id?: unknown }).eos_token_id);
  const specials = new Set(loaded.tokenizer.all_special_ids ?? []);
  for (const marker of ['<|im_end|>', '<|eot_id|>', '<|end|>', '<end_of_turn>']) {
    const enc = tokenizer.encodeRendered(marker);
    if (enc.length === 1 && specials.has(enc[0])) ids.add(enc[0]);
  }
  return ids;
}

/** Loads a local transformers.js model (downloading it into `cacheDir` when allowed). */
export async function createLocalBackend(options: LocalBackendOptions): Promise<LocalBackend> {
  const tf = await import('@huggingface/transformers');
  const loaded = await loadChatModel(tf, options.model, options, DEFAULT_CHAT_DTYPE);
  return new LocalBackend(tf, loaded, options);
}
