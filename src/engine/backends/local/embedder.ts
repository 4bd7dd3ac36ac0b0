import { BackendError } from '../../backend.js';
import { loadError, pretrainedOptions, type LoadOptions } from './load.js';
import type { Tensor, Transformers } from './types.js';

/** Texts per feature-extraction call. */
export const EMBED_BATCH = 16;

type Extractor = ((texts: string[], options: { pooling: 'mean'; normalize: boolean }) => Promise<Tensor>) & { dispose(): Promise<unknown> };

/** Mean-pooled, L2-normalized sentence embeddings through the feature-extraction pipeline, loaded on first use. */
export class Embedder {
  readonly model: string;
  #tf: Transformers;
  #options: LoadOptions;
  #batchSize: number;
  #pipe: Promise<Extractor> | undefined;

  constructor(tf: Transformers, model: string, options: LoadOptions, batchSize = EMBED_BATCH) {
    this.#tf = tf;
    this.model = model;
    this.#options = options;
    this.#batchSize = Math.max(1, Math.floor(batchSize));
  }

  #load(): Promise<Extractor> {
    this.#pipe ??= (async () => {
      try {
        const options = pretrainedOptions(this.model, this.#options, 'q8');
        return (await this.#tf.pipeline('feature-extraction', this.model, options)) as unknown as Extractor;
      } catch (err) {
        this.#pipe = undefined; // a later call may retry (e.g. once the network is back)
        throw loadError(err, this.model, this.#options, this.#tf.env.remoteHost);
      }
    })();
    return this.#pipe;
  }

  async embed(texts: readonly string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return [];
    const pipe = await this.#load();
    const out: Float32Array[] = [];
    for (let i = 0; i < texts.length; i += this.#batchSize) {
      let t: Tensor;
      try {
        t = await pipe(texts.slice(i, i + this.#batchSize), { pooling: 'mean', normalize: true });
      } catch (err) {
        throw new BackendError('internal', `embedding model "${this.model}" failed: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { cause: err });
      }
      const [rows, dim] = t.dims;
      const data = t.data as Float32Array;
      for (let r = 0; r < rows; r++) out.push(data.slice(r * dim, (r + 1) * dim));
      t.dispose();
    }
    return out;
  }

  async dispose(): Promise<void> {
    const pipe = this.#pipe;
    this.#pipe = undefined;
    if (pipe) await (await pipe.catch(() => undefined))?.dispose();
  }
}
