// Span-selection policy hot paths: knapsack (greedy vs exact DP) at 1,000 spans, and attention-mask
// export at 32k tokens for a realistic kept set (a recent window of 4k plus 200 scattered ~30-token
// spans). Medians of several runs. Run with `npm run bench policy`.
import { DEFAULT_MAX_CELLS, type KnapsackItem, knapsackExact, knapsackGreedy } from '../src/engine/policies/knapsack.js';
import { type KeptSpans, blockMask, blockMaskStats, cooMask, denseMask, longformerMask, maskNnz, maskStats } from '../src/engine/formats/masks.js';
import { mulberry32 } from '../src/engine/core/rng.js';
import { mb, summarize, table } from './util.js';

/** Median ms of `runs` calls (after one warm-up), with the last result. */
function median<T>(runs: number, fn: () => T): [T, number] {
  let out = fn();
  const ms: number[] = [];
  for (let r = 0; r < runs; r++) {
    globalThis.gc?.();
    const t0 = performance.now();
    out = fn();
    ms.push(performance.now() - t0);
  }
  return [out, summarize(ms).p50];
}

// Knapsack: spans of 5..60 tokens, scores with a per-token density that varies 10x.
const next = mulberry32(7);
const items: KnapsackItem[] = Array.from({ length: 1000 }, () => {
  const cost = 5 + Math.floor(next() * 56);
  return { cost, value: Math.round(cost * (0.1 + next()) * 100) / 100 };
});
const totalCost = items.reduce((s, x) => s + x.cost, 0);
const kRows: (string | number)[][] = [];
for (const capacity of [1024, 4096, 16384]) {
  const [greedy, greedyMs] = median(9, () => knapsackGreedy(items, capacity));
  const cells = items.length * (Math.min(capacity, totalCost) + 1);
  if (cells > DEFAULT_MAX_CELLS) {
    kRows.push([capacity, cells, greedyMs, '—', greedy.value, '—', '—', greedy.cost, '—']);
    continue;
  }
  const [exact, exactMs] = median(5, () => knapsackExact(items, capacity));
  const gap = (100 * (exact.value - greedy.value)) / exact.value;
  kRows.push([capacity, cells, greedyMs, exactMs, greedy.value, exact.value, `${gap.toFixed(3)}%`, greedy.cost, exact.cost]);
}
console.log(
  table(`Knapsack, ${items.length.toLocaleString('en-US')} spans of 5–60 tokens (${totalCost.toLocaleString('en-US')} tokens; exact only within maxCells ${DEFAULT_MAX_CELLS.toLocaleString('en-US')})`, ['capacity', 'DP cells', 'greedy ms', 'exact ms', 'greedy value', 'exact value', 'value gap', 'greedy tokens', 'exact tokens'], kRows),
);

// Masks: 32k tokens, recent window [n - 4096, n) plus one ~30-token span in each of 200 equal slots before it.
const n = 32768;
const recent = 4096;
const slot = Math.floor((n - recent) / 200);
const starts: number[] = [];
const ends: number[] = [];
for (let s = 0; s < 200; s++) {
  const len = 25 + Math.floor(next() * 11);
  const start = s * slot + Math.floor(next() * (slot - len));
  starts.push(start);
  ends.push(start + len);
}
starts.push(n - recent);
ends.push(n);
const kept: KeptSpans = { starts: Int32Array.from(starts), ends: Int32Array.from(ends) };
const keptTokens = ends.reduce((a, e, k) => a + e - starts[k], 0);

const mRows: (string | number)[][] = [];
for (const causal of [true, false]) {
  const [dense, ms] = median(5, () => denseMask(n, kept, { causal }));
  const st = maskStats(dense);
  mRows.push([`dense bitset, ${causal ? 'causal' : 'bidirectional'}`, ms, mb(dense.words.byteLength), st.allowed, st.sparsity]);
}
for (const causal of [true, false]) {
  const [block, ms] = median(9, () => blockMask(n, kept, 64, { causal }));
  const st = blockMaskStats(block);
  mRows.push([`block mask 64 (${block.blocks}×${block.blocks} blocks), ${causal ? 'causal' : 'bidirectional'}`, ms, mb(block.mask.byteLength), `${st.allowed} blocks`, st.sparsity]);
}
const [coo, cooMs] = median(3, () => cooMask(n, kept));
mRows.push(['COO, causal', cooMs, mb(coo.rows.byteLength + coo.cols.byteLength), coo.nnz, 1 - coo.nnz / (n * n)]);
const [nnz, nnzMs] = median(9, () => maskNnz(n, kept));
mRows.push(['maskNnz (count only), causal', nnzMs, 0, nnz, 1 - nnz / (n * n)]);
const globalTokens = Int32Array.from({ length: 16 }, (_, k) => k * 2048);
const [lf, lfMs] = median(5, () => longformerMask(n, { window: 512, globalTokens }));
const lfStats = maskStats(lf);
mRows.push(['longformer, window 512 + 16 globals, causal', lfMs, mb(lf.words.byteLength), lfStats.allowed, lfStats.sparsity]);
console.log(
  table(`Attention masks, n = ${n.toLocaleString('en-US')} tokens, ${keptTokens.toLocaleString('en-US')} kept in ${starts.length} spans`, ['mask', 'ms (median)', 'MB', 'allowed pairs', 'sparsity'], mRows),
);
