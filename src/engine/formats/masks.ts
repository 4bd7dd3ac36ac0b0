/**
 * Block-sparse attention-mask export from a kept-span set over n tokens: token i may attend token j
 * iff both are kept, and j <= i when causal.
 *
 * Dense masks are row-major bitsets: row i is `ceil(n / 32)` Uint32 words, column j is bit `j & 31`
 * (least significant first) of word `j >>> 5`. Bits past column n - 1 are always 0.
 */
export interface KeptSpans {
  /** Sorted, non-overlapping [start, end) ranges in [0, n); empty ranges are allowed. */
  starts: Int32Array;
  ends: Int32Array;
}

export interface MaskOptions {
  /** j <= i only (default true). */
  causal?: boolean;
}

export interface DenseMask {
  n: number;
  words: Uint32Array;
}

export interface CooMask {
  rows: Int32Array;
  cols: Int32Array;
  nnz: number;
}

export interface BlockMask {
  /** Blocks per side: ceil(n / blockSize). */
  blocks: number;
  blockSize: number;
  /** blocks × blocks, row-major; 1 when any token pair in the block pair is allowed. */
  mask: Uint8Array;
}

export interface LongformerOptions extends MaskOptions {
  /** Local attention reaches |i − j| <= floor(window / 2). */
  window: number;
  /** Tokens that attend to and are attended by every token (causality still applies). */
  globalTokens: Int32Array;
}

export interface MaskStats {
  allowed: number;
  total: number;
  /** 1 − allowed / total; 1 for an empty (n = 0) mask. */
  sparsity: number;
}

export const wordsPerRow = (n: number): number => (n + 31) >>> 5;

/** Row-major bitset: every kept row is a (causally truncated) copy of one template row of kept columns. */
export function denseMask(n: number, kept: KeptSpans, { causal = true }: MaskOptions = {}): DenseMask {
  checkSpans(n, kept);
  const w = wordsPerRow(n);
  const words = new Uint32Array(n * w);
  const template = new Uint32Array(w);
  for (let s = 0; s < kept.starts.length; s++) fillBits(template, 0, kept.starts[s], kept.ends[s]);
  for (let s = 0; s < kept.starts.length; s++) {
    for (let i = kept.starts[s]; i < kept.ends[s]; i++) {
      if (!causal) {
        words.set(template, i * w);
        continue;
      }
      const last = i >>> 5;
      words.set(template.subarray(0, last), i * w);
      words[i * w + last] = template[last] & lowBits((i & 31) + 1);
    }
  }
  return { n, words };
}

/** Coordinate list of allowed (row, col) pairs, sorted by row then col. */
export function cooMask(n: number, kept: KeptSpans, { causal = true }: MaskOptions = {}): CooMask {
  const cols = keptTokens(n, kept);
  const k = cols.length;
  const nnz = causal ? (k * (k + 1)) / 2 : k * k;
  const outRows = new Int32Array(nnz);
  const outCols = new Int32Array(nnz);
  let at = 0;
  for (let r = 0; r < k; r++) {
    const len = causal ? r + 1 : k;
    outRows.fill(cols[r], at, at + len);
    outCols.set(cols.subarray(0, len), at);
    at += len;
  }
  return { rows: outRows, cols: outCols, nnz };
}

/** Allowed pairs without building anything: k² kept pairs, or k(k + 1)/2 when causal. */
export function maskNnz(n: number, kept: KeptSpans, { causal = true }: MaskOptions = {}): number {
  checkSpans(n, kept);
  const k = countKept(kept);
  return causal ? (k * (k + 1)) / 2 : k * k;
}

/**
 * Block mask from span geometry. Block pair (bi, bj) is allowed iff both blocks hold a kept token and,
 * when causal, bj <= bi: a kept token attends itself, and any kept token of an earlier block precedes
 * every token of a later one, so the order of blocks decides causality.
 */
export function blockMask(n: number, kept: KeptSpans, blockSize: number, { causal = true }: MaskOptions = {}): BlockMask {
  checkSpans(n, kept);
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`blockMask: blockSize must be an integer >= 1, got ${blockSize}`);
  const blocks = Math.ceil(n / blockSize);
  const hasKept = new Uint8Array(blocks);
  for (let s = 0; s < kept.starts.length; s++) {
    if (kept.starts[s] === kept.ends[s]) continue;
    hasKept.fill(1, Math.floor(kept.starts[s] / blockSize), Math.floor((kept.ends[s] - 1) / blockSize) + 1);
  }
  const mask = new Uint8Array(blocks * blocks);
  for (let bi = 0; bi < blocks; bi++) {
    if (hasKept[bi]) mask.set(hasKept.subarray(0, causal ? bi + 1 : blocks), bi * blocks);
  }
  return { blocks, blockSize, mask };
}

