import type { PreTrainedModel, Tensor } from '@huggingface/transformers';
import type { GenerateResult } from '../../backend.js';

/** The transformers.js module, imported lazily (it is the heaviest module we load). */
export type Transformers = typeof import('@huggingface/transformers');
export type { PreTrainedModel, Tensor };

/** Past keys/values by graph input name (`past_key_values.{i}.key|value`), each [batch, heads, seq, headDim]. */
export type Past = Record<string, Tensor>;

/** What `generate` resolves with on the local backend: the common result plus the token ids. */
export interface LocalGenerateResult extends GenerateResult {
  /** Generated token ids (stop token excluded), for tests and tools that compare runs. */
  completionIds: Int32Array;
}
