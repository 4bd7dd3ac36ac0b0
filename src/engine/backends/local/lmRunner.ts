import type { KvCache } from './kvCache.js';
import type { Past, PreTrainedModel, Tensor, Transformers } from './types.js';

/** Floats of logits one forward pass may produce (graphs without num_logits_to_keep return every position's row). */
const LOGITS_BUDGET = 1 << 24;
const MAX_CHUNK = 512;
const STANDARD_CACHE = /^present\.\d+\.(key|value)$/;

interface Session {
  inputNames: string[];
  outputNames: string[];
}

const toPastName = (name: string): string =>
  name.startsWith('present.') ? `past_key_values.${name.slice('present.'.length)}` : name.replace(/^present_/, 'past_');

/** Forward passes of a causal LM through transformers.js `model.forward`, with the KV cache in our hands. */
export class LmRunner {
  readonly vocabSize: number;
  /** False for hybrid caches (recurrent/SSM state), which cannot be cut back to a prefix. */
  readonly croppable: boolean;
  #tf: Transformers;
  #model: PreTrainedModel;
  #keepLast: boolean;

  constructor(tf: Transformers, model: PreTrainedModel) {
    this.#tf = tf;
    this.#model = model;
    const session = (model.sessions.model ?? model.sessions.decoder_model_merged) as Session;
    this.#keepLast = session.inputNames.includes('num_logits_to_keep');
    this.croppable = session.outputNames.filter((n) => n.startsWith('present')).every((n) => STANDARD_CACHE.test(n));
    this.vocabSize = Number((model.config as unknown as { vocab_size?: number }).vocab_size ?? 0);
  }

  /** New tokens per forward pass for `batch` rows. */
  chunkSize(batch: number): number {
    if (this.#keepLast || this.vocabSize <= 0) return MAX_CHUNK;
    return Math.max(1, Math.min(MAX_CHUNK, Math.floor(LOGITS_BUDGET / (batch * this.vocabSize))));
  }

  /**
   * One pass over `batch` rows of new tokens after `past`. `mask` covers past + new positions.
   * Returns each row's last-position logits (when asked) and the new cache.
   */
  async forward(ids: BigInt64Array, batch: number, mask: BigInt64Array, positions: BigInt64Array, past: Past | undefined, wantLogits: boolean) {
    const tf = this.#tf;
    const inputs: Record<string, unknown> = {
      input_ids: new tf.Tensor('int64', ids, [batch, ids.length / batch]),
      attention_mask: new tf.Tensor('int64', mask, [batch, mask.length / batch]),
      position_ids: new tf.Tensor('int64', positions, [batch, positions.length / batch]),
      past_key_values: past,
    };
    if (this.#keepLast) inputs.num_logits_to_keep = new tf.Tensor('int64', BigInt64Array.of(1n), []);
    const out = (await this.#model.forward(inputs)) as Record<string, Tensor>;
    const present: Past = {};
    for (const [name, t] of Object.entries(out)) if (name.startsWith('present')) present[toPastName(name)] = t;
    const logits = out.logits;
    const rows = wantLogits ? lastRows(logits, batch) : undefined;
    logits.dispose();
    return { rows, present };
  }

  /** Runs one row of `tokens` after the cache in chunks; the last token's logits, or undefined if aborted between chunks. */
  async extend(cache: KvCache, tokens: ArrayLike<number>, signal?: AbortSignal): Promise<Float32Array | undefined> {
    const step = this.chunkSize(1);
    let last: Float32Array | undefined;
    for (let start = 0; start < tokens.length; start += step) {
      if (start > 0 && signal?.aborted) return undefined;
      const chunk = Array.from({ length: Math.min(step, tokens.length - start) }, (_, i) => tokens[start + i]);
      const pastLen = cache.length;
      const ids = BigInt64Array.from(chunk, (v) => BigInt(v));
      const mask = new BigInt64Array(pastLen + chunk.length).fill(1n);
      const positions = BigInt64Array.from(chunk, (_, i) => BigInt(pastLen + i));
      const wantLogits = start + chunk.length >= tokens.length;
      const { rows, present } = await this.forward(ids, 1, mask, positions, cache.past, wantLogits);
      cache.append(chunk, present);
      if (rows) last = rows[0];
    }
    return last;
  }

  dispose(): Promise<unknown> {
    return this.#model.dispose();
  }
}

/** Copies the last position's row of each batch entry out of [batch, seq, vocab] logits. */
function lastRows(logits: Tensor, batch: number): Float32Array[] {
  const t = logits.type === 'float32' ? logits : logits.to('float32');
  const [, seq, vocab] = t.dims;
  const data = t.data as Float32Array;
  const rows = Array.from({ length: batch }, (_, b) => data.slice((b * seq + seq - 1) * vocab, (b * seq + seq) * vocab));
  if (t !== logits) t.dispose();
  return rows;
}
