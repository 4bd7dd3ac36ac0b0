import type { EngineEvent, EvictionKind, EvictionReason, MessageRange } from '../../shared/protocol.js';
import type { Ledger, RecalledSpan, SummarySpan } from './ledger.js';
import { previewText } from './preview.js';
import type { Tokenizer } from './tokenizer.js';

/** Where evicted window tokens are indexed before they leave (the recall controller). */
export interface EvictionIndex {
  /** Window tokens [0, n), about to be evicted from the front. */
  indexEvicted(n: number): void;
  /** Window tokens [from, to), about to be evicted from the middle. */
  indexRange(from: number, to: number): void;
}

export interface EvictorDeps {
  ledger: Ledger;
  tokenizer: Tokenizer;
  recall: EvictionIndex;
  recallOn: () => boolean;
  maxTokens: () => number;
  policyName: () => string;
  turn: () => number;
  nextSeq: () => number;
  /** Stats for one eviction of this many tokens. */
  counted: (tokens: number) => void;
  emit: (event: EngineEvent) => void;
  /** The live facts that positions [startPos, endPos) state, as a note for the reason ("fact: my locker code = 5521"), if any. */
  factNote?: (startPos: number, endPos: number) => string | undefined;
}

export interface SpanToEvict {
  from: number;
  to: number;
  detail: string;
  score?: number;
  cluster?: number;
  /** The decoded text of exactly these window tokens, when the caller has it (the preview is made from it, not decoded again). */
  text?: string;
}

/**
 * Every way tokens leave the context — from the front of the window, from its middle, or a recalled
 * span expiring — ends in one eviction event with its reason and budget line, and evicted sentences
 * go into the recall index first (when recall is on). Every evicted token is in exactly one event.
 */
export function createEvictor(d: EvictorDeps) {
  const { ledger, tokenizer } = d;

  /**
   * One eviction event (its fields in the protocol's order, built in one go: this runs for every
   * eviction). `conversationTokens` is what tokensEvicted counts.
   */
  function record(tokens: number, startPos: number, endPos: number, ranges: MessageRange[], preview: string, usedBefore: number, reason: EvictionReason, conversationTokens = tokens): void {
    d.counted(conversationTokens);
    const note = d.factNote?.(startPos, endPos);
    if (note !== undefined) reason.detail = `${reason.detail} · ${note}`;
    reason.budget = { maxTokens: d.maxTokens(), usedBefore, usedAfter: ledger.used() };
    d.emit({ type: 'eviction', turn: d.turn(), seq: d.nextSeq(), tokens, startPos, endPos, ranges, preview, reason });
  }

  /** A reason with its budget line to come (record fills it in, last, after the ledger changed). */
  function why(kind: EvictionKind, detail: string, score?: number, cluster?: number): EvictionReason {
    const reason = { policy: d.policyName(), kind, detail } as EvictionReason;
    if (score !== undefined) reason.score = score;
    if (cluster !== undefined) reason.cluster = cluster;
    return reason;
  }

  /** The oldest n unpinned tokens, as one event. */
  function evictFront(n: number, kind: EvictionKind, detail: string, score?: number): void {
    if (n <= 0) return;
    const ring = ledger.window;
    const startPos = ring.pos(0);
    const endPos = ring.pos(n - 1) + 1;
    const preview = previewText(tokenizer, ring, 0, n);
    if (d.recallOn()) d.recall.indexEvicted(n);
    const usedBefore = ledger.used();
    const ranges = ledger.evictFront(n);
    record(n, startPos, endPos, ranges, preview, usedBefore, why(kind, detail, score));
  }

  /** Several window spans (ascending, disjoint), one event each, with one compaction of the ring. */
  function evictSpans(spans: readonly SpanToEvict[], kind: EvictionKind): void {
    const ring = ledger.window;
    for (const sp of spans) {
      const startPos = ring.pos(sp.from);
      const endPos = ring.pos(sp.to - 1) + 1;
      const preview = previewText(tokenizer, ring, sp.from, sp.to, sp.text);
      if (d.recallOn()) d.recall.indexRange(sp.from, sp.to);
      const usedBefore = ledger.used();
      const ranges = ledger.releaseRange(sp.from, sp.to);
      record(sp.to - sp.from, startPos, endPos, ranges, preview, usedBefore, why(kind, sp.detail, sp.score, sp.cluster));
    }
    ledger.compact(spans);
  }

  /** Window tokens [from, to) from anywhere in the window. */
  function evictRange(from: number, to: number, kind: EvictionKind, detail: string, score?: number): void {
    if (from === 0) evictFront(to, kind, detail, score);
    else evictSpans([{ from, to, detail, score }], kind);
  }

  /**
   * Recalled spans leaving the context again (already taken out of the ledger), as one event: a
   * recall swaps its set at once, and one row per swap keeps the log readable and the stream small.
   */
  function expireRecalled(spans: readonly RecalledSpan[], detail: string, usedBefore: number, policy = 'recall', kind: EvictionKind = 'recall-expired'): void {
    if (spans.length === 0) return;
    const tokens = spans.reduce((n, sp) => n + sp.ids.length, 0);
    record(
      tokens,
      Math.min(...spans.map((sp) => sp.startPos)),
      Math.max(...spans.map((sp) => sp.startPos + sp.ids.length)),
      spans.map((sp) => ({ messageId: sp.messageId, from: sp.from, to: sp.to })),
      tokenizer.decode(spans[0].ids.subarray(0, 40)),
      usedBefore,
      { policy, kind, detail: spans.length > 1 ? `${spans.length} spans: ${detail}` : detail } as EvictionReason,
    );
  }

  /** The previous rolling summary leaving the context (already taken out of the ledger): a new one folds it in. */
  function expireSummary(span: SummarySpan, detail: string, kind: EvictionKind = 'summarized'): void {
    const n = span.ids.length;
    // a summary's own tokens were never conversation tokens: tokensEvicted does not count them
    record(n, span.startPos, span.startPos, [{ messageId: span.messageId, from: 0, to: n }], tokenizer.decode(span.ids.subarray(0, 40)), ledger.used() + n + ledger.overheadOf(span.messageId), why(kind, detail), 0);
  }

  return { evictFront, evictRange, evictSpans, expireRecalled, expireSummary };
}
