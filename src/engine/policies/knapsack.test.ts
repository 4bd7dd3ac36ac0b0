import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type KnapsackItem, type KnapsackResult, knapsack, knapsackBounded, knapsackExact, knapsackGreedy } from './knapsack.js';
import { mulberry32 } from '../core/rng.js';

/** Optimal value by enumerating every subset (n <= 12 here). */
function bruteForce(items: KnapsackItem[], capacity: number): number {
  let best = 0;
  for (let mask = 0; mask < 1 << items.length; mask++) {
    let cost = 0;
    let value = 0;
    for (let i = 0; i < items.length; i++) {
      if (mask & (1 << i)) {
        cost += items[i].cost;
        value += items[i].value;
      }
    }
    if (cost <= capacity && value > best) best = value;
  }
  return best;
}

/** The chosen set is valid: ascending unique indices, within capacity, and the reported sums are its sums. */
function expectConsistent(items: KnapsackItem[], capacity: number, r: KnapsackResult): void {
  let cost = 0;
  let value = 0;
  for (let k = 0; k < r.chosen.length; k++) {
    if (k > 0) expect(r.chosen[k]).toBeGreaterThan(r.chosen[k - 1]);
    cost += items[r.chosen[k]].cost;
    value += items[r.chosen[k]].value;
  }
  expect(cost).toBeLessThanOrEqual(capacity);
  expect(r.cost).toBe(cost);
  expect(r.value).toBe(value);
}

const closeTo = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a), Math.abs(b));
const value = fc.oneof(fc.integer({ min: 0, max: 100 }), fc.double({ min: 0, max: 100, noNaN: true }));
const item = fc.record({ cost: fc.integer({ min: 1, max: 60 }), value });
const random = fc.tuple(fc.array(item, { maxLength: 12 }), fc.integer({ min: 0, max: 60 }));
/** Greedy's worst case: a tiny item with the best ratio crowds out one big item worth far more. */
const trap = fc.tuple(fc.integer({ min: 3, max: 60 }), fc.integer({ min: 1, max: 100 }), fc.array(item, { maxLength: 4 })).map(
  ([capacity, v, extra]): [KnapsackItem[], number] => [[{ cost: 1, value: v }, { cost: capacity, value: capacity * v * 0.9 }, ...extra], capacity],
);
const instance = fc.oneof(random, trap);

