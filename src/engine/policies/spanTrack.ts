import type { SparseVector } from '../embed/sparseVector.js';
import { grownTo } from '../core/grown.js';
import { FLAG_SENTENCE_START, type TokenRing } from '../core/tokenRing.js';
import { salience } from './salientFacts.js';
import { SpanVectors } from './spanVectors.js';
import { PolicyTimeout, type PolicyContext } from './types.js';

/** A sentence longer than this is split into pieces of this many tokens. */
export const MAX_SPAN = 64;

/**
 * A candidate span — a whole sentence (split at message boundaries and at 64 tokens) older than the
 * recent window — and what the policies learned about it. Made once, when it first becomes a
 * candidate: its text is decoded and its salience scored then, never again while it stays.
 */
export class TrackedSpan {
  /** Ledger position of the first token, and one past the last (a span's positions are consecutive). */
  readonly startPos: number;
  readonly endPos: number;
  readonly msg: number;
  readonly text: string;
  /** Salience of its text (salientFacts.ts). */
  readonly sal: number;
  /** Hybrid: the model embedding's nonzeros when it has one (lexical ones are pooled: SpanTrack.lex). */
  dense: SparseVector | undefined = undefined;
  /** Hybrid with model vectors: its last uniqueness, and the call that last saw it (the running sum holds it). */
  uniqueness = 0;
  seenAt = 0;
  /** Semantic: its per-embedder state, and which state that is. */
  semantic: unknown = undefined;
  semanticOwner: unknown = undefined;

  /** `fact`: the fact ledger's value of the span (PolicyContext.factValue: above any salience when it states a live fact). */
  constructor(startPos: number, endPos: number, msg: number, text: string, fact = 0) {
    this.startPos = startPos;
    this.endPos = endPos;
    this.msg = msg;
    this.text = text;
    this.sal = Math.max(fact, salience(text, endPos - startPos));
  }

  get tokens(): number {
    return this.endPos - this.startPos;
  }

  /** Its key while it stays in the window: first position and length (as probes and caches key spans). */
  get key(): number {
    return this.startPos * MAX_SPAN + (this.endPos - this.startPos);
  }
}

/** New spans made between two latency-budget checks. */
const CHECK_EVERY = 32;

/**
 * The candidate spans of one engine, kept between policy calls. A call does not rescan the window:
 * spans that left at the front are dropped, spans a policy evicted from the middle are removed by it
 * (`remove`), and only tokens that became candidates since the last call are split into new spans.
 * The spans always cover window tokens [0, covered) in order, so a span's ring index is the sum of
 * the lengths before it. When the window changed in a way the spans do not account for (another
 * code path evicted from the middle, a setting moved the limit back), the check at the start of
 * `sync` sees it and the spans are rebuilt from the window.
 */
export class SpanTrack {
  spans: TrackedSpan[] = [];
  /**
   * Columns of the spans, in span order (entry k is spans[k]'s; valid for [0, spans.length)): what
   * the policies' per-call passes read — every candidate's salience, tokens, first position and
   * message on every call — kept in typed arrays beside the span objects, so a pass over ~600-2,400
   * candidates reads contiguous memory instead of one scattered object per span.
   */
  sal = new Float64Array(256);
  tokens = new Int32Array(256);
  startPos = new Int32Array(256);
  msg = new Int32Array(256);
  /** The spans' lexical embeddings and their sum, in columns moved with these (hybrid's). */
  readonly lex = new SpanVectors();
  /** Window tokens [0, covered) are covered by `spans`. */
  covered = 0;
  /** Times the spans were found out of date and rebuilt from the window (the window changed under them). */
  rebuilds = 0;

  /** Brings the spans up to date with the window: the whole sentences older than the recent window. */
  sync(ctx: PolicyContext): readonly TrackedSpan[] {
    const ring = ctx.ledger.window;
    let limit = ring.length - ctx.window;
    while (limit > 0 && !(ring.flags(limit) & FLAG_SENTENCE_START)) limit--;
    if (limit <= 0) {
      this.#clear();
      return this.spans;
    }
    this.#dropFront(ctx, ring);
    if (!this.#consistent(ring)) {
      if (this.spans.length > 0 || this.covered > 0) this.#clear();
      this.rebuilds++;
    }
    while (this.covered > limit) {
      this.lex.drop(this.spans.length - 1);
      this.covered -= (this.spans.pop() as TrackedSpan).tokens;
    }
    this.#extend(ctx, ring, limit);
    return this.spans;
  }

