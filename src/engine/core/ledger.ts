import type { MessageRange, RoleBreakdown } from '../../shared/protocol.js';
import { ROLES, type Role } from '../../shared/roles.js';
import { RunDeque } from './runDeque.js';
import { FLAG_FACT, FLAG_PINNED, FLAG_RECALLED, FLAG_SUMMARY, TokenRing } from './tokenRing.js';

/** Tokens the chat template adds around each message, per role, and for the generation prompt. */
export interface TemplateOverhead {
  perRole: RoleBreakdown;
  generationPrompt: number;
  /** Extra tokens when the prompt ends with an assistant message (Qwen3 adds an empty think block). */
  trailingAssistant: number;
}

const ASSISTANT = ROLES.indexOf('assistant');

/** An evicted span brought back by recall: its tokens, and where they sit in the conversation. */
export interface RecalledSpan {
  recallId: number;
  messageId: number;
  /** Offsets into the message's tokens. */
  from: number;
  to: number;
  startPos: number;
  ids: Int32Array;
  flags: Uint8Array;
  /**
   * Held by the facts share (a live fact's sentence kept out of the window, facts/ledger.ts), not brought back
   * by recall: recall never releases it, and it counts in heldTokens, not recalledTokens.
   */
  held?: boolean;
}

export const roleIndex = (role: Role): number => ROLES.indexOf(role);

/**
 * The rolling summary in the context: the tokens of a summary message that stands in for evicted
 * spans. It sits, in conversation order, where the first summarized token was.
 */
export interface SummarySpan {
  messageId: number;
  startPos: number;
  ids: Int32Array;
  flags: Uint8Array;
}

/**
 * The message-aware token ledger: pinned tokens and the unpinned window in two typed-array rings,
 * with per-role and per-message counters kept incrementally so that the budget line is O(1).
 */
export class Ledger {
  readonly pinned = new TokenRing(256);
  readonly window: TokenRing;
  readonly pinnedRuns = new RunDeque();
  readonly windowRuns = new RunDeque();
  readonly overhead: TemplateOverhead;
  #overheadByIndex: Int32Array;
  #nextPos = 0;
  #msgCount = 0;
  #msgRole = new Uint8Array(64);
  #msgStart = new Int32Array(64);
  #msgTokens = new Int32Array(64);
  #msgTurn = new Int32Array(64);
  #msgRetained = new Int32Array(64);
  #contentByRole = new Int32Array(ROLES.length);
  #recalled: RecalledSpan[] = [];
  #recalledTokens = 0;
  #heldTokens = 0;
  #summary: SummarySpan | undefined;
  #lastConversationMessage = -1;
  #messagesByRole = new Int32Array(ROLES.length);
  /** A restored window whose positions do not ascend (a session saved out of order): compact rebuilds its runs. */
  #windowUnordered = false;

  constructor(overhead: TemplateOverhead, capacity = 1024) {
    this.overhead = overhead;
    this.#overheadByIndex = Int32Array.from(ROLES, (r) => overhead.perRole[r]);
    this.window = new TokenRing(capacity);
  }

  get nextPos(): number {
    return this.#nextPos;
  }
  get messageCount(): number {
    return this.#msgCount;
  }
  get pinnedTokens(): number {
    return this.pinned.length;
  }
  get retainedTokens(): number {
    return this.pinned.length + this.window.length + this.#recalledTokens + this.#heldTokens + this.summaryTokens;
  }
  get summaryTokens(): number {
    return this.#summary?.ids.length ?? 0;
  }
  /** The rolling summary in the context, if any (there is at most one: each folds in the last). */
  get summary(): SummarySpan | undefined {
    return this.#summary;
  }