/** Sliding-window attention plus global tokens, as a dense bitset. */
export function longformerMask(n: number, { window, globalTokens, causal = true }: LongformerOptions): DenseMask {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`longformerMask: n must be an integer >= 0, got ${n}`);
  if (!Number.isInteger(window) || window < 0) throw new RangeError(`longformerMask: window must be an integer >= 0, got ${window}`);
  const globals = Int32Array.from(new Set(globalTokens)).sort();
  for (const g of globals) if (g < 0 || g >= n) throw new RangeError(`longformerMask: global token ${g} outside [0, ${n})`);
  const half = Math.floor(window / 2);
  const w = wordsPerRow(n);
  const words = new Uint32Array(n * w);
  for (let i = 0; i < n; i++) {
    fillBits(words, i * w, Math.max(0, i - half), causal ? i + 1 : Math.min(n, i + half + 1));
    for (const g of globals) {
      if (causal && g > i) break;
      words[i * w + (g >>> 5)] |= 1 << (g & 31);
    }
  }
  for (const g of globals) fillBits(words, g * w, 0, causal ? g + 1 : n);
  return { n, words };
}

/** Allowed pairs of a dense mask (popcount over its words). */
export function maskStats(mask: DenseMask): MaskStats {
  let allowed = 0;
  for (let k = 0; k < mask.words.length; k++) allowed += popcount(mask.words[k]);
  return stats(allowed, mask.n * mask.n);
}

/** Allowed block pairs of a block mask. */
export function blockMaskStats(mask: BlockMask): MaskStats {
  let allowed = 0;
  for (let k = 0; k < mask.mask.length; k++) allowed += mask.mask[k];
  return stats(allowed, mask.blocks * mask.blocks);
}

/** Allowed pairs of a COO mask over n tokens. */
export function cooMaskStats(mask: CooMask, n: number): MaskStats {
  return stats(mask.nnz, n * n);
}

/** Whether token i may attend token j in a dense mask. */
export function denseAllows(mask: DenseMask, i: number, j: number): boolean {
  return ((mask.words[i * wordsPerRow(mask.n) + (j >>> 5)] >>> (j & 31)) & 1) === 1;
}

function stats(allowed: number, total: number): MaskStats {
  return { allowed, total, sparsity: total === 0 ? 1 : 1 - allowed / total };
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
}

/** Word with the low `count` bits set (count in 0..32). */
const lowBits = (count: number): number => (count >= 32 ? 0xffffffff : (1 << count) - 1) >>> 0;

/** Sets bits [from, to) of the row starting at word `offset`: whole words for the interior. */
function fillBits(words: Uint32Array, offset: number, from: number, to: number): void {
  if (from >= to) return;
  const a = from >>> 5;
  const b = (to - 1) >>> 5;
  const head = ~lowBits(from & 31);
  const tail = lowBits(((to - 1) & 31) + 1);
  if (a === b) {
    words[offset + a] |= head & tail;
    return;
  }
  words[offset + a] |= head;
  words.fill(0xffffffff, offset + a + 1, offset + b);
  words[offset + b] |= tail;
}

/** Ascending kept token indices. */
function keptTokens(n: number, kept: KeptSpans): Int32Array {
  checkSpans(n, kept);
  const out = new Int32Array(countKept(kept));
  let at = 0;
  for (let s = 0; s < kept.starts.length; s++) for (let t = kept.starts[s]; t < kept.ends[s]; t++) out[at++] = t;
  return out;
}

function countKept(kept: KeptSpans): number {
  let k = 0;
  for (let s = 0; s < kept.starts.length; s++) k += kept.ends[s] - kept.starts[s];
  return k;
}

function checkSpans(n: number, kept: KeptSpans): void {
  if (!Number.isInteger(n) || n < 0) throw new RangeError(`masks: n must be an integer >= 0, got ${n}`);
  if (kept.starts.length !== kept.ends.length) throw new RangeError(`masks: ${kept.starts.length} starts but ${kept.ends.length} ends`);
  let prevEnd = 0;
  for (let s = 0; s < kept.starts.length; s++) {
    const start = kept.starts[s];
    const end = kept.ends[s];
    if (start < prevEnd || end < start || end > n) {
      throw new RangeError(`masks: span ${s} [${start}, ${end}) is not sorted, non-overlapping and inside [0, ${n})`);
    }
    prevEnd = end;
  }
}
