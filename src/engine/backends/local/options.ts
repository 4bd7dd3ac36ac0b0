import type { DownloadProgress } from '../../backend.js';

export { DEFAULT_CHAT_MODEL, DEFAULT_EMBEDDING_MODEL } from '../../../shared/config.js';
/** Hub chat models load as q4 unless `dtype` says otherwise. */
export const DEFAULT_CHAT_DTYPE = 'q4';
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
