import { BackendError } from '../../backend.js';
import type { LmRunner } from './lmRunner.js';
import type { Past } from './types.js';

/** Contexts per forward pass in nextTokenLogits. */
export const LOGITS_BATCH = 8;

/**
 * Next-token logits after each context. Contexts of similar length share a batch: rows are left-padded
 * with the attention mask off and positions counted from each row's first real token, so a batched
 * row equals the same context run alone. Long batches run in chunks over a shared KV cache.
 */
export async function nextTokenLogits(runner: LmRunner, contexts: readonly Int32Array[], padId: number, batchSize = LOGITS_BATCH): Promise<Float32Array[]> {
  const empty = contexts.findIndex((c) => c.length === 0);
  if (empty >= 0) throw new BackendError('internal', `nextTokenLogits: context ${empty} is empty; a next-token distribution needs at least one token`);
  const order = contexts.map((_, i) => i).sort((a, b) => contexts[a].length - contexts[b].length);
  const out = new Array<Float32Array>(contexts.length);
  for (let g = 0; g < order.length; g += batchSize) {
    const group = order.slice(g, g + batchSize);
    const rows = await runBatch(runner, group.map((i) => contexts[i]), padId);
    group.forEach((ctx, k) => (out[ctx] = rows[k]));
  }
  return out;
}

async function runBatch(runner: LmRunner, rows: Int32Array[], padId: number): Promise<Float32Array[]> {
  const batch = rows.length;
  const len = Math.max(...rows.map((r) => r.length));
  const ids = new BigInt64Array(batch * len).fill(BigInt(padId));
  const mask = new BigInt64Array(batch * len);
  const positions = new BigInt64Array(batch * len).fill(1n); // pads: position 1, as transformers does
  rows.forEach((row, b) => {
    const pad = len - row.length;
    for (let i = 0; i < row.length; i++) {
      ids[b * len + pad + i] = BigInt(row[i]);
      mask[b * len + pad + i] = 1n;
      positions[b * len + pad + i] = BigInt(i);
    }
  });
  const step = runner.chunkSize(batch);
  let past: Past | undefined;
  let last: Float32Array[] | undefined;
  try {
    for (let start = 0; start < len; start += step) {
      const end = Math.min(len, start + step);
      const cols = (src: BigInt64Array, from: number) => {
        const w = end - from;
        const dst = new BigInt64Array(batch * w);
        for (let b = 0; b < batch; b++) dst.set(src.subarray(b * len + from, b * len + end), b * w);
        return dst;
      };
      const { rows: logits, present } = await runner.forward(cols(ids, start), batch, cols(mask, 0), cols(positions, start), past, end === len);
      if (past) for (const [name, t] of Object.entries(past)) if (present[name] !== t) t.dispose();
      past = present;
      if (logits) last = logits;
    }
  } finally {
    if (past) for (const t of Object.values(past)) t.dispose();
  }
  if (!last) throw new BackendError('internal', 'nextTokenLogits: the model returned no logits');
  return last;
}