describe('knapsackExact', () => {
  it('matches brute force on random small instances', () => {
    fc.assert(
      fc.property(instance, ([items, capacity]) => {
        const r = knapsackExact(items, capacity);
        expect(r.method).toBe('exact');
        expectConsistent(items, capacity, r);
        expect(closeTo(r.value, bruteForce(items, capacity))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
  it('solves a case greedy gets wrong', () => {
    const items = [{ cost: 1, value: 2 }, { cost: 10, value: 10 }];
    expect(Array.from(knapsackExact(items, 10).chosen)).toEqual([1]);
    expect(knapsackGreedy(items, 10).value).toBe(10); // rescued by the best-single-item guard
    const three = [{ cost: 5, value: 6 }, { cost: 5, value: 6 }, { cost: 6, value: 8 }];
    expect(knapsackExact(three, 10).value).toBe(12);
    expect(knapsackGreedy(three, 10).value).toBe(8);
  });
  it('prefers the cheapest of equally valuable optimal sets', () => {
    const r = knapsackExact([{ cost: 3, value: 5 }, { cost: 9, value: 5 }], 20);
    expect(Array.from(r.chosen)).toEqual([0, 1]);
    const tie = knapsackExact([{ cost: 8, value: 5 }, { cost: 2, value: 5 }], 8);
    expect(Array.from(tie.chosen)).toEqual([1]);
    expect(tie.cost).toBe(2);
  });
  it('throws a RangeError naming the table size past maxCells', () => {
    const items = Array.from({ length: 10 }, () => ({ cost: 50, value: 1 }));
    expect(() => knapsackExact(items, 99, { maxCells: 999 })).toThrow(/10 items × 100 capacities = 1000 cells exceeds maxCells 999/);
    expect(knapsackExact(items, 99, { maxCells: 1000 }).value).toBe(1);
  });
  it('clamps a huge capacity to the total cost of the items', () => {
    const r = knapsackExact([{ cost: 4, value: 1 }, { cost: 7, value: 2 }], 1e12);
    expect(Array.from(r.chosen)).toEqual([0, 1]);
    expect(knapsackExact([{ cost: 4, value: 1 }], Infinity).cost).toBe(4);
  });
});

describe('knapsackGreedy', () => {
  it('never exceeds capacity and keeps at least half of the optimum', () => {
    fc.assert(
      fc.property(instance, ([items, capacity]) => {
        const r = knapsackGreedy(items, capacity);
        expect(r.method).toBe('greedy');
        expectConsistent(items, capacity, r);
        const opt = bruteForce(items, capacity);
        expect(r.value).toBeLessThanOrEqual(opt + 1e-9);
        expect(r.value * 2).toBeGreaterThanOrEqual(opt - 1e-9);
      }),
      { numRuns: 400 },
    );
  });
  it('is optimal when all ratios and costs are equal, or when everything fits', () => {
    const equal = fc.tuple(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 5 }), fc.integer({ min: 0, max: 12 }), fc.integer({ min: 0, max: 60 }));
    fc.assert(
      fc.property(equal, ([cost, ratio, n, capacity]) => {
        const items = Array.from({ length: n }, () => ({ cost, value: cost * ratio }));
        expect(knapsackGreedy(items, capacity).value).toBe(bruteForce(items, capacity));
      }),
    );
    fc.assert(
      fc.property(fc.array(item, { maxLength: 12 }), (items) => {
        const total = items.reduce((s, x) => s + x.cost, 0);
        expect(closeTo(knapsackGreedy(items, total).value, bruteForce(items, total))).toBe(true);
      }),
    );
  });
  it('with equal ratios but mixed costs it is subset-sum greedy, not optimal', () => {
    // ratio 1 everywhere: cheapest first takes 2 + 3 and cannot fit the second 3; the optimum is 3 + 3
    const items = [{ cost: 2, value: 2 }, { cost: 3, value: 3 }, { cost: 3, value: 3 }];
    expect(knapsackGreedy(items, 6).value).toBe(5);
    expect(knapsackExact(items, 6).value).toBe(6);
  });
  it('orders ties by lower cost, then lower index', () => {
    const r = knapsackGreedy([{ cost: 4, value: 4 }, { cost: 2, value: 2 }, { cost: 2, value: 2 }], 4);
    expect(Array.from(r.chosen)).toEqual([1, 2]);
    expect(Array.from(knapsackGreedy([{ cost: 3, value: 3 }, { cost: 3, value: 3 }], 4).chosen)).toEqual([0]);
  });
  it('fills leftover capacity after the first item that does not fit', () => {
    const r = knapsackGreedy([{ cost: 5, value: 10 }, { cost: 4, value: 6 }, { cost: 1, value: 1 }], 6);
    expect(Array.from(r.chosen)).toEqual([0, 2]);
    expect(r.value).toBe(11);
  });
});

describe('edge cases (both solvers)', () => {
  const solvers = { exact: knapsackExact, greedy: knapsackGreedy, auto: knapsack };
  for (const [name, solve] of Object.entries(solvers)) {
    it(`${name}: empty input, capacity 0, oversized items, zero values`, () => {
      expect(solve([], 10)).toMatchObject({ value: 0, cost: 0, chosen: new Int32Array(0) });
      expect(solve([{ cost: 1, value: 5 }], 0).chosen.length).toBe(0);
      expect(Array.from(solve([{ cost: 11, value: 100 }, { cost: 10, value: 1 }], 10).chosen)).toEqual([1]);
      expect(solve([{ cost: 1, value: 0 }, { cost: 2, value: 0 }], 10)).toMatchObject({ value: 0, cost: 0 });
    });
    it(`${name}: rejects invalid items and capacities`, () => {
      expect(() => solve([{ cost: 0, value: 1 }], 5)).toThrow(RangeError);
      expect(() => solve([{ cost: 1.5, value: 1 }], 5)).toThrow(/item 0 cost/);
      expect(() => solve([{ cost: 1, value: -1 }], 5)).toThrow(/item 0 value/);
      expect(() => solve([{ cost: 1, value: Number.NaN }], 5)).toThrow(RangeError);
      expect(() => solve([{ cost: 1, value: 1 }], -1)).toThrow(/capacity/);
    });
  }
});

describe('knapsack', () => {
  it('is exact when the table fits and greedy otherwise', () => {
    const items = [{ cost: 5, value: 6 }, { cost: 5, value: 6 }, { cost: 6, value: 8 }];
    expect(knapsack(items, 10)).toMatchObject({ method: 'exact', value: 12 });
    expect(knapsack(items, 10, { maxCells: 33 })).toMatchObject({ method: 'exact', value: 12 }); // 3 items × 11 capacities
    expect(knapsack(items, 10, { maxCells: 32 })).toMatchObject({ method: 'greedy', value: 8 });
  });
});

describe('knapsackBounded', () => {
  const arrays = (items: KnapsackItem[]): [Int32Array, Float64Array] => [Int32Array.from(items, (x) => x.cost), Float64Array.from(items, (x) => x.value)];
  const check = (items: KnapsackItem[], capacity: number, maxCells?: number) => {
    const [cost, value] = arrays(items);
    const r = knapsackBounded(cost, value, capacity, maxCells === undefined ? {} : { maxCells });
    let c = 0;
    let v = 0;
    r.keep.forEach((k, i) => {
      if (!k) return;
      expect(items[i].value).toBeGreaterThan(0);
      c += items[i].cost;
      v += items[i].value;
    });
    expect(c).toBeLessThanOrEqual(capacity);
    expect(r.cost).toBe(c);
    expect(closeTo(r.value, v)).toBe(true);
    return r;
  };

  it('matches brute force on random small instances and greedy traps', () => {
    fc.assert(
      fc.property(instance, ([items, capacity]) => {
        const r = check(items, capacity);
        expect(r.method).toBe('exact');
        expect(closeTo(r.value, bruteForce(items, capacity))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('matches the full DP on span-sized instances, with capacities from a sliver to nearly all', () => {
    const spans = fc.array(fc.record({ cost: fc.integer({ min: 1, max: 64 }), value: fc.double({ min: 0, max: 120, noNaN: true }) }), { minLength: 1, maxLength: 120 });
    fc.assert(
      fc.property(spans, fc.double({ min: 0, max: 1, noNaN: true }), (items, share) => {
        const total = items.reduce((n, x) => n + x.cost, 0);
        const capacity = Math.floor(share * total);
        const r = check(items, capacity);
        expect(r.method).toBe('exact');
        expect(closeTo(r.value, knapsackExact(items, capacity).value)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('decides most items by their bound: the DP sees only those near the critical ratio', () => {
    const next = mulberry32(3);
    const items = Array.from({ length: 2000 }, (_, i) => {
      const cost = 5 + Math.floor(next() * 40);
      return { cost, value: cost * (0.2 + next() * 0.3 + i / 2000) };
    });
    const total = items.reduce((n, x) => n + x.cost, 0);
    const r = check(items, total - 150);
    expect(r.method).toBe('exact');
    expect(r.free).toBeLessThan(100);
    expect(closeTo(r.value, knapsackExact(items, total - 150, { maxCells: 1e8 }).value)).toBe(true);
  });

  it('falls back to the greedy fill past maxCells, still within capacity', () => {
    const items = [{ cost: 5, value: 6 }, { cost: 5, value: 6 }, { cost: 6, value: 8 }];
    expect(check(items, 10)).toMatchObject({ method: 'exact', value: 12 });
    expect(check(items, 10, 1)).toMatchObject({ method: 'greedy' });
  });

  it('past maxCells settles a core (the undecided items nearest the critical ratio): feasible, and never worse than greedy', () => {
    // span-like instances: many items with ratios close together, a DP table too big for maxCells
    const rand = mulberry32(17);
    let cores = 0;
    for (let t = 0; t < 60; t++) {
      const n = 150 + Math.floor(rand() * 250);
      const cost = Int32Array.from({ length: n }, () => 5 + Math.floor(rand() * 40));
      const value = Float64Array.from(cost, (c, i) => c * (0.2 + 0.5 * ((i + 1) / n) + (rand() < 0.3 ? rand() : 0)));
      const total = cost.reduce((a, b) => a + b, 0);
      const capacity = total - 20 - Math.floor(rand() * 400);
      const r = knapsackBounded(cost, value, capacity, { maxCells: 2000 });
      if (r.method !== 'core') continue;
      cores++;
      expect(r.cost).toBeLessThanOrEqual(capacity);
      const greedy = knapsackGreedy(Array.from(cost, (c, i) => ({ cost: c, value: value[i] })), capacity);
      expect(r.value).toBeGreaterThanOrEqual(greedy.value - 1e-9 * greedy.value);
    }
    expect(cores).toBeGreaterThan(10);
  });

  it('with slack settles for the greedy fill only when the bound proves it within that share of the optimum', () => {
    const spans = fc.array(fc.record({ cost: fc.integer({ min: 1, max: 64 }), value: fc.double({ min: 0, max: 120, noNaN: true }) }), { minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(spans, fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom(0, 1 / 1024, 1 / 256, 1 / 16), (items, share, slack) => {
        const total = items.reduce((n, x) => n + x.cost, 0);
        const capacity = Math.floor(share * total);
        const [cost, value] = arrays(items);
        const r = knapsackBounded(cost, value, capacity, { slack });
        expect(r.cost).toBeLessThanOrEqual(capacity);
        const best = knapsackExact(items, capacity, { maxCells: 1e8 }).value;
        expect(r.value).toBeGreaterThanOrEqual(best * (1 - slack) - 1e-9 * Math.max(1, best));
        // no slack: the exact optimum as without the option
        if (slack === 0) expect(closeTo(r.value, best)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('with slack on span-sized calls skips the DP where the greedy fill is provably close (no free items)', () => {
    const next = mulberry32(3);
    const items = Array.from({ length: 600 }, (_, i) => {
      const cost = 5 + Math.floor(next() * 40);
      return { cost, value: cost * (0.2 + next() * 0.3 + i / 600) };
    });
    const [cost, value] = arrays(items);
    const total = items.reduce((n, x) => n + x.cost, 0);
    const exact = knapsackBounded(cost, value, total - 60);
    const near = knapsackBounded(cost, value, total - 60, { slack: 1 / 256 });
    expect(exact.free).toBeGreaterThan(0);
    expect(near).toMatchObject({ method: 'greedy', free: 0 });
    expect(near.value).toBeGreaterThanOrEqual(exact.value * (1 - 1 / 256));
  });

  it('writes the same flags into a caller\'s dirty, longer array (keepInto) as into a new one', () => {
    const rand = mulberry32(23);
    const into = new Uint8Array(600).fill(7);
    for (let t = 0; t < 40; t++) {
      const n = 1 + Math.floor(rand() * 500);
      const cost = Int32Array.from({ length: n }, () => 1 + Math.floor(rand() * 40));
      const value = Float64Array.from(cost, (c) => c * rand());
      const capacity = Math.floor(rand() * cost.reduce((a, b) => a + b, 0));
      const fresh = knapsackBounded(cost, value, capacity, { maxCells: 3e4 });
      const reused = knapsackBounded(cost, value, capacity, { maxCells: 3e4, keepInto: into });
      expect(reused.keep.buffer).toBe(into.buffer);
      expect(Array.from(reused.keep)).toEqual(Array.from(fresh.keep));
      expect([reused.value, reused.cost, reused.method]).toEqual([fresh.value, fresh.cost, fresh.method]);
    }
  });

  it('keeps everything that fits, nothing worthless, and rejects invalid items', () => {
    expect(Array.from(check([{ cost: 3, value: 1 }, { cost: 2, value: 0 }, { cost: 9, value: 5 }], 5).keep)).toEqual([1, 0, 0]);
    expect(check([], 10).value).toBe(0);
    expect(() => knapsackBounded(Int32Array.of(0), Float64Array.of(1), 5)).toThrow(RangeError);
    expect(() => knapsackBounded(Int32Array.of(1), Float64Array.of(-1), 5)).toThrow(RangeError);
    expect(() => knapsackBounded(Int32Array.of(1), Float64Array.of(1), -1)).toThrow(RangeError);
  });
});
