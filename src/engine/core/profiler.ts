import type { ProfileSpan } from '../../shared/protocol';

export interface ProfilerOptions {
  /** Milliseconds; injected so replays and tests are deterministic. */
  clock: () => number;
  /** Completed spans kept for `spans()` (default 20000); the oldest are dropped first. 0 keeps none. */
  maxSpans?: number;
  /** Called with each span as it ends (after it is recorded). */
  onSpan?: (span: ProfileSpan) => void;
}

export interface Profiler {
  begin(name: string): void;
  /** Ends the innermost open span; throws when none is open. */
  end(): void;
  /**
   * Runs `fn` inside a span that ends even if `fn` throws. Spans `fn` leaves open are closed with it.
   * Synchronous only: a returned promise is not awaited.
   */
  measure<T>(name: string, fn: () => T): T;
  /** Turn stamped on spans that begin from now on. */
  setTurn(turn: number): void;
  /** Completed spans, oldest end first, at most `maxSpans`. */
  spans(): readonly ProfileSpan[];
  /** Drops completed spans; spans still open stay open. */
  clear(): void;
}

export const DEFAULT_MAX_SPANS = 20_000;

class RingProfiler implements Profiler {
  readonly #clock: () => number;
  readonly #max: number;
  readonly #onSpan: ((span: ProfileSpan) => void) | undefined;
  // Open spans as parallel arrays indexed by depth: no allocation per begin().
  readonly #openNames: string[] = [];
  readonly #openStarts: number[] = [];
  readonly #openTurns: number[] = [];
  #depth = 0;
  #turn = 0;
  // Completed spans: a ring buffer of at most #max entries; #next is the slot written next.
  readonly #ring: ProfileSpan[] = [];
  #next = 0;
  #snapshot: readonly ProfileSpan[] | undefined;

  constructor(options: ProfilerOptions) {
    const max = options.maxSpans ?? DEFAULT_MAX_SPANS;
    if (!Number.isInteger(max) || max < 0) {
      throw new RangeError(`profiler: maxSpans must be a non-negative integer, got ${String(max)}`);
    }
    this.#clock = options.clock;
    this.#max = max;
    this.#onSpan = options.onSpan;
  }

  begin(name: string): void {
    const d = this.#depth;
    this.#openNames[d] = name;
    this.#openTurns[d] = this.#turn;
    this.#depth = d + 1;
    this.#openStarts[d] = this.#clock();
  }

  end(): void {
    if (this.#depth === 0) {
      throw new Error('profiler.end(): no open span (end() called more often than begin())');
    }
    this.#close(this.#clock());
  }

  measure<T>(name: string, fn: () => T): T {
    this.begin(name);
    const depth = this.#depth;
    let result: T;
    try {
      result = fn();
    } catch (err) {
      this.#closeDownTo(depth);
      throw err;
    }
    if (this.#depth < depth) throw new Error(`profiler.measure('${name}'): its span was ended inside fn`);
    this.#closeDownTo(depth);
    return result;
  }

  /** Closes the span at `depth` and any spans left open inside it. */
  #closeDownTo(depth: number): void {
    if (this.#depth < depth) return;
    const now = this.#clock();
    while (this.#depth >= depth) this.#close(now);
  }

  setTurn(turn: number): void {
    this.#turn = turn;
  }

  spans(): readonly ProfileSpan[] {
    if (this.#snapshot === undefined) {
      const ring = this.#ring;
      this.#snapshot =
        ring.length < this.#max || this.#next === 0
          ? ring.slice()
          : ring.slice(this.#next).concat(ring.slice(0, this.#next));
    }
    return this.#snapshot;
  }

  clear(): void {
    this.#ring.length = 0;
    this.#next = 0;
    this.#snapshot = undefined;
  }

  #close(now: number): void {
    const d = --this.#depth;
    const start = this.#openStarts[d];
    // A clock that steps backwards must not yield negative durations.
    const span: ProfileSpan = {
      name: this.#openNames[d],
      start,
      end: now > start ? now : start,
      depth: d,
      turn: this.#openTurns[d],
    };
    if (this.#max > 0) {
      this.#ring[this.#next] = span;
      this.#next = this.#next + 1 === this.#max ? 0 : this.#next + 1;
      this.#snapshot = undefined;
    }
    this.#onSpan?.(span);
  }
}

export function createProfiler(options: ProfilerOptions): Profiler {
  return new RingProfiler(options);
}
