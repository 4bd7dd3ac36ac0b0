/**
 * 0/1 knapsack for span selection under a token budget: pick spans (cost = tokens, value = score) so
 * the kept value is as large as possible without going over the budget.
 *
 * Items with value 0 are never chosen (they would spend tokens for nothing), and neither are items
 * that cannot fit on their own. Values are summed over `chosen` in ascending index order.
 */
export interface KnapsackItem {
  /** Integer tokens, >= 1. */
  cost: number;
  /** Score, >= 0. */
  value: number;
}

export interface KnapsackResult {
  /** Item indices, ascending. */
  chosen: Int32Array;
  value: number;
  cost: number;
  method: 'exact' | 'greedy';
}

export interface KnapsackOptions {
  /** Largest DP table (choosable items × (capacity + 1)) the exact solver may build; default 5e6. */
  maxCells?: number;
}

export const DEFAULT_MAX_CELLS = 5e6;

/** Greedy by value per token, plus the best single item as a 1/2-approximation guard. */
export function knapsackGreedy(items: readonly KnapsackItem[], capacity: number): KnapsackResult {
  const cap = checkCapacity(capacity);
  const candidates = choosable(items, cap);
  const ratio = new Float64Array(items.length);
  for (const i of candidates) ratio[i] = items[i].value / items[i].cost;
  candidates.sort((a, b) => ratio[b] - ratio[a] || items[a].cost - items[b].cost || a - b);
  // Taking items in ratio order until the first that does not fit, then filling the leftover
  // capacity with the remaining items that fit (best ratio first), is this one pass.
  const taken: number[] = [];
  let left = cap;
  for (const i of candidates) {
    if (items[i].cost <= left) {
      taken.push(i);
      left -= items[i].cost;
    }
  }
  const greedy = result(items, taken, 'greedy');
  let best = -1;
  for (const i of candidates) {
    if (best < 0 || items[i].value > items[best].value || (items[i].value === items[best].value && items[i].cost < items[best].cost)) best = i;
  }
  return best >= 0 && items[best].value > greedy.value ? result(items, [best], 'greedy') : greedy;
}

/**
 * Exact dynamic program over capacity, O(n·capacity) time: a Float64Array of best values per
 * capacity and a bitset of take-decisions per (item, capacity) for reconstruction. The capacity is
 * clamped to the total cost of the choosable items first (more budget than that changes nothing).
 * Among optimal sets it returns one with the lowest cost. Throws a RangeError past `maxCells`.
 */
export function knapsackExact(items: readonly KnapsackItem[], capacity: number, options: KnapsackOptions = {}): KnapsackResult {
  const cap = checkCapacity(capacity);
  const candidates = choosable(items, cap);
  const width = exactWidth(items, candidates, cap);
  const cells = candidates.length * width;
  const maxCells = options.maxCells ?? DEFAULT_MAX_CELLS;
  if (cells > maxCells) {
    throw new RangeError(`knapsackExact: ${candidates.length} items × ${width} capacities = ${cells} cells exceeds maxCells ${maxCells}`);
  }
  const best = new Float64Array(width);
  const take = new Uint8Array(Math.ceil(cells / 8));
  for (let k = 0; k < candidates.length; k++) {
    const { cost, value } = items[candidates[k]];
    const row = k * width;
    for (let c = width - 1; c >= cost; c--) {
      const v = best[c - cost] + value;
      if (v > best[c]) {
        best[c] = v;
        const bit = row + c;
        take[bit >>> 3] |= 1 << (bit & 7);
      }
    }
  }
  let c = width - 1;
  while (c > 0 && best[c - 1] === best[width - 1]) c--;
  const taken: number[] = [];
  for (let k = candidates.length - 1; k >= 0; k--) {
    const bit = k * width + c;
    if (take[bit >>> 3] & (1 << (bit & 7))) {
      taken.push(candidates[k]);
      c -= items[candidates[k]].cost;
    }
  }
  return result(items, taken, 'exact');
}

/** Exact when its table fits in `maxCells`, else greedy. */
export function knapsack(items: readonly KnapsackItem[], capacity: number, options: KnapsackOptions = {}): KnapsackResult {
  const cap = checkCapacity(capacity);
  const candidates = choosable(items, cap);
  const cells = candidates.length * exactWidth(items, candidates, cap);
  return cells <= (options.maxCells ?? DEFAULT_MAX_CELLS) ? knapsackExact(items, cap, options) : knapsackGreedy(items, cap);
}

function checkCapacity(capacity: number): number {
  if (!(capacity >= 0)) throw new RangeError(`knapsack: capacity must be >= 0, got ${capacity}`);
  return Math.floor(capacity);
}

/** Indices of the items worth considering: positive value and cost within capacity; validates all. */
function choosable(items: readonly KnapsackItem[], cap: number): Int32Array {
  const out: number[] = [];
  for (let i = 0; i < items.length; i++) {
    const { cost, value } = items[i];
    if (!Number.isInteger(cost) || cost < 1) throw new RangeError(`knapsack: item ${i} cost must be an integer >= 1, got ${cost}`);
    if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`knapsack: item ${i} value must be finite and >= 0, got ${value}`);
    if (value > 0 && cost <= cap) out.push(i);
  }
  return Int32Array.from(out);
}

/** DP table width: capacities 0..min(cap, total cost). */
function exactWidth(items: readonly KnapsackItem[], candidates: Int32Array, cap: number): number {
  let total = 0;
  for (const i of candidates) total += items[i].cost;
  return Math.min(cap, total) + 1;
}

function result(items: readonly KnapsackItem[], taken: number[], method: KnapsackResult['method']): KnapsackResult {
  const chosen = Int32Array.from(taken).sort();
  let value = 0;
  let cost = 0;
  for (const i of chosen) {
    value += items[i].value;
    cost += items[i].cost;
  }
  return { chosen, value, cost, method };
}
