// Span policies, per turn: every policy on the same ~200k-token synthetic chat at 8k and 32k budgets,
// recall off and no model (importance and hybrid on their fallbacks, rolling_summary extractive), ms
// per evicting turn (policy + context build, tokenization excluded; a turn is a user + assistant
// pair), beside sliding on the same chat in the same run (the floor every policy pays), and the share of
// policy calls that evicted (span policies past 256 candidates also let go of fact-free spans, up to
// budget/16, and hybrid of its lowest-valued spans up to budget/64, so many calls find the context fits). Runs are
// interleaved by round and the median of the rounds' means is reported. Then the span-selection hot
// paths: knapsack (greedy vs exact DP) at 1,000 spans, and attention-mask export at 32k tokens for a
// realistic kept set (a recent window of 4k plus 200 scattered ~30-token spans). Medians of several
// runs. Run with `npm run bench policy` (FMS_BENCH_POLICIES=hybrid,semantic runs only those rows,
// FMS_BENCH_ROUNDS=n sets the rounds; default 3).
import { createEngine } from '../src/engine/engine.js';
import { loadTokenizer } from '../src/engine/node/loadTokenizer.js';
import { POLICY_NAMES } from '../src/engine/policies/index.js';
import { DEFAULT_MAX_CELLS, type KnapsackItem, knapsackExact, knapsackGreedy } from '../src/engine/policies/knapsack.js';
import { type KeptSpans, blockMask, blockMaskStats, cooMask, denseMask, longformerMask, maskNnz, maskStats } from '../src/engine/formats/masks.js';
import { mulberry32 } from '../src/engine/core/rng.js';
import { syntheticChat } from '../src/engine/testing/syntheticChat.js';
import { mb, record, summarize, table } from './util.js';

const tokenizer = await loadTokenizer();
const chat = syntheticChat({ seed: 42, turns: 1900, sentencesPerMessage: 6 });
const encoded = chat.map((m) => ({ ...m, ids: tokenizer.encode(m.content) }));
const chatTokens = encoded.reduce((n, m) => n + m.ids.length, 0);

/**
 * Mean and p95 wall ms per evicting turn of one policy at one budget (no latency budget: the
 * policy's whole work), and the CPU ms per evicting turn: the process's CPU time (process.cpuUsage)
 * over all the evicting turns, read once at the first and once after the last (reading it around
 * every message cost more than sliding's whole turn), divided by their count. It covers whole turns
 * (appending the messages too, which the wall figures leave out) and is less swayed than wall time
 * by other processes on a shared machine.
 */
function perTurn(policy: string, maxTokens: number): { mean: number; p95: number; cpu: number; turns: number; evicting: number } {
  const engine = createEngine({ tokenizer, maxTokens, window: 256, maxProfileSpans: 0, policy, recall: false });
  const steady: number[] = [];
  let turnMs = 0;
  let full = false;
  let calls = 0;
  let evicting = 0;
  let cpu0: NodeJS.CpuUsage | undefined;
  for (const m of encoded) {
    if (m.role === 'user' && turnMs > 0) {
      if (full) steady.push(turnMs);
      turnMs = 0;
    }
    // the first evicting turn starts at the user message after the budget first filled
    if (full && !cpu0 && m.role === 'user') cpu0 = process.cpuUsage();
    engine.appendTokens(m, m.ids);
    const before = engine.stats().evictions;
    const t0 = performance.now();
    engine.applyPolicy();
    if (m.role === 'user') engine.buildContext();
    turnMs += performance.now() - t0;
    if (full) {
      calls++;
      if (engine.stats().evictions > before) evicting++;
    }
    full ||= engine.stats().tokensEvicted > 0;
  }
  const c = process.cpuUsage(cpu0);
  const st = summarize(steady);
  // the CPU window holds the evicting turns but the first (begun before the budget filled) and the
  // last (not closed by a next user message, so not among the wall samples): as many as the samples
  const cpuTurns = Math.max(1, steady.length);
  return { mean: st.mean, p95: st.p95, cpu: (c.user + c.system) / 1000 / cpuTurns, turns: steady.length, evicting: calls > 0 ? evicting / calls : 0 };
}

const only = (process.env.FMS_BENCH_POLICIES ?? '').split(',').filter((x) => x.length > 0);
const policies = POLICY_NAMES.filter((p) => p === 'sliding' || only.length === 0 || only.includes(p));
const budgets = [8192, 32768];
const rounds = Math.max(1, Number(process.env.FMS_BENCH_ROUNDS ?? 3));
const means = new Map<string, number[]>();
const p95s = new Map<string, number[]>();
const cpus = new Map<string, number[]>();
/** Share of policy calls (one per message once the context is full) that evicted: the low-water mark makes most calls no-ops. */
const evictingShare = new Map<string, number>();
for (let r = 0; r < rounds; r++) {
  for (const maxTokens of budgets) {
    for (const policy of policies) {
      globalThis.gc?.();
      const key = `${policy}@${maxTokens}`;
      const t = perTurn(policy, maxTokens);
      means.set(key, [...(means.get(key) ?? []), t.mean]);
      p95s.set(key, [...(p95s.get(key) ?? []), t.p95]);
      cpus.set(key, [...(cpus.get(key) ?? []), t.cpu]);
      evictingShare.set(key, t.evicting);
    }
  }
}
const med = (key: string, m: Map<string, number[]>): number => summarize(m.get(key) ?? []).p50;
const TARGET: Record<number, number> = { 8192: 0.3, 32768: 1 };
const pRows: (string | number)[][] = [];
for (const policy of policies) {
  const row: (string | number)[] = [policy];
  for (const b of budgets) row.push(`${med(`${policy}@${b}`, means).toFixed(3)} / ${med(`${policy}@${b}`, p95s).toFixed(3)} (${med(`${policy}@${b}`, cpus).toFixed(3)}) · ${(100 * (evictingShare.get(`${policy}@${b}`) ?? 0)).toFixed(0)}% of calls evict`);
  pRows.push(row);
  if (policy === 'sliding') continue;
  const [m8, m32] = budgets.map((b) => med(`${policy}@${b}`, means));
  const [s8, s32] = budgets.map((b) => med(`sliding@${b}`, means));
  const [c8, c32] = budgets.map((b) => med(`${policy}@${b}`, cpus));
  const [sc8, sc32] = budgets.map((b) => med(`sliding@${b}`, cpus));
  record({
    key: `policy-ms-${policy}`,
    figure: `${policy}, recall off, 8k / 32k ms/turn mean`,
    value: `${m8.toFixed(3)} / ${m32.toFixed(3)} ms (CPU ${c8.toFixed(3)} / ${c32.toFixed(3)})`,
    peer: `sliding ${s8.toFixed(3)} / ${s32.toFixed(3)} ms (CPU ${sc8.toFixed(3)} / ${sc32.toFixed(3)})`,
    ratio: `${(m8 / s8).toFixed(1)}x / ${(m32 / s32).toFixed(1)}x`,
    target: '<= 0.3 at 8k, <= 1 at 32k',
    holds: m8 <= TARGET[8192] && m32 <= TARGET[32768],
  });
}
console.log(
  table(
    `Every policy per evicting turn, recall off, no model (${chat.length.toLocaleString('en-US')} messages, ${chatTokens.toLocaleString('en-US')} tokens, window 256; wall mean / p95 ms (CPU ms per turn over the evicting turns, appends included), median of ${rounds} interleaved rounds)`,
    ['policy', ...budgets.map((b) => `${b / 1024}k`)],
    pRows,
  ),
);

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
