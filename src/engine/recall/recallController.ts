import type { BudgetLine, EngineEvent, RecalledSpanData } from '../../shared/protocol.js';
import { knapsack } from '../policies/knapsack.js';
import type { Ledger, RecalledSpan } from '../core/ledger.js';
import { RecallIndex, type RecallIndexOptions } from './recallIndex.js';
import { FLAG_RECALLED, FLAG_SENTENCE_START } from '../core/tokenRing.js';
import type { Tokenizer } from '../core/tokenizer.js';

/** Longest span indexed for recall, in tokens (long sentences are split). */
const MAX_SPAN = 64;
/** Hits scoring below this share of the best hit's BM25 score are not recalled (no filler). */
const RELATIVE_CUT = 0.3;
const CANDIDATES = 16;
/**
 * The index keeps the most recent evicted spans up to this many (~60k+ tokens): a BM25 query costs
 * O(documents matching its terms), so an unbounded index made a long replay quadratic (profiled:
 * 8,000 messages took minutes). The oldest spans leave the index first.
 */
export const MAX_INDEXED = 4096;
/** Recalled spans may always take this many tokens (a fact sentence or two), even under a small budget. */
const MIN_CAP = 48;

interface PendingSpan {
  messageId: number;
  startPos: number;
  ids: number[];
  flags: number[];
}

/** The recall index as a session stores it: span boundaries (tokens come from the messages). */
export interface RecallState {
  nextId: number;
  spans: { id: number; messageId: number; from: number; to: number }[];
  /** Recall ids of the ledger's recalled spans, in the ledger's order. */
  recalled: number[];
  /** A sentence whose head was indexed and whose tail is still in the window. */
  pending?: { messageId: number; from: number; to: number };
}

export interface RecallContext {
  ledger: Ledger;
  tokenizer: Tokenizer;
  maxTokens: () => number;
  window: () => number;
  /** Share of the budget recalled spans may take. */
  share: () => number;
  turn: () => number;
  nextSeq: () => number;
  emit: (event: EngineEvent) => void;
  /** Most spans the index keeps (default MAX_INDEXED). */
  maxIndexed?: number;
  /** Options of the recall index (benchmarks swap its lexical side for a peer). */
  indexOptions?: RecallIndexOptions;
  /** Emits an eviction event for tokens leaving the context that are not in the window ring. */
  expire: (spans: readonly RecalledSpan[], detail: string, usedBefore: number) => void;
}

/**
 * Query-aware recall: every span the policy evicts (sentence-aligned, at most 64 tokens) goes into a
 * BM25 (+ dense) index; each new user message retrieves the most relevant ones and re-admits them
 * under a share of the budget (knapsack over relevance per token). Recalled spans that stop being
 * relevant leave again, each with its event. Works with every policy: it only sees evicted tokens.
 */
export class RecallController {
  #c: RecallContext;
  #index: RecallIndex;
  #spans = new Map<number, RecalledSpan>();
  #nextId = 0;
  /** A sentence whose head was evicted and whose tail is still in the window. */
  #pending: PendingSpan | undefined;

  constructor(context: RecallContext) {
    this.#c = context;
    this.#index = new RecallIndex(context.indexOptions);
  }

  get indexed(): number {
    return this.#index.size;
  }

  /**
   * Indexes window tokens [0, n) of the ledger before they are evicted, one span per sentence. A
   * sentence cut by this eviction is held back and completed by the next one (sliding evicts the
   * rest of a cut sentence right away), so a fact is indexed, and recalled, whole.
   */
  indexEvicted(n: number): void {
    const ring = this.#c.ledger.window;
    let pending = this.#pending;
    this.#pending = undefined;
    if (pending && (ring.msg(0) !== pending.messageId || ring.pos(0) !== pending.startPos + pending.ids.length)) {
      this.#commit(pending);
      pending = undefined;
    }
    let cur = pending ?? this.#open(0);
    for (let i = 0; i < n; i++) {
      if (i > 0 || !pending) {
        const boundary = ring.msg(i) !== cur.messageId || (ring.flags(i) & FLAG_SENTENCE_START) !== 0 || cur.ids.length >= MAX_SPAN;
        if (boundary && cur.ids.length > 0) {
          this.#commit(cur);
          cur = this.#open(i);
        }
      }
      cur.ids.push(ring.id(i));
      cur.flags.push(ring.flags(i) | FLAG_RECALLED);
    }
    const continues = n < ring.length && ring.msg(n) === cur.messageId && (ring.flags(n) & FLAG_SENTENCE_START) === 0 && cur.ids.length < MAX_SPAN;
    if (continues) this.#pending = cur;
    else if (cur.ids.length > 0) this.#commit(cur);
  }

  /** Indexes whole-sentence window tokens [from, to) evicted from the middle of the window. */
  indexRange(from: number, to: number): void {
    const ring = this.#c.ledger.window;
    let cur = this.#open(from);
    for (let i = from; i < to; i++) {
      const boundary = ring.msg(i) !== cur.messageId || (i > from && (ring.flags(i) & FLAG_SENTENCE_START) !== 0) || cur.ids.length >= MAX_SPAN;
      if (boundary && cur.ids.length > 0) {
        this.#commit(cur);
        cur = this.#open(i);
      }
      cur.ids.push(ring.id(i));
      cur.flags.push(ring.flags(i) | FLAG_RECALLED);
    }
    if (cur.ids.length > 0) this.#commit(cur);
  }

