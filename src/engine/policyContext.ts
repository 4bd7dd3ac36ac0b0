import type { EvictionKind, SpanScoresEvent, EmbeddingCacheEvent, SummaryGate } from '../shared/protocol.js';
import type { Ledger } from './core/ledger.js';
import type { EngineParts, Evictor } from './engineParts.js';
import type { PolicyContext, PolicyParams } from './policies/index.js';
import { summarize } from './summaryStep.js';

/**
 * A span that states a live fact is worth this much salience: above the salience (at most 1) plus the
 * recency weight (at most 0.5 with every policy's weights) of any span that states none, so a stated fact
 * is not traded for recent small talk with names and numbers in it.
 */
export const FACT_VALUE = 1.5;

/**
 * What the policies see of an engine: its ledger and settings, and the ways tokens may leave the
 * context. A class with methods (one shape for every engine) rather than an object literal of
 * getters and per-engine closures, which V8 kept in dictionary mode (%HasFastProperties false):
 * every `ctx.*` read in a policy was a hash lookup.
 */
class EnginePolicyContext implements PolicyContext {
  readonly ledger: Ledger;
  readonly state = new Map<string, unknown>();
  readonly #p: EngineParts;
  readonly #evictor: Evictor;

  constructor(p: EngineParts) {
    this.#p = p;
    this.ledger = p.ledger;
    this.#evictor = p.evictor;
  }

  get params(): PolicyParams {
    const config = this.#p.config;
    return { probes: config.probes, summaryInterval: config.summaryInterval, summaryGate: config.summaryGate, weights: config.weights };
  }
  get maxTokens(): number {
    return this.#p.config.maxTokens;
  }
  get window(): number {
    return this.#p.config.window;
  }
  evictFront(n: number, kind: EvictionKind, detail: string): void {
    this.#evictor.evictFront(n, kind, detail);
  }
  evictRange(from: number, to: number, kind: EvictionKind, detail: string, score?: number): void {
    this.#evictor.evictRange(from, to, kind, detail, score);
  }
  evictSpans(spans: readonly { from: number; to: number; detail: string; score?: number; cluster?: number; text?: string }[], kind: EvictionKind): void {
    this.#evictor.evictSpans(spans, kind);
  }
  factValue(startPos: number, endPos: number): number {
    return this.#p.facts.liveIn(startPos, endPos) ? FACT_VALUE : 0;
  }
  decode(ids: ArrayLike<number>): string {
    return this.#p.tokenizer.decode(ids);
  }
  encode(text: string): Int32Array {
    return this.#p.tokenizer.encode(text);
  }
  summaryText(): string | undefined {
    const { ledger, messages } = this.#p;
    return ledger.summary ? messages[ledger.summary.messageId].content : undefined;
  }
  summarize(spans: readonly { from: number; to: number }[], text: string, info: { method: 'model' | 'extractive'; fallback?: string; gate: SummaryGate; sourceTokens: number }): void {
    summarize(this.#p, spans, text, info);
  }
  warn(code: 'pinned-over-budget', message: string): void {
    const p = this.#p;
    p.emit({ type: 'warning', turn: p.book.turn, code, message });
  }
  timeUp(): boolean {
    const p = this.#p;
    return p.clock() > p.deadline;
  }
  report(event: SpanScoresEvent | EmbeddingCacheEvent): void {
    const p = this.#p;
    p.emit({ ...event, turn: p.book.turn });
  }
}

export function createPolicyContext(p: EngineParts): PolicyContext {
  return new EnginePolicyContext(p);
}