  /** Removes the spans whose flag is 0 in `keep` (they were evicted from the middle of the window). */
  remove(keep: Uint8Array): void {
    const { spans, sal, tokens, startPos, msg, lex } = this;
    const n = spans.length;
    let w = 0;
    while (w < n && keep[w]) w++;
    // the kept runs after the first removed span move down, the columns by run (memmove)
    for (let k = w; k < n; ) {
      if (!keep[k]) {
        lex.drop(k);
        this.covered -= tokens[k++];
        continue;
      }
      let end = k + 1;
      while (end < n && keep[end]) end++;
      for (let j = k; j < end; j++) spans[w + j - k] = spans[j];
      sal.copyWithin(w, k, end);
      tokens.copyWithin(w, k, end);
      startPos.copyWithin(w, k, end);
      msg.copyWithin(w, k, end);
      lex.move(w, k, end);
      w += end - k;
      k = end;
    }
    spans.length = w;
  }

  #clear(): void {
    this.spans.length = 0;
    this.covered = 0;
    this.lex.clear();
  }

  /** Sets span k (an index up to spans.length) and its columns. */
  #put(k: number, sp: TrackedSpan): void {
    if (k >= this.sal.length) this.#grow(2 * k);
    if (k < this.spans.length) this.lex.drop(k);
    this.lex.reset(k);
    this.spans[k] = sp;
    this.sal[k] = sp.sal;
    this.tokens[k] = sp.endPos - sp.startPos;
    this.startPos[k] = sp.startPos;
    this.msg[k] = sp.msg;
  }

  #grow(size: number): void {
    this.sal = grownTo(this.sal, size);
    this.tokens = grownTo(this.tokens, size);
    this.startPos = grownTo(this.startPos, size);
    this.msg = grownTo(this.msg, size);
    this.lex.grow(size);
  }

  /** Drops spans evicted from the front; a span cut by a front eviction is made again from what is left. */
  #dropFront(ctx: PolicyContext, ring: TokenRing): void {
    const spans = this.spans;
    if (spans.length === 0 || ring.length === 0) return;
    const head = ring.pos(0);
    let drop = 0;
    let dropped = 0;
    while (drop < spans.length && spans[drop].endPos <= head) dropped += spans[drop++].tokens;
    if (drop > 0) {
      const n = spans.length;
      for (let k = 0; k < drop; k++) this.lex.drop(k);
      this.lex.move(0, drop, n);
      spans.splice(0, drop);
      this.sal.copyWithin(0, drop, n);
      this.tokens.copyWithin(0, drop, n);
      this.startPos.copyWithin(0, drop, n);
      this.msg.copyWithin(0, drop, n);
      this.covered -= dropped;
    }
    const first = spans[0];
    if (first && first.startPos < head) {
      const to = first.endPos - head;
      if (to > ring.length || ring.pos(to - 1) !== first.endPos - 1) return; // not consistent: rebuilt
      this.#put(0, new TrackedSpan(head, first.endPos, ring.msg(0), ctx.decode(ring.ids(0, to)), ctx.factValue(head, first.endPos)));
      this.covered -= first.tokens - to;
    }
  }

  /** Whether the spans still cover window tokens [0, covered) exactly (positions only increase in the ring). */
  #consistent(ring: TokenRing): boolean {
    const spans = this.spans;
    if (spans.length === 0) return this.covered === 0;
    const last = spans[spans.length - 1];
    return this.covered <= ring.length && ring.pos(0) === spans[0].startPos && ring.pos(this.covered - 1) === last.endPos - 1;
  }

  /** Splits window tokens [covered, limit) into new spans (sentence starts, message changes, 64 tokens). */
  #extend(ctx: PolicyContext, ring: TokenRing, limit: number): void {
    let start = this.covered;
    let made = 0;
    for (let i = start + 1; i <= limit; i++) {
      if (i === limit || ring.flags(i) & FLAG_SENTENCE_START || ring.msg(i) !== ring.msg(start) || i - start >= MAX_SPAN) {
        if (++made % CHECK_EVERY === 0 && ctx.timeUp()) throw new PolicyTimeout('scoring spans');
        const startPos = ring.pos(start);
        const endPos = ring.pos(i - 1) + 1;
        this.#put(this.spans.length, new TrackedSpan(startPos, endPos, ring.msg(start), ctx.decode(ring.ids(start, i)), ctx.factValue(startPos, endPos)));
        this.covered = i;
        start = i;
      }
    }
  }
}

/** The engine's span tracker (kept in the policy state, shared by every span policy). */
export function spanTrack(ctx: PolicyContext): SpanTrack {
  let t = ctx.state.get('spans') as SpanTrack | undefined;
  if (!t) ctx.state.set('spans', (t = new SpanTrack()));
  return t;
}
