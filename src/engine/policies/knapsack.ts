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

/**
 * Scratch buffers reused across calls (a span policy calls the knapsack on nearly every message): a
 * typed array past 64 bytes gets its own backing store, which costs more to make and collect than
 * the knapsack's passes over a few hundred items. Grown to the largest call up to SCRATCH_MAX
 * entries; bigger calls get their own arrays. Callers clear what they use (the knapsack is not
 * reentrant: nothing here calls back into it).
 */
const SCRATCH_MAX = 1 << 17;

/** One reused typed array, grown (doubling) to the largest size asked of it; past SCRATCH_MAX a fresh one, not kept. */
class Scratch<A extends Float64Array | Int32Array | Uint8Array> {
  #array: A;

  constructor(
    private readonly make: (size: number) => A,
    initial: number,
  ) {
    this.#array = make(initial);
  }

  /** At least `size` elements; their contents are whatever the last user left. */
  get(size: number): A {
    if (size > SCRATCH_MAX) return this.make(size);
    if (size > this.#array.length) this.#array = this.make(Math.max(size, 2 * this.#array.length));
    return this.#array;
  }
}
const f64 = (size: number) => new Float64Array(size);
const u8 = (size: number) => new Uint8Array(size);
const i32 = (size: number) => new Int32Array(size);
const ratios = new Scratch(f64, 1024);
const losses = new Scratch(f64, 1024);
const prefixFlags = new Scratch(u8, 1024);
const takeCells = new Scratch(u8, 1 << 15);
/** knapsackBounded's item lists: the LP margin's heap, the items within the LP gap, the undecided ones. */
const heapCells = new Scratch(i32, 1024);
const nearCells = new Scratch(i32, 1024);
const freeCells = new Scratch(i32, 1024);
/** knapsackBounded's greedy fill: the near items not kept that still fit the leftover. */
const fillCells = new Scratch(i32, 1024);

/** Zeroed [0, size): a DP's take table, one byte per (item, capacity) cell. */
function takeTable(size: number): Uint8Array {
  return takeCells.get(size).fill(0, 0, size);
}

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
  const taken = dpByCapacity(candidates.length, (k) => items[candidates[k]].cost, (k) => items[candidates[k]].value, width).map((k) => candidates[k]);
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

export interface BoundedResult {
  /** 1 for each item kept. */
  keep: Uint8Array;
  value: number;
  cost: number;
  /**
   * 'exact' when the DP over every item the bound left undecided fit in maxCells; 'core' when it ran
   * over the undecided items nearest the critical ratio only (the rest at their LP value); 'greedy'
   * when the greedy fill was as good, or the bound proved it within the caller's `slack`.
   */
  method: 'exact' | 'core' | 'greedy';
  /** Items the DP decided (the rest were fixed by their LP bound). */
  free: number;
}

/** Item a goes before item b in greedy order: higher value per token, then lower cost, then lower index. */
function before(ratio: Float64Array, cost: Int32Array, a: number, b: number): boolean {
  return ratio[a] > ratio[b] || (ratio[a] === ratio[b] && (cost[a] < cost[b] || (cost[a] === cost[b] && a < b)));
}

/**
 * A binary heap of item indices in a reused scratch array, ordered by greedy order (`before`): its
 * top is the item that goes first, or with `last` the one that goes last. Used to select the few
 * items at the LP margin out of many in O(n log m), with no comparator closure per call.
 */
class ItemHeap {
  items: Int32Array = new Int32Array(0);
  size = 0;
  ratio: Float64Array = new Float64Array(0);
  cost: Int32Array = new Int32Array(0);
  last = false;

