import type { EmbeddingCacheEvent, EvictionKind, SpanScoresEvent, SummaryGate } from '../../shared/protocol.js';
import type { Ledger } from '../core/ledger.js';

/** Tunables of the model-based policies (live-settable, CLI flags). */
export interface PolicyParams {
  /** Logit probes per turn (importance, hybrid): each removes one span and measures the change. */
  probes: number;
  /** Rolling summary: summarize the oldest half every this many new tokens. */
  summaryInterval: number;
  /** Rolling summary QA gate: share of a summary's facts that must appear in its source (0–1). */
  summaryGate: number;
  /** Hybrid: weights of importance, semantic uniqueness and recency. */
  weights: { importance: number; uniqueness: number; recency: number };
}

/**
 * What a policy may ask of a model between turns (all optional: a backend offers what it can).
 * Calls are async and run in the engine's process, never on the UI thread.
 */
export interface PolicyModel {
  readonly name: string;
  /** Next-token logits after each context, batched. */
  nextTokenLogits?(contexts: readonly Int32Array[]): Promise<Float32Array[]>;
  /** L2-normalized embeddings, batched. */
  embed?(texts: readonly string[]): Promise<Float32Array[]>;
  /** Greedy completion of one user prompt (summaries). */
  complete?(prompt: string, maxNewTokens: number): Promise<string>;
}

/** What a policy sees and may do during one call. */
export interface PolicyContext {
  readonly ledger: Ledger;
  readonly params: Readonly<PolicyParams>;
  readonly maxTokens: number;
  /** Most recent tokens that are kept verbatim: sentence alignment never cuts into them. */
  readonly window: number;
  /** Evicts the oldest n unpinned tokens as one eviction event with this reason. */
  evictFront(n: number, kind: EvictionKind, detail: string): void;
  /** Evicts window tokens [from, to) (ring indices) as one eviction event, with the span's score. */
  evictRange(from: number, to: number, kind: EvictionKind, detail: string, score?: number): void;
  /** Evicts several spans (ascending, disjoint ring ranges) in one pass, one event each. */
  evictSpans(spans: readonly { from: number; to: number; detail: string; score?: number; cluster?: number; text?: string }[], kind: EvictionKind): void;
  decode(ids: ArrayLike<number>): string;
  /** The fact ledger's value of positions [startPos, endPos) as salience: FACT_VALUE when they state a live fact, else 0. */
  factValue(startPos: number, endPos: number): number;
  encode(text: string): Int32Array;
  /** The text of the rolling summary in the context, if any. */
  summaryText(): string | undefined;
  /**
   * Replaces window spans (ascending, disjoint ring ranges) and the current summary, if any, with a
   * new summary message: the spans are evicted as 'summarized', the summary goes where the first of
   * them was, and a summary event says how it was made and how it did on the QA gate.
   */
  summarize(spans: readonly { from: number; to: number }[], text: string, info: { method: 'model' | 'extractive'; fallback?: string; gate: SummaryGate; sourceTokens: number }): void;
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
  /**
   * Optional async step before `apply` when the engine has a model: probes, embeddings or a summary
   * are computed here and left in `ctx.state` for `apply`, which stays synchronous and under its
   * latency budget. Bounded by the policy's own limits (probe count, one summary per interval).
   */
  prepare?(ctx: PolicyContext, model: PolicyModel): Promise<void>;
  apply(ctx: PolicyContext): void;
}

/** Thrown by a policy that ran out of its latency budget between two steps. */
export class PolicyTimeout extends Error {
  constructor(readonly step: string) {
    super(`policy ran out of its latency budget at step "${step}"`);
    this.name = 'PolicyTimeout';
  }
}
