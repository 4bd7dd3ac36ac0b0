import type { EmbeddingCacheEvent, EvictionKind, SpanScoresEvent } from '../../shared/protocol.js';
import type { Ledger } from '../ledger.js';

/** What a policy sees and may do during one call. */
export interface PolicyContext {
  readonly ledger: Ledger;
  readonly maxTokens: number;
  /** Most recent tokens that are kept verbatim: sentence alignment never cuts into them. */
  readonly window: number;
  /** Evicts the oldest n unpinned tokens as one eviction event with this reason. */
  evictFront(n: number, kind: EvictionKind, detail: string): void;
  /** Evicts window tokens [from, to) (ring indices) as one eviction event, with the span's score. */
  evictRange(from: number, to: number, kind: EvictionKind, detail: string, score?: number): void;
  /** Evicts several spans (ascending, disjoint ring ranges) in one pass, one event each. */
  evictSpans(spans: readonly { from: number; to: number; detail: string; score?: number; cluster?: number }[], kind: EvictionKind): void;
  decode(ids: ArrayLike<number>): string;
  /** Per-engine scratch space for policies (e.g. span scores keyed by position). */
  readonly cache: Map<number, number>;
  warn(code: 'pinned-over-budget', message: string): void;
  /** Reports a knapsack choice or cache counters (the UI's Spans and Cache views show them). */
  report(event: SpanScoresEvent | EmbeddingCacheEvent): void;
  /** Per-engine state a policy keeps between calls (centroids, an embedding cache). */
  readonly state: Map<string, unknown>;
  /**
   * True once this call has used up the policy's latency budget (maxPolicyMs). Policies check it
   * between steps and throw PolicyTimeout; the engine then finishes the turn with sliding.
   */
  timeUp(): boolean;
}

/** A memory policy: a plain object behind one interface. */
export interface Policy {
  readonly name: string;
  apply(ctx: PolicyContext): void;
}

/** Thrown by a policy that ran out of its latency budget between two steps. */
export class PolicyTimeout extends Error {
  constructor(readonly step: string) {
    super(`policy ran out of its latency budget at step "${step}"`);
    this.name = 'PolicyTimeout';
  }
}
