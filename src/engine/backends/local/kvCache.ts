import type { Past, Tensor, Transformers } from './types.js';

/** Keeps the first `n` positions of a cache tensor along its sequence axis (dims [..., seq, headDim]). */
export function cropSequence(tf: Transformers, t: Tensor, n: number): Tensor {
  const dims = t.dims;
  const axis = dims.length - 2;
  const seq = dims[axis];
  if (n >= seq) return t;
  const outer = dims.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = dims[axis + 1];
  const src = t.data as Float32Array;
  const out = new (src.constructor as new (n: number) => Float32Array)(outer * n * inner);
  for (let o = 0; o < outer; o++) out.set(src.subarray(o * seq * inner, (o * seq + n) * inner), o * n * inner);
  return new tf.Tensor(t.type, out, [...dims.slice(0, axis), n, inner]);
}

/**
 * The previous turns' keys/values and the token ids they were computed for (prompt plus generated
 * tokens that went through the model). Replaced tensors are disposed.
 */
export class KvCache {
  #tf: Transformers;
  #ids: number[] = [];
  #past: Past | undefined;

  constructor(tf: Transformers) {
    this.#tf = tf;
  }

  get length(): number {
    return this.#ids.length;
  }

  get ids(): readonly number[] {
    return this.#ids;
  }

  /** Undefined while empty: the model then builds an empty cache itself. */
  get past(): Past | undefined {
    return this.#past;
  }

  /** Longest common prefix with `prompt`, capped so at least one prompt token is left to run. */
  commonPrefix(prompt: ArrayLike<number>): number {
    const max = Math.min(this.#ids.length, prompt.length - 1);
    let i = 0;
    while (i < max && this.#ids[i] === prompt[i]) i++;
    return i;
  }

  /** Keeps the first `n` cached positions (0 clears). */
  crop(n: number): void {
    if (n <= 0) return this.clear();
    if (n >= this.#ids.length || !this.#past) return;
    const cropped: Past = {};
    for (const [name, t] of Object.entries(this.#past)) {
      cropped[name] = cropSequence(this.#tf, t, n);
      t.dispose();
    }
    this.#past = cropped;
    this.#ids.length = n;
  }

  /** Records that `ids` went through the model and `present` now holds every cached position. */
  append(ids: ArrayLike<number>, present: Past): void {
    if (this.#past) {
      for (const [name, t] of Object.entries(this.#past)) if (present[name] !== t) t.dispose();
    }
    this.#past = present;
    for (let i = 0; i < ids.length; i++) this.#ids.push(ids[i]);
  }

  clear(): void {
    if (this.#past) for (const t of Object.values(this.#past)) t.dispose();
    this.#past = undefined;
    this.#ids = [];
  }
}
