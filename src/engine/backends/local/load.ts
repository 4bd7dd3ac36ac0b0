import { BackendError, type DownloadProgress } from '../../backend.js';
import type { HfTokenizerLike } from '../../core/tokenizer.js';
import { progressCallback } from './progress.js';
import type { PreTrainedModel, Transformers } from './types.js';

export interface LoadOptions {
  /** Where downloaded Hub files are cached. */
  cacheDir?: string;
  /** Weights variant (transformers.js dtype: fp32, fp16, q8, q4, q4f16, ...). */
  dtype?: string;
  /** Allow downloads from the Hugging Face Hub (default true). Local folders never download. */
  allowRemote?: boolean;
  onProgress?: (p: DownloadProgress) => void;
}

/**
 * A folder rather than a Hub id ("owner/name"): absolute, ./ or ../ relative, Windows paths, or
 * more than one slash. transformers.js reads such paths directly.
 */
export function isLocalPath(model: string): boolean {
  return /^(\/|\.{1,2}([\\/]|$)|~|[A-Za-z]:[\\/]|\\\\)/.test(model) || model.includes('\\') || model.split('/').length > 2;
}

/** transformers.js `from_pretrained` options for `model`; Hub models default to `hubDtype`. */
export function pretrainedOptions(model: string, o: LoadOptions, hubDtype: string): Record<string, unknown> {
  const local = isLocalPath(model);
  return {
    cache_dir: o.cacheDir,
    local_files_only: local || o.allowRemote === false,
    dtype: o.dtype ?? (local ? 'fp32' : hubDtype),
    progress_callback: o.onProgress ? progressCallback(o.onProgress) : undefined,
  };
}

const UNAVAILABLE = /not found locally|ModelFileNotFound|Could not locate|fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|network|Unauthorized|\b404\b|reading 'tokenizer_class'|no such file/i;

const oneLine = (s: string): string => s.replace(/\s+/g, ' ').trim();

function describe(err: unknown): string {
  if (!(err instanceof Error)) return oneLine(String(err));
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : '';
  return oneLine(`${err.message}${cause}`);
}

/** Where Hub ids download from: the Hub, or the mirror HF_ENDPOINT named (transformers.js `env.remoteHost`). */
function hubName(remoteHost: string | undefined): string {
  return !remoteHost || /^https:\/\/huggingface\.co\/?$/.test(remoteHost) ? 'the Hugging Face Hub' : `the Hub mirror ${remoteHost}`;
}

/**
 * A load failure as a BackendError: 'model-unavailable' (with what to do) when files are missing or
 * unreachable. `remoteHost` is where Hub ids were downloaded from.
 */
export function loadError(err: unknown, model: string, o: LoadOptions, remoteHost?: string): BackendError {
  if (err instanceof BackendError) return err;
  const why = describe(err);
  const name = err instanceof Error ? err.name : '';
  if (!UNAVAILABLE.test(why) && name !== 'ModelFileNotFoundError') {
    return new BackendError('internal', `cannot load model "${model}": ${why}`, { cause: err });
  }
  const missing = /at "([^"]+)"/.exec(why)?.[1];
  let message: string;
  if (isLocalPath(model)) {
    message = `model folder "${model}" is missing or incomplete${missing ? ` (no ${missing})` : ''}: point --model at a folder with config.json, tokenizer.json and onnx/model.onnx`;
  } else if (o.allowRemote === false) {
    message = `model "${model}" is not in the model cache${o.cacheDir ? ` (${o.cacheDir})` : ''} and downloads are off: download it once on a machine with network access, or point --model at a local model folder`;
  } else {
    message = `model "${model}" could not be downloaded from ${hubName(remoteHost)} (${why}): download it once on a machine with network access, or point --model at a local model folder`;
  }
  return new BackendError('model-unavailable', oneLine(message), { cause: err, retryable: !isLocalPath(model) && o.allowRemote !== false });
}

export interface LoadedChatModel {
  model: PreTrainedModel;
  tokenizer: HfTokenizerLike & { pad_token_id?: number | null; all_special_ids?: number[] };
}

/**
 * The weights variant a model's config.json declares (`transformers.js_config.dtype`, a string or one
 * per file), as transformers.js reads it; undefined when it declares none or "auto".
 */
export function declaredDtype(config: unknown): unknown {
  const declared = (config as { 'transformers.js_config'?: { dtype?: unknown } } | undefined)?.['transformers.js_config']?.dtype;
  return declared === 'auto' || declared === null ? undefined : declared;
}

/**
 * Loads the causal LM, then its tokenizer (config first: a missing model fails before any weights or
 * tokenizer download). The weights are `o.dtype`, else what the model's config declares, else
 * fp32 for a folder and `hubDtype` for a Hub id.
 */
export async function loadChatModel(tf: Transformers, model: string, o: LoadOptions, hubDtype: string): Promise<LoadedChatModel> {
  const options = pretrainedOptions(model, o, hubDtype);
  let lm: PreTrainedModel;
  try {
    const config = await tf.AutoConfig.from_pretrained(model, options);
    const dtype = o.dtype ?? declaredDtype(config) ?? options.dtype;
    lm = await tf.AutoModelForCausalLM.from_pretrained(model, { ...options, config, dtype } as Record<string, unknown>);
  } catch (err) {
    throw loadError(err, model, o, tf.env.remoteHost);
  }
  try {
    const { cache_dir, local_files_only, progress_callback } = options;
    const tok = await tf.AutoTokenizer.from_pretrained(model, { cache_dir, local_files_only, progress_callback } as Record<string, unknown>);
    return { model: lm, tokenizer: tok as unknown as LoadedChatModel['tokenizer'] };
  } catch (err) {
    await lm.dispose();
    throw loadError(err, model, o, tf.env.remoteHost);
  }
}