  /** Puts a summary message's tokens into the context (replacing none: call `removeSummary` first). */
  setSummary(span: SummarySpan): void {
    if (this.#summary) throw new Error('the context already has a summary');
    this.#summary = span;
    this.#count(span.messageId, span.ids.length);
  }

  /** Takes the summary out of the context; returns it. */
  removeSummary(): SummarySpan | undefined {
    const span = this.#summary;
    if (!span) return undefined;
    this.#summary = undefined;
    this.#count(span.messageId, -span.ids.length);
    return span;
  }

  /**
   * Registers a message that is not part of the conversation's token stream (a summary): it has an
   * id, a role and a place in conversation order (startPos) but does not move nextPos.
   */
  addDetachedMessage(role: Role, turn: number, startPos: number, tokens: number): number {
    const id = this.#msgCount++;
    this.#ensureMessages(this.#msgCount);
    this.#msgRole[id] = roleIndex(role);
    this.#msgStart[id] = startPos;
    this.#msgTokens[id] = tokens;
    this.#msgTurn[id] = turn;
    this.#msgRetained[id] = 0;
    return id;
  }
  get recalledTokens(): number {
    return this.#recalledTokens;
  }
  /** Tokens of fact sentences held by the facts share (in `recalled`, marked `held`). */
  get heldTokens(): number {
    return this.#heldTokens;
  }
  /** Recalled spans, in position order. */
  get recalled(): readonly RecalledSpan[] {
    return this.#recalled;
  }

  /** Whether a held span (facts share) overlaps positions [startPos, endPos). */
  heldIn(startPos: number, endPos: number): boolean {
    if (this.#heldTokens === 0) return false;
    for (const r of this.#recalled) if (r.held && r.startPos < endPos && r.startPos + r.ids.length > startPos) return true;
    return false;
  }

  /** Brings an evicted span back into the context (kept apart from the window, in position order). */
  addRecalled(span: RecalledSpan): void {
    let at = this.#recalled.length;
    while (at > 0 && this.#recalled[at - 1].startPos > span.startPos) at--;
    this.#recalled.splice(at, 0, span);
    this.#count(span.messageId, span.ids.length);
    if (span.held) this.#heldTokens += span.ids.length;
    else this.#recalledTokens += span.ids.length;
  }

  /**
   * Drops the recalled spans `keep` says no to, in one pass (a recall swaps most of its set at once);
   * returns them in position order.
   */
  releaseRecalled(keep: (span: RecalledSpan) => boolean): RecalledSpan[] {
    const all = this.#recalled;
    const released: RecalledSpan[] = [];
    let w = 0;
    for (let r = 0; r < all.length; r++) {
      const span = all[r];
      if (keep(span)) all[w++] = span;
      else {
        released.push(span);
        this.#count(span.messageId, -span.ids.length);
        if (span.held) this.#heldTokens -= span.ids.length;
        else this.#recalledTokens -= span.ids.length;
      }
    }
    all.length = w;
    return released;
  }

  /** Adjusts a message's retained-token counters by delta tokens. */
  #count(msg: number, delta: number): void {
    const r = this.#msgRole[msg];
    const before = this.#msgRetained[msg];
    this.#msgRetained[msg] += delta;
    this.#contentByRole[r] += delta;
    if (before === 0 && delta > 0) this.#messagesByRole[r]++;
    if (before > 0 && this.#msgRetained[msg] === 0) this.#messagesByRole[r]--;
  }
  messageRole(id: number): Role {
    return ROLES[this.#msgRole[id]];
  }
  messageStart(id: number): number {
    return this.#msgStart[id];
  }
  messageTokens(id: number): number {
    return this.#msgTokens[id];
  }
  messageTurn(id: number): number {
    return this.#msgTurn[id];
  }
  messageRetained(id: number): number {
    return this.#msgRetained[id];
  }

  /** Tokens the context takes: retained content + template overhead of messages with tokens + generation prompt. */
  used(): number {
    let total = this.overhead.generationPrompt + this.#trailingExtra();
    for (let r = 0; r < ROLES.length; r++) total += this.#contentByRole[r] + this.#messagesByRole[r] * this.#overheadByIndex[r];
    return total;
  }

  #trailingExtra(): number {
    // the last message of the conversation (a summary is not part of it, whatever its id)
    const last = this.#lastConversationMessage;
    return last >= 0 && this.#msgRole[last] === ASSISTANT && this.#msgRetained[last] > 0 ? this.overhead.trailingAssistant : 0;
  }

  /** Per-role share of `used()` (without the generation prompt; a trailing assistant's extra counts as assistant). */
  byRole(): RoleBreakdown {
    const out = {} as RoleBreakdown;
    for (let r = 0; r < ROLES.length; r++) out[ROLES[r]] = this.#contentByRole[r] + this.#messagesByRole[r] * this.#overheadByIndex[r];
    out.assistant += this.#trailingExtra();
    return out;
  }

  /** What evicting the whole message would give back beyond its tokens (its template overhead). */
  overheadOf(id: number): number {
    return this.#overheadByIndex[this.#msgRole[id]];
  }

  /**
   * Appends a message's tokens. `flags` carries per-token sentence flags (FLAG_SENTENCE_START; only its first ids.length entries are read);
   * the pinned and message-start bits are added here. Returns the new message id.
   */
  addMessage(role: Role, turn: number, pinned: boolean, ids: ArrayLike<number>, flags: ArrayLike<number>, startPos = this.#nextPos): number {
    const id = this.#msgCount++;
    this.#ensureMessages(this.#msgCount);
    this.#lastConversationMessage = id;
    const r = roleIndex(role);
    if (r < 0) throw new Error(`unknown role "${role}"`);
    this.#msgRole[id] = r;
    this.#msgStart[id] = startPos;
    this.#msgTokens[id] = ids.length;
    this.#msgTurn[id] = turn;
    this.#msgRetained[id] = 0;
    this.#nextPos = startPos + ids.length;
    if (ids.length === 0) return id;
    const ring = pinned ? this.pinned : this.window;
    const runs = pinned ? this.pinnedRuns : this.windowRuns;
    ring.pushMessage(ids, flags, pinned ? FLAG_PINNED : 0, startPos, id);
    runs.pushRun(id, startPos, ids.length);
    this.#msgRetained[id] = ids.length;
    this.#contentByRole[r] += ids.length;
    this.#messagesByRole[r]++;
    return id;
  }

  /**
   * Restores retained tokens of an existing message (session load): `from` is the offset of the
   * first token inside the message.
   */
  restoreTokens(id: number, from: number, ids: ArrayLike<number>, flags: ArrayLike<number>): void {
    if (ids.length > 0 && flags[0] & FLAG_SUMMARY) {
      this.setSummary({ messageId: id, startPos: this.#msgStart[id], ids: Int32Array.from(ids), flags: Uint8Array.from(flags) });
      return;
    }
    if (ids.length > 0 && flags[0] & (FLAG_RECALLED | FLAG_FACT)) {
      const start = this.#msgStart[id] + from;
      const held = (flags[0] & FLAG_FACT) !== 0;
      this.addRecalled({ recallId: held ? -1 : this.#recalled.length, messageId: id, from, to: from + ids.length, startPos: start, ids: Int32Array.from(ids), flags: Uint8Array.from(flags), ...(held ? { held } : {}) });
      return;
    }
    const pinnedRun = (flags[0] & FLAG_PINNED) !== 0;
    const ring = pinnedRun ? this.pinned : this.window;
    const runs = pinnedRun ? this.pinnedRuns : this.windowRuns;
    const r = this.#msgRole[id];
    const start = this.#msgStart[id] + from;
    if (!pinnedRun && ids.length > 0 && ring.length > 0 && start <= ring.pos(ring.length - 1)) this.#windowUnordered = true;
    for (let i = 0; i < ids.length; i++) {
      ring.push(ids[i], start + i, id, flags[i]);
      runs.pushToken(id, start + i);
    }
    if (this.#msgRetained[id] === 0 && ids.length > 0) this.#messagesByRole[r]++;
    this.#msgRetained[id] += ids.length;
    this.#contentByRole[r] += ids.length;
  }

  /**
   * Puts tokens of message `id` back into the window at their positions (a fact sentence the facts share
   * lets go: it is under the policy again, as if it had never left). Rebuilds the ring and its runs: O(window),
   * for a rare event. The positions must not be in the context already.
   */
  insertWindow(id: number, startPos: number, ids: ArrayLike<number>, flags: ArrayLike<number>): void {
    const ring = this.window;
    const n = ring.length;
    const old = { ids: ring.ids(0, n), pos: new Int32Array(n), msg: new Int32Array(n), flags: new Uint8Array(n) };
    for (let i = 0; i < n; i++) {
      old.pos[i] = ring.pos(i);
      old.msg[i] = ring.msg(i);
      old.flags[i] = ring.flags(i);
    }
    ring.clear();
    this.windowRuns.clear();
    let k = 0;
    const push = (tid: number, pos: number, msg: number, f: number): void => {
      ring.push(tid, pos, msg, f);
      this.windowRuns.pushToken(msg, pos);
    };
    const pushNew = (): void => {
      push(ids[k], startPos + k, id, flags[k] & ~FLAG_FACT);
      k++;
    };
    for (let i = 0; i < n; i++) {
      while (k < ids.length && startPos + k < old.pos[i]) pushNew();
      push(old.ids[i], old.pos[i], old.msg[i], old.flags[i]);
    }
    while (k < ids.length) pushNew();
    this.#count(id, ids.length);
  }

  /** Registers a message without tokens in the window (session load). */
  restoreMessage(role: Role, turn: number, startPos: number, tokens: number, detached = false): number {
    const id = this.addDetachedMessage(role, turn, startPos, tokens);
    if (!detached) {
      this.#nextPos = Math.max(this.#nextPos, startPos + tokens);
      this.#lastConversationMessage = id;
    }
    return id;
  }

  /**
   * Evicts window tokens [from, to) from anywhere in the window (span policies): the ring's shorter
   * side moves and the runs are cut (see `compact`). Returns the message ranges the tokens covered.
   */
  evictRange(from: number, to: number): MessageRange[] {
    if (from === 0) return this.evictFront(to);
    const ranges = this.releaseRange(from, to);
    this.compact([{ from, to }]);
    return ranges;
  }

  /**
   * Takes window tokens [from, to) out of the budget (counters) without moving them yet; call
   * `compact` once with every released range. Lets a policy evict many spans in one O(window) pass.
   */
  releaseRange(from: number, to: number): MessageRange[] {
    const ring = this.window;
    const ranges: MessageRange[] = [];
    for (let i = from; i < to; ) {
      const msg = ring.msg(i);
      let j = i + 1;
      while (j < to && ring.msg(j) === msg && ring.pos(j) === ring.pos(j - 1) + 1) j++;
      const start = ring.pos(i) - this.#msgStart[msg];
      ranges.push({ messageId: msg, from: start, to: start + (j - i) });
      this.#count(msg, -(j - i));
      i = j;
    }
    return ranges;
  }

  /**
   * Removes released ranges (ascending, disjoint) from the window ring, moving its shorter side, and
   * cuts the same positions out of its runs (runs before the first range and those between the ranges
   * stay as they are, tags included).
   */
  compact(ranges: readonly { from: number; to: number }[]): void {
    const ring = this.window;
    if (this.#windowUnordered) {
      // a restored window whose positions do not ascend: its runs are rebuilt token by token
      ring.removeMany(ranges);
      this.windowRuns.clear();
      for (let i = 0; i < ring.length; i++) this.windowRuns.pushToken(ring.msg(i), ring.pos(i));
      return;
    }
    // each range as the positions it covers (positions ascend along the ring: [first, last + 1))
    const cuts: number[] = [];
    for (const r of ranges) if (r.to > r.from) cuts.push(ring.pos(r.from), ring.pos(r.to - 1) + 1);
    ring.removeMany(ranges);
    this.windowRuns.cut(cuts);
  }

  /** Evicts the oldest n unpinned tokens; returns the message ranges they covered. O(runs touched). */
  evictFront(n: number): MessageRange[] {
    if (n > this.window.length) throw new RangeError(`cannot evict ${n} of ${this.window.length} tokens`);
    const ranges: MessageRange[] = [];
    let left = n;
    while (left > 0) {
      const msg = this.windowRuns.msg(0);
      const k = Math.min(left, this.windowRuns.count(0));
      const from = this.windowRuns.start(0) - this.#msgStart[msg];
      ranges.push({ messageId: msg, from, to: from + k });
      this.windowRuns.shrinkFirst(k);
      const r = this.#msgRole[msg];
      this.#contentByRole[r] -= k;
      this.#msgRetained[msg] -= k;
      if (this.#msgRetained[msg] === 0) this.#messagesByRole[r]--;
      left -= k;
    }
    this.window.shift(n);
    return ranges;
  }

  #ensureMessages(n: number): void {
    if (n <= this.#msgRole.length) return;
    const cap = Math.max(n, this.#msgRole.length * 2);
    const grow = <T extends Int32Array | Uint8Array>(a: T, make: (c: number) => T): T => {
      const out = make(cap);
      out.set(a);
      return out;
    };
    this.#msgRole = grow(this.#msgRole, (c) => new Uint8Array(c));
    this.#msgStart = grow(this.#msgStart, (c) => new Int32Array(c));
    this.#msgTokens = grow(this.#msgTokens, (c) => new Int32Array(c));
    this.#msgTurn = grow(this.#msgTurn, (c) => new Int32Array(c));
    this.#msgRetained = grow(this.#msgRetained, (c) => new Int32Array(c));
  }
}
