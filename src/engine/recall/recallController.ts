import type { BudgetLine, EngineEvent, RecalledSpanData } from '../../shared/protocol.js';
import { knapsack, type KnapsackItem } from '../policies/knapsack.js';
import type { Ledger, RecalledSpan } from '../core/ledger.js';
import { type LexicalBackend, LexicalIndex } from './lexical.js';
import type { RecallIndexOptions } from './recallIndex.js';
import { FLAG_RECALLED, FLAG_SENTENCE_START } from '../core/tokenRing.js';
import type { Tokenizer } from '../core/tokenizer.js';

/** Longest span indexed for recall, in tokens (long sentences are split). */
const MAX_SPAN = 64;
/** Hits scoring below this share of the best hit's BM25 score are not recalled (no filler). */
const RELATIVE_CUT = 0.3;
const CANDIDATES = 16;
/** Reciprocal rank fusion's constant (RecallIndex's default): a hit's value is 1 / (RRF_K + rank). */
const RRF_K = 60;
/**
 * The index keeps the most recent evicted spans up to this many (~60k+ tokens): a BM25 query costs
 * O(documents matching its terms), so an unbounded index made a long replay quadratic (profiled:
 * 8,000 messages took minutes). The oldest spans leave the index first.
 */
export const MAX_INDEXED = 4096;
/** How much more a hit that states a live fact is worth when not every relevant hit fits. */
const FACT_WEIGHT = 2;
/** Recalled spans may always take this many tokens (a fact sentence or two), even under a small budget. */
const MIN_CAP = 48;

/** An indexed span: where its tokens are in the controller's token store, or its own copy once admitted. */
interface SpanRecord {
  messageId: number;
  /** Offset into the message's tokens. */
  from: number;
  startPos: number;
  /** Absolute offset of its tokens in the token store, and their number. */
  off: number;
  len: number;
  /**
   * Set when the span is first admitted: views of its slots in the token store (no copy per admission;
   * a recall swaps ~15 spans a turn), given arrays of their own before those slots are reused.
   */
  span: RecalledSpan | undefined;
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
  /**
   * Whether positions [startPos, endPos) must not be recalled: they state a fact that is superseded or
   * forgotten (recall never brings back a stale value), or the facts share holds them in the context already.
   */
  blocked?: (startPos: number, endPos: number) => boolean;
  /** Whether positions [startPos, endPos) state a live fact (the fact ledger): such a hit is worth more. */
  statesFact?: (startPos: number, endPos: number) => boolean;
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
  #lexical: LexicalBackend;
  #spans = new Map<number, SpanRecord>();
  /**
   * The indexed span ids oldest first, without walking the map from its start: a Map keeps a deleted
   * entry as a hole until it rehashes, so iterating from its oldest entry (to find the span to forget
   * and the spans whose store slots are reused) skipped up to thousands of holes on every span indexed
   * (~a third of indexing's CPU time in a profile of the 1,600-turn replay). `#kept` are the spans older
   * than `#order[#head]` still indexed (skipped by #forgetOldest because they were in the context), in
   * commit order; every id from `#head` on was indexed in that order and is still indexed.
   */
  #order: number[] = [];
  #head = 0;
  #kept: number[] = [];
  #nextId = 0;
  /**
   * Token ids and flags (| FLAG_RECALLED) of the indexed spans, one ring for all (no arrays per span):
   * a span's tokens are contiguous at absolute offsets [off, off + len) (slot = offset & (capacity − 1)).
   * Before slots are reused, an indexed span still in them grows the ring (up to what the index cap
   * needs) or gets its own copy.
   */
  #tokIds: Int32Array;
  #tokFlags: Uint8Array;
  /** Enough slots for every span the index holds (and the padding at the ring's end): it grows no further. */
  readonly #maxSlots: number;
  #end = 0;
  /** A sentence whose head was evicted and whose tail is still in the window: its head tokens. */
  #pendIds = new Int32Array(MAX_SPAN);
  #pendFlags = new Uint8Array(MAX_SPAN);
  #pendLen = 0;
  #pendMsg = 0;
  #pendStart = 0;
  // recallFor's scratch: the relevant hits' ranks, records, costs and whether the knapsack keeps them
  #rel = new Int32Array(CANDIDATES);
  #relRec: (SpanRecord | undefined)[] = new Array<SpanRecord | undefined>(CANDIDATES).fill(undefined);
  #relCost = new Int32Array(CANDIDATES);
  #relKeep = new Uint8Array(CANDIDATES);