  reset(capacity: number, ratio: Float64Array, cost: Int32Array, last: boolean): void {
    this.items = heapCells.get(Math.max(1, capacity));
    this.size = 0;
    this.ratio = ratio;
    this.cost = cost;
    this.last = last;
  }
  /** a comes out of the heap before b. */
  first(a: number, b: number): boolean {
    return this.last ? before(this.ratio, this.cost, b, a) : before(this.ratio, this.cost, a, b);
  }
  get top(): number {
    return this.items[0];
  }
  push(i: number): void {
    const h = this.items;
    let k = this.size++;
    while (k > 0) {
      const parent = (k - 1) >> 1;
      if (!this.first(i, h[parent])) break;
      h[k] = h[parent];
      k = parent;
    }
    h[k] = i;
  }
  pop(): number {
    const h = this.items;
    const out = h[0];
    const last = h[--this.size];
    let k = 0;
    for (;;) {
      const l = 2 * k + 1;
      if (l >= this.size) break;
      const c = l + 1 < this.size && this.first(h[l + 1], h[l]) ? l + 1 : l;
      if (!this.first(h[c], last)) break;
      h[k] = h[c];
      k = c;
    }
    if (this.size > 0) h[k] = last;
    return out;
  }
}
const marginHeap = new ItemHeap();

/**
 * 0/1 knapsack over typed arrays, exact where it pays: the LP relaxation (items by value per token,
 * the one that does not fit taken fractionally) bounds every solution; an item whose bound — the LP
 * value with it forced in or out, UB − cost·|ratio − critical ratio| — falls below the greedy
 * solution's value is decided by the bound (reduced-cost fixing, exact), and a DP settles only the
 * items left near the critical ratio. When that DP would pass `maxCells` the greedy solution is
 * returned (method 'greedy'). The critical item is found by selection from the smaller side (a heap
 * of the few items at the margin), so a call is O(n + m log m) plus the DP, not a sort of all items.
 * Items with value 0 or a cost over the capacity are never kept; among optimal sets the DP keeps the
 * cheapest. Its working lists live in reused typed arrays (a span policy calls it on nearly every
 * message), and its passes over the items read them inline (no closures).
 */
/** Scans of the greedy fill after the LP prefix. */
const FILL_ROUNDS = 8;

export interface BoundedOptions extends KnapsackOptions {
  /** Keep flags go into the first n entries of this array (a view of it comes back), when it is long enough. */
  keepInto?: Uint8Array;
  /**
   * Settle for the greedy solution when the LP bound proves it within this share of the optimum
   * (UB − greedy <= slack × UB): no DP then (method 'greedy'). Default 0: exact wherever the DP fits.
   */
  slack?: number;
}

export function knapsackBounded(cost: Int32Array, value: Float64Array, capacity: number, options: BoundedOptions = {}): BoundedResult {
  const n = cost.length;
  const cap = checkCapacity(capacity);
  // the keep flags: a new array, or the first n entries of the caller's (a view of it, zeroed)
  const keep = options.keepInto && options.keepInto.length >= n ? options.keepInto.subarray(0, n).fill(0) : new Uint8Array(n);
  // ratio[i] < 0: not choosable; every entry [0, n) is written below
  const ratio = ratios.get(n);
  let total = 0;
  let choosableCount = 0;
  for (let i = 0; i < n; i++) {
    const c = cost[i];
    const v = value[i];
    if (c < 1) throw new RangeError(`knapsack: item ${i} cost must be an integer >= 1, got ${c}`);
    if (!(v >= 0) || !Number.isFinite(v)) throw new RangeError(`knapsack: item ${i} value must be finite and >= 0, got ${v}`);
    if (v > 0 && c <= cap) {
      ratio[i] = v / c;
      total += c;
      choosableCount++;
    } else ratio[i] = -1;
  }
  if (total <= cap) {
    for (let i = 0; i < n; i++) if (ratio[i] >= 0) keep[i] = 1;
    return boundedResult(keep, cost, value, 'exact', 0);
  }
  // the LP prefix: every item before the critical one in greedy order
  const excess = total - cap;
  const inPrefix = prefixFlags.get(n);
  const heap = marginHeap;
  let critical: number;
  if (excess <= cap) {
    // the last items in greedy order whose cost reaches the excess; the first of them is critical
    heap.reset(choosableCount, ratio, cost, false);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (ratio[i] < 0 || (sum >= excess && !before(ratio, cost, heap.items[0], i))) continue;
      heap.push(i);
      sum += cost[i];
      while (sum - cost[heap.items[0]] >= excess) sum -= cost[heap.pop()];
    }
    for (let i = 0; i < n; i++) inPrefix[i] = ratio[i] >= 0 ? 1 : 0;
    for (let k = 0; k < heap.size; k++) inPrefix[heap.items[k]] = 0;
    critical = heap.items[0];
  } else {
    // the first items in greedy order whose cost passes the capacity; the last of them is critical
    heap.reset(choosableCount, ratio, cost, true);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      if (ratio[i] < 0 || (sum > cap && !before(ratio, cost, i, heap.items[0]))) continue;
      heap.push(i);
      sum += cost[i];
      while (sum - cost[heap.items[0]] > cap) sum -= cost[heap.pop()];
    }
    inPrefix.fill(0, 0, n);
    for (let k = 0; k < heap.size; k++) inPrefix[heap.items[k]] = 1;
    critical = heap.items[0];
    inPrefix[critical] = 0;
  }
  let prefixValue = 0;
  let prefixCost = 0;
  for (let i = 0; i < n; i++) {
    if (!inPrefix[i]) continue;
    prefixValue += value[i];
    prefixCost += cost[i];
  }
  const r = ratio[critical];
  const upper = prefixValue + ((cap - prefixCost) / cost[critical]) * value[critical];
  const eps = 1e-9 * Math.max(1, upper);
  // greedy fill after the prefix — a feasible solution, and the lower bound the fixing compares with:
  // the first item in greedy order that fits the leftover, again (the leftover is under one item's
  // cost, so a few scans; no sort of the items)
  let left = cap - prefixCost;
  let lower = prefixValue;
  keep.set(inPrefix.subarray(0, n));
  // only items within the LP gap can be in the fill or undecided: one pass collects them, with how
  // far forcing each against the LP lowers the bound (its loss, in `lossOf`)
  const near = nearCells.get(n);
  const lossOf = losses.get(n);
  let nearCount = 0;
  const gap0 = upper - prefixValue + eps;
  for (let i = 0; i < n; i++) {
    const ri = ratio[i];
    if (ri < 0) continue;
    const loss = cost[i] * (inPrefix[i] ? ri - r : r - ri);
    if (loss <= gap0) {
      near[nearCount++] = i;
      lossOf[i] = loss;
    }
  }
  // each round picks the first item in greedy order that is not kept and fits the leftover; the
  // leftover only shrinks, so a round scans just the items the last one found fitting (compacted
  // into `fits`), not every near item again
  const fits = fillCells.get(nearCount);
  let fitCount = 0;
  for (let k = 0; k < nearCount; k++) {
    const i = near[k];
    if (!keep[i] && cost[i] <= left) fits[fitCount++] = i;
  }
  for (let round = 0; round < FILL_ROUNDS && left > 0 && fitCount > 0; round++) {
    let pick = -1;
    let m = 0;
    for (let k = 0; k < fitCount; k++) {
      const i = fits[k];
      if (cost[i] > left) continue;
      fits[m++] = i;
      if (pick < 0 || before(ratio, cost, i, pick)) pick = i;
    }
    fitCount = m;
    if (pick < 0) break;
    keep[pick] = 1;
    left -= cost[pick];
    lower += value[pick];
    // the pick leaves the list (kept now)
    let j = 0;
    for (let k = 0; k < fitCount; k++) if (fits[k] !== pick) fits[j++] = fits[k];
    fitCount = j;
  }
  // the items the bound leaves undecided: within the gap of the critical ratio
  const gap = upper - lower;
  // the greedy solution is provably within `slack` of the optimum: no DP
  if (options.slack !== undefined && gap <= options.slack * upper) return boundedResult(keep, cost, value, 'greedy', 0);
  const freeAll = freeCells.get(nearCount);
  let freeCount = 0;
  for (let k = 0; k < nearCount; k++) {
    const i = near[k];
    if (lossOf[i] <= gap + eps) freeAll[freeCount++] = i;
  }
  let free = freeAll.subarray(0, freeCount);
  let fixedCost = prefixCost;
  // the DP's items: every free item when its table fits in maxCells ('exact'), else the core — the
  // free items nearest the critical ratio (smallest bound loss), as many as fit ('core')
  const maxCells = options.maxCells ?? DEFAULT_MAX_CELLS;
  let method: BoundedResult['method'] = 'exact';
  let freeCost = 0;
  let coreFixed = fixedCost;
  for (let k = 0; k < freeCount; k++) {
    const i = free[k];
    if (inPrefix[i]) coreFixed -= cost[i];
    freeCost += cost[i];
  }
  if (dpCells(freeCount, cap - coreFixed, freeCost) > maxCells) {
    method = 'core';
    // by bound loss, then index (the losses were computed once, above), as many as fit: taken in
    // that order off a heap (a few hundred of up to thousands), not a sort of them all
    for (let k = (freeCount >> 1) - 1; k >= 0; k--) siftDown(free, freeCount, k, lossOf);
    const core = near; // the near list is done with: the core goes there
    let heapSize = freeCount;
    let size = 0;
    coreFixed = fixedCost;
    freeCost = 0;
    for (; size < freeCount; size++) {
      const i = free[0];
      const f = coreFixed - (inPrefix[i] ? cost[i] : 0);
      const c = freeCost + cost[i];
      if (dpCells(size + 1, cap - f, c) > maxCells) break;
      coreFixed = f;
      freeCost = c;
      core[size] = i;
      free[0] = free[--heapSize];
      siftDown(free, heapSize, 0, lossOf);
    }
    free = core.subarray(0, size).sort();
  }
  fixedCost = coreFixed;
  if (free.length === 0) return boundedResult(keep, cost, value, method === 'exact' ? 'exact' : 'greedy', 0);
  const greedyKeep = method === 'core' ? keep.slice() : undefined;
  keep.set(inPrefix.subarray(0, n));
  for (let k = 0; k < free.length; k++) keep[free[k]] = 0;
  const room = cap - fixedCost;
  if (room >= freeCost) for (let k = 0; k < free.length; k++) keep[free[k]] = 1;
  else if (room <= freeCost - room) keepSide(free, cost, value, room, keep);
  else evictSide(free, cost, value, freeCost - room, keep);
  const result = boundedResult(keep, cost, value, method, free.length);
  if (greedyKeep && result.value < lower) {
    keep.set(greedyKeep);
    return boundedResult(keep, cost, value, 'greedy', free.length);
  }
  return result;
}