  #open(i: number): PendingSpan {
    const ring = this.#c.ledger.window;
    return { messageId: ring.msg(i), startPos: ring.pos(i), ids: [], flags: [] };
  }

  #commit(p: PendingSpan): void {
    const { ledger, tokenizer } = this.#c;
    const id = this.#nextId++;
    const ids = Int32Array.from(p.ids);
    const from = p.startPos - ledger.messageStart(p.messageId);
    const span: RecalledSpan = { recallId: id, messageId: p.messageId, from, to: from + ids.length, startPos: p.startPos, ids, flags: Uint8Array.from(p.flags) };
    this.#spans.set(id, span);
    this.#index.add({ id, text: tokenizer.decode(ids), tokens: ids.length, messageId: p.messageId, startPos: p.startPos, endPos: p.startPos + ids.length });
    if (this.#spans.size > (this.#c.maxIndexed ?? MAX_INDEXED)) this.#forgetOldest();
  }

  /** Drops the oldest indexed span that is not in the context now. */
  #forgetOldest(): void {
    const inContext = this.#c.ledger.recalled;
    for (const id of this.#spans.keys()) {
      if (inContext.some((r) => r.recallId === id)) continue;
      this.#spans.delete(id);
      this.#index.remove(id);
      return;
    }
  }

  /** What a session stores so a restored engine recalls exactly as this one would. */
  exportState(): RecallState {
    const spans = [...this.#spans.values()].map((sp) => ({ id: sp.recallId, messageId: sp.messageId, from: sp.from, to: sp.to }));
    const pending = this.#pending;
    const { ledger } = this.#c;
    return {
      nextId: this.#nextId,
      spans,
      recalled: ledger.recalled.map((r) => r.recallId),
      ...(pending ? { pending: { messageId: pending.messageId, from: pending.startPos - ledger.messageStart(pending.messageId), to: pending.startPos - ledger.messageStart(pending.messageId) + pending.ids.length } } : {}),
    };
  }

  /**
   * Restores the index from a session: span tokens come from the message's own tokens (re-encoded by
   * the caller with the session's tokenizer), and the ledger's recalled spans get their ids back.
   */
  importState(state: RecallState, tokensOf: (messageId: number) => { ids: Int32Array; flags: Uint8Array }): void {
    const { ledger } = this.#c;
    const slice = (messageId: number, from: number, to: number) => {
      const t = tokensOf(messageId);
      if (to > t.ids.length) throw new Error(`session recall span ${from}–${to} is outside message ${messageId} (${t.ids.length} tokens)`);
      return { ids: Array.from(t.ids.subarray(from, to)), flags: Array.from(t.flags.subarray(from, to), (f) => f | FLAG_RECALLED) };
    };
    for (const sp of state.spans) {
      this.#nextId = sp.id;
      this.#commit({ messageId: sp.messageId, startPos: ledger.messageStart(sp.messageId) + sp.from, ...slice(sp.messageId, sp.from, sp.to) });
    }
    this.#nextId = state.nextId;
    if (state.pending) this.#pending = { messageId: state.pending.messageId, startPos: ledger.messageStart(state.pending.messageId) + state.pending.from, ...slice(state.pending.messageId, state.pending.from, state.pending.to) };
    if (state.recalled.length !== ledger.recalled.length) throw new Error(`session lists ${state.recalled.length} recalled spans, its ledger has ${ledger.recalled.length}`);
    ledger.recalled.forEach((r, i) => {
      r.recallId = state.recalled[i];
    });
  }

  /** Retrieves spans for a new user message and swaps the recalled set; returns tokens admitted. */
  recallFor(query: string): number {
    const { ledger } = this.#c;
    const cap = Math.max(0, Math.min(Math.max(MIN_CAP, Math.floor(this.#c.share() * this.#c.maxTokens())), this.#c.maxTokens() - this.#c.window() - ledger.pinnedTokens - ledger.overhead.generationPrompt - 8));
    const hits = this.#index.search(query, { k: CANDIDATES });
    const best = hits.reduce((m, h) => Math.max(m, h.bm25Score ?? 0), 0);
    const relevant = hits.filter((h) => (h.bm25Score ?? 0) >= best * RELATIVE_CUT);
    const items = relevant.map((h) => {
      const span = this.#spans.get(h.id) as RecalledSpan;
      return { cost: span.ids.length + ledger.overheadOf(span.messageId), value: h.score };
    });
    const chosen = new Set(Array.from(knapsack(items, cap).chosen, (i) => relevant[i].id));
    const leaving = ledger.recalled.filter((r) => !chosen.has(r.recallId));
    const usedBeforeExpiry = ledger.used();
    for (const r of leaving) ledger.removeRecalled(r.recallId);
    this.#c.expire(leaving, 'no longer among the evicted spans most relevant to the latest message', usedBeforeExpiry);
    const usedBefore = ledger.used();
    const admitted: RecalledSpanData[] = [];
    for (const h of relevant) {
      if (!chosen.has(h.id) || ledger.recalled.some((r) => r.recallId === h.id)) continue;
      const span = this.#spans.get(h.id) as RecalledSpan;
      ledger.addRecalled(span);
      admitted.push({ messageId: span.messageId, from: span.from, to: span.to, startPos: span.startPos, endPos: span.startPos + span.ids.length, tokens: span.ids.length, score: h.score, bm25Rank: h.bm25Rank, denseRank: h.denseRank, preview: this.#index.get(h.id)?.text.slice(0, 160) ?? '' });
    }
    if (admitted.length === 0) return 0;
    const tokens = admitted.reduce((n, s) => n + s.tokens, 0);
    const budget: BudgetLine = { maxTokens: this.#c.maxTokens(), usedBefore, usedAfter: ledger.used() };
    this.#c.emit({ type: 'recall', turn: this.#c.turn(), seq: this.#c.nextSeq(), query: query.slice(0, 160), spans: admitted, tokens, budget });
    return tokens;
  }
}