  constructor(context: RecallContext) {
    this.#c = context;
    this.#maxSlots = 2 ** Math.ceil(Math.log2(MAX_SPAN * 2 * ((context.maxIndexed ?? MAX_INDEXED) + 2)));
    this.#tokIds = new Int32Array(Math.min(1 << 14, this.#maxSlots));
    this.#tokFlags = new Uint8Array(this.#tokIds.length);
    const options = context.indexOptions ?? {};
    this.#lexical = options.lexical ? options.lexical({ prefix: options.prefix }) : new LexicalIndex(options);
  }

  get indexed(): number {
    return this.#lexical.size;
  }

  /**
   * Indexes window tokens [0, n) of the ledger before they are evicted, one span per sentence. A
   * sentence cut by this eviction is held back and completed by the next one (sliding evicts the
   * rest of a cut sentence right away), so a fact is indexed, and recalled, whole.
   */
  indexEvicted(n: number): void {
    const ring = this.#c.ledger.window;
    let head = this.#pendLen;
    this.#pendLen = 0;
    if (head > 0 && (ring.msg(0) !== this.#pendMsg || ring.pos(0) !== this.#pendStart + head)) {
      this.#commit(this.#pendMsg, this.#pendStart, head, 0, 0);
      head = 0;
    }
    let msg = head > 0 ? this.#pendMsg : ring.msg(0);
    let startPos = head > 0 ? this.#pendStart : ring.pos(0);
    let start = 0;
    const continuing = head > 0;
    for (let i = 0; i < n; i++) {
      if (i > 0 || !continuing) {
        const len = head + i - start;
        if (len > 0 && (ring.msg(i) !== msg || (ring.flags(i) & FLAG_SENTENCE_START) !== 0 || len >= MAX_SPAN)) {
          this.#commit(msg, startPos, head, start, i);
          head = 0;
          start = i;
          msg = ring.msg(i);
          startPos = ring.pos(i);
        }
      }
    }
    const len = head + n - start;
    const continues = n < ring.length && ring.msg(n) === msg && (ring.flags(n) & FLAG_SENTENCE_START) === 0 && len < MAX_SPAN;
    if (continues) {
      // hold the head back: its tokens leave the window now
      for (let i = start; i < n; i++) {
        this.#pendIds[head + i - start] = ring.id(i);
        this.#pendFlags[head + i - start] = ring.flags(i) | FLAG_RECALLED;
      }
      this.#pendLen = len;
      this.#pendMsg = msg;
      this.#pendStart = startPos;
    } else if (len > 0) this.#commit(msg, startPos, head, start, n);
  }

  /** Indexes whole-sentence window tokens [from, to) evicted from the middle of the window. */
  indexRange(from: number, to: number): void {
    const ring = this.#c.ledger.window;
    let start = from;
    let msg = ring.msg(from);
    let startPos = ring.pos(from);
    for (let i = from; i < to; i++) {
      const len = i - start;
      if (len > 0 && (ring.msg(i) !== msg || (i > from && (ring.flags(i) & FLAG_SENTENCE_START) !== 0) || len >= MAX_SPAN)) {
        this.#commit(msg, startPos, 0, start, i);
        start = i;
        msg = ring.msg(i);
        startPos = ring.pos(i);
      }
    }
    if (to > start) this.#commit(msg, startPos, 0, start, to);
  }

  /**
   * Indexes one span: the held-back head (its first `head` tokens, from the pending buffers) then window
   * tokens [a, b), or, with `source`, those arrays' tokens.
   */
  #commit(messageId: number, startPos: number, head: number, a: number, b: number, source?: { ids: ArrayLike<number>; flags: ArrayLike<number> }): void {
    const { ledger, tokenizer } = this.#c;
    const len = source ? source.ids.length : head + b - a;
    const off = this.#reserve(len);
    const at = off & (this.#tokIds.length - 1);
    const ids = this.#tokIds;
    const flags = this.#tokFlags;
    if (source) {
      for (let i = 0; i < len; i++) {
        ids[at + i] = source.ids[i];
        flags[at + i] = source.flags[i] | FLAG_RECALLED;
      }
    } else {
      for (let i = 0; i < head; i++) {
        ids[at + i] = this.#pendIds[i];
        flags[at + i] = this.#pendFlags[i];
      }
      const ring = ledger.window;
      for (let i = a; i < b; i++) {
        ids[at + head + i - a] = ring.id(i);
        flags[at + head + i - a] = ring.flags(i) | FLAG_RECALLED;
      }
    }
    this.#end = off + len;
    const id = this.#nextId++;
    // the text is for the index only and is not kept: held by thousands of indexed spans, each text outlived
    // the young generation and was copied out of it (a recall event previews an admitted span by decoding it)
    this.#spans.set(id, { messageId, from: startPos - ledger.messageStart(messageId), startPos, off, len, span: undefined });
    this.#order.push(id);
    this.#lexical.add(id, tokenizer.decode(ids.subarray(at, at + len)));
    if (this.#spans.size > (this.#c.maxIndexed ?? MAX_INDEXED)) this.#forgetOldest();
  }

  /** Where the next span's `len` tokens go (contiguous slots), once no indexed span needs those slots. */
  #reserve(len: number): number {
    for (;;) {
      const cap = this.#tokIds.length;
      let off = this.#end;
      // a span never wraps around the end of the ring
      if ((off & (cap - 1)) + len > cap) off += cap - (off & (cap - 1));
      const reused = off + len - cap; // offsets below this lose their slots
      if (len > cap) {
        this.#grow();
        continue;
      }
      // spans are in offset order: the kept ones, then the order from its head
      let blocked = false;
      const kept = this.#kept;
      const order = this.#order;
      const all = kept.length + order.length - this.#head;
      for (let k = 0; k < all; k++) {
        const rec = this.#spans.get(k < kept.length ? kept[k] : order[this.#head + k - kept.length]) as SpanRecord;
        if (rec.off >= reused) break;
        if (rec.span && rec.span.ids.buffer !== this.#tokIds.buffer) continue; // its own arrays already
        if (cap < this.#maxSlots) {
          blocked = true;
          break;
        }
        this.#own(rec);
      }
      if (!blocked) return off;
      this.#grow();
    }
  }

  #grow(): void {
    const cap = this.#tokIds.length;
    const old = this.#tokIds.buffer;
    const ids = new Int32Array(cap * 2);
    const flags = new Uint8Array(cap * 2);
    for (let o = Math.max(0, this.#end - cap); o < this.#end; o++) {
      ids[o & (2 * cap - 1)] = this.#tokIds[o & (cap - 1)];
      flags[o & (2 * cap - 1)] = this.#tokFlags[o & (cap - 1)];
    }
    this.#tokIds = ids;
    this.#tokFlags = flags;
    // admitted spans viewing the old store view the new one (the old arrays are let go)
    for (const rec of this.#spans.values()) {
      if (rec.span && rec.span.ids.buffer === old) {
        const at = rec.off & (ids.length - 1);
        rec.span.ids = ids.subarray(at, at + rec.len);
        rec.span.flags = flags.subarray(at, at + rec.len);
      }
    }
  }

  /** The span's tokens in arrays of its own (before its slots in the store are reused). */
  #own(rec: SpanRecord): void {
    const at = rec.off & (this.#tokIds.length - 1);
    const ids = this.#tokIds.slice(at, at + rec.len);
    const flags = this.#tokFlags.slice(at, at + rec.len);
    if (rec.span) {
      rec.span.ids = ids;
      rec.span.flags = flags;
    } else rec.span = { recallId: -1, messageId: rec.messageId, from: rec.from, to: rec.from + rec.len, startPos: rec.startPos, ids, flags };
  }

  /** The indexed span `id` as the ledger takes it (made once: views of its slots in the store, see SpanRecord.span). */
  #spanOf(id: number, rec: SpanRecord): RecalledSpan {
    if (rec.span) {
      rec.span.recallId = id;
      return rec.span;
    }
    const at = rec.off & (this.#tokIds.length - 1);
    rec.span = { recallId: id, messageId: rec.messageId, from: rec.from, to: rec.from + rec.len, startPos: rec.startPos, ids: this.#tokIds.subarray(at, at + rec.len), flags: this.#tokFlags.subarray(at, at + rec.len) };
    return rec.span;
  }

  /** Drops the oldest indexed span that is not in the context now. */
  #forgetOldest(): void {
    const inContext = this.#c.ledger.recalled;
    const kept = this.#kept;
    for (let k = 0; k < kept.length; k++) {
      const id = kept[k];
      if (inContext.some((r) => r.recallId === id)) continue;
      kept.splice(k, 1);
      this.#forget(id);
      return;
    }
    const order = this.#order;
    while (this.#head < order.length) {
      const id = order[this.#head++];
      if (this.#head >= 4096 && 2 * this.#head >= order.length) {
        order.splice(0, this.#head);
        this.#head = 0;
      }
      if (inContext.some((r) => r.recallId === id)) {
        kept.push(id);
        continue;
      }
      this.#forget(id);
      return;
    }
  }

  #forget(id: number): void {
    this.#spans.delete(id);
    this.#lexical.remove(id);
  }

  /** What a session stores so a restored engine recalls exactly as this one would. */
  exportState(): RecallState {
    const spans: RecallState['spans'] = [];
    for (const [id, rec] of this.#spans) spans.push({ id, messageId: rec.messageId, from: rec.from, to: rec.from + rec.len });
    const { ledger } = this.#c;
    const pendFrom = this.#pendStart - (this.#pendLen > 0 ? ledger.messageStart(this.#pendMsg) : 0);
    return {
      nextId: this.#nextId,
      spans,
      recalled: ledger.recalled.map((r) => r.recallId),
      ...(this.#pendLen > 0 ? { pending: { messageId: this.#pendMsg, from: pendFrom, to: pendFrom + this.#pendLen } } : {}),
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
      return { ids: t.ids.subarray(from, to), flags: t.flags.subarray(from, to) };
    };
    for (const sp of state.spans) {
      this.#nextId = sp.id;
      this.#commit(sp.messageId, ledger.messageStart(sp.messageId) + sp.from, 0, 0, 0, slice(sp.messageId, sp.from, sp.to));
    }
    this.#nextId = state.nextId;
    if (state.pending) {
      const { messageId, from, to } = state.pending;
      const head = slice(messageId, from, to);
      if (this.#pendIds.length < head.ids.length) {
        this.#pendIds = new Int32Array(head.ids.length);
        this.#pendFlags = new Uint8Array(head.ids.length);
      }
      for (let i = 0; i < head.ids.length; i++) {
        this.#pendIds[i] = head.ids[i];
        this.#pendFlags[i] = head.flags[i] | FLAG_RECALLED;
      }
      this.#pendLen = head.ids.length;
      this.#pendMsg = messageId;
      this.#pendStart = ledger.messageStart(messageId) + from;
    }
    if (state.recalled.length !== ledger.recalled.length) throw new Error(`session lists ${state.recalled.length} recalled spans, its ledger has ${ledger.recalled.length}`);
    ledger.recalled.forEach((r, i) => {
      r.recallId = state.recalled[i];
    });
  }

  /** Retrieves spans for a new user message and swaps the recalled set; returns tokens admitted. */
  recallFor(query: string): number {
    const { ledger } = this.#c;
    const cap = Math.max(0, Math.min(Math.max(MIN_CAP, Math.floor(this.#c.share() * this.#c.maxTokens())), this.#c.maxTokens() - this.#c.window() - ledger.pinnedTokens - ledger.overhead.generationPrompt - 8));
    // BM25 alone: a hit's fused score is 1 / (RRF_K + rank) (what RecallIndex gives without embeddings)
    const hits = this.#lexical.rank(query, undefined, CANDIDATES);
    const blocked = this.#c.blocked;
    const isBlocked = (id: number): boolean => {
      if (!blocked) return false;
      const rec = this.#spans.get(id) as SpanRecord;
      return blocked(rec.startPos, rec.startPos + rec.len);
    };
    let best = 0;
    for (let i = 0; i < hits.length; i++) if (!isBlocked(hits[i].id)) best = Math.max(best, hits[i].score);
    if (hits.length > this.#rel.length) {
      this.#rel = new Int32Array(hits.length);
      this.#relRec = new Array<SpanRecord | undefined>(hits.length).fill(undefined);
      this.#relCost = new Int32Array(hits.length);
      this.#relKeep = new Uint8Array(hits.length);
    }
    // the relevant hits (k-th: hits[rel[k]], its record and cost), in rank order, in reused scratch
    const rel = this.#rel;
    const recs = this.#relRec;
    const costs = this.#relCost;
    const keep = this.#relKeep;
    let n = 0;
    let total = 0;
    for (let i = 0; i < hits.length; i++) {
      if (hits[i].score < best * RELATIVE_CUT || isBlocked(hits[i].id)) continue;
      const rec = this.#spans.get(hits[i].id) as SpanRecord;
      const cost = rec.len + ledger.overheadOf(rec.messageId);
      rel[n] = i;
      recs[n] = rec;
      costs[n] = cost;
      n++;
      total += cost;
    }
    // every item fits (and every value is > 0): the knapsack's optimum is all of them
    if (total <= cap) keep.fill(1, 0, n);
    else {
      const items: KnapsackItem[] = [];
      // a hit that states a live fact (the fact ledger) is worth twice its rank's value: what users ask of a
      // chat is mostly what they told it, and near-equal rank values otherwise let two short hits push it out
      const stated = this.#c.statesFact;
      for (let k = 0; k < n; k++) {
        const rec = recs[k] as SpanRecord;
        const fact = stated && stated(rec.startPos, rec.startPos + rec.len) ? FACT_WEIGHT : 1;
        items.push({ cost: costs[k], value: fact / (RRF_K + rel[k] + 1) });
      }
      keep.fill(0, 0, n);
      for (const k of knapsack(items, cap).chosen) keep[k] = 1;
    }
    const kept = (id: number): boolean => {
      for (let k = 0; k < n; k++) if (keep[k] === 1 && hits[rel[k]].id === id) return true;
      return false;
    };
    const usedBeforeExpiry = ledger.used();
    const leaving = ledger.releaseRecalled((r) => r.held === true || kept(r.recallId));
    this.#c.expire(leaving, 'no longer among the evicted spans most relevant to the latest message', usedBeforeExpiry);
    const usedBefore = ledger.used();
    const admitted: RecalledSpanData[] = [];
    let tokens = 0;
    for (let k = 0; k < n; k++) {
      if (keep[k] === 0) continue;
      const i = rel[k];
      const id = hits[i].id;
      if (this.#recalledNow(id)) continue;
      const rec = recs[k] as SpanRecord;
      const span = this.#spanOf(id, rec);
      ledger.addRecalled(span);
      tokens += span.ids.length;
      // the span's text is what decoding its ids gives (it was indexed as that text)
      admitted.push({ messageId: span.messageId, from: span.from, to: span.to, startPos: span.startPos, endPos: span.startPos + span.ids.length, tokens: span.ids.length, score: 1 / (RRF_K + i + 1), bm25Rank: i + 1, denseRank: undefined, preview: this.#c.tokenizer.decode(span.ids).slice(0, 160) });
    }
    recs.fill(undefined, 0, n);
    if (admitted.length === 0) return 0;
    const budget: BudgetLine = { maxTokens: this.#c.maxTokens(), usedBefore, usedAfter: ledger.used() };
    this.#c.emit({ type: 'recall', turn: this.#c.turn(), seq: this.#c.nextSeq(), query: query.slice(0, 160), spans: admitted, tokens, budget });
    return tokens;
  }

  /** Whether the ledger's recalled spans hold `id` now. */
  #recalledNow(id: number): boolean {
    const recalled = this.#c.ledger.recalled;
    for (let r = 0; r < recalled.length; r++) if (recalled[r].recallId === id) return true;
    return false;
  }
}