/** Restores the min-heap order by (loss, index) of h[0, size) below k. */
function siftDown(h: Int32Array, size: number, k: number, loss: Float64Array): void {
  const x = h[k];
  const lx = loss[x];
  for (;;) {
    let c = 2 * k + 1;
    if (c >= size) break;
    const r = c + 1;
    if (r < size && (loss[h[r]] < loss[h[c]] || (loss[h[r]] === loss[h[c]] && h[r] < h[c]))) c = r;
    const y = h[c];
    if (!(loss[y] < lx || (loss[y] === lx && y < x))) break;
    h[k] = y;
    k = c;
  }
  h[k] = x;
}

/** The result of a choice: the kept items' value and cost summed in index order. */
function boundedResult(keep: Uint8Array, cost: Int32Array, value: Float64Array, method: BoundedResult['method'], free: number): BoundedResult {
  let v = 0;
  let c = 0;
  for (let i = 0; i < keep.length; i++) {
    if (!keep[i]) continue;
    v += value[i];
    c += cost[i];
  }
  return { keep, value: v, cost: c, method, free };
}

/** Cells of the DP over items costing `total` with `room` for them: the smaller of its two sides. */
const dpCells = (items: number, room: number, total: number): number => (room >= total ? 0 : items * (Math.min(room, total - room) + 1));

