import { BackendError } from '../../backend.js';
import type { Tokenizer } from '../../core/tokenizer.js';
import type { LoadedChatModel } from './load.js';

export const disposedError = (): BackendError => new BackendError('internal', 'the local backend was disposed');

/** Any failure as a BackendError with a one-line message. */
export function asBackendError(err: unknown, what: string): BackendError {
  if (err instanceof BackendError) return err;
  const why = err instanceof Error ? err.message.split('\n')[0] : String(err);
  return new BackendError('internal', `${what}: ${why}`, { cause: err });
}

/** EOS ids from generation_config.json and config.json, plus chat end markers that are special tokens. */
export function stopIds(loaded: LoadedChatModel, tokenizer: Tokenizer): Set<number> {
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
