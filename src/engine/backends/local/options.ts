import type { DownloadProgress } from '../../backend.js';

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