/** The DP by capacity (as knapsackExact): the most value within `room`; among optimal sets the cheapest. */
function keepSide(free: Int32Array, cost: Int32Array, value: Float64Array, room: number, keep: Uint8Array): void {
  for (const k of dpByCapacity(free.length, (j) => cost[free[j]], (j) => value[free[j]], room + 1)) keep[free[k]] = 1;
}

/**
 * The 0/1 knapsack by capacity over items 0..n-1 (capacities 0..width-1): a Float64Array of best values
 * per capacity and a bitset of take-decisions per (item, capacity). Returns the taken items, last first;
 * among optimal sets the one with the lowest cost.
 */
function dpByCapacity(n: number, costOf: (k: number) => number, valueOf: (k: number) => number, width: number): number[] {
  const best = losses.get(width);
  best.fill(0, 0, width);
  const take = takeTable(n * width);
  for (let k = 0; k < n; k++) {
    const c0 = costOf(k);
    const v0 = valueOf(k);
    const row = k * width;
    for (let c = width - 1; c >= c0; c--) {
      const v = best[c - c0] + v0;
      if (v > best[c]) {
        best[c] = v;
        take[row + c] = 1;
      }
    }
  }
  let c = width - 1;
  while (c > 0 && best[c - 1] === best[width - 1]) c--;
  const taken: number[] = [];
  for (let k = n - 1; k >= 0; k--) {
    if (take[k * width + c]) {
      taken.push(k);
      c -= costOf(k);
    }
  }
  return taken;
}

/**
 * The same choice from the other side, when the items to let go cost less than those to keep: the
 * least value whose cost covers `need` tokens (a covering DP of need + 1 cells per item); the rest are kept.
 */
function evictSide(free: Int32Array, cost: Int32Array, value: Float64Array, need: number, keep: Uint8Array): void {
  const width = need + 1;
  const least = losses.get(width);
  least.fill(Infinity, 0, width);
  least[0] = 0;
  const take = takeTable(free.length * width);
  // least[j] is still Infinity for every j past the cost of the items so far (`reach`): no set of
  // them covers j, so an item of cost c0 can improve j only up to reach + c0
  let reach = 0;
  for (let k = 0; k < free.length; k++) {
    const c0 = cost[free[k]];
    const v0 = value[free[k]];
    const row = k * width;
    // least[j - c0] + v0 where the item alone does not cover j; least[0] + v0 = v0 where it does
    const top = reach + c0 < need ? reach + c0 : need;
    reach += c0;
    for (let j = top; j > c0; j--) {
      const v = least[j - c0] + v0;
      if (v < least[j]) {
        least[j] = v;
        take[row + j] = 1;
      }
    }
    for (let j = c0 < need ? c0 : need; j >= 1; j--) {
      if (v0 < least[j]) {
        least[j] = v0;
        take[row + j] = 1;
      }
    }
  }
  for (let k = 0; k < free.length; k++) keep[free[k]] = 1;
  let j = need;
  for (let k = free.length - 1; k >= 0 && j > 0; k--) {
    if (take[k * width + j]) {
      keep[free[k]] = 0;
      j = j > cost[free[k]] ? j - cost[free[k]] : 0;
    }
  }
}
