import type { FactRow, FactState, FactValue } from '../../shared/protocol.js';
import type { FactStatement } from './extract.js';

/** Rows a facts event carries at most (the newest; `total` counts them all). */
export const MAX_FACT_ROWS = 300;
/** Older values a row lists at most (newest first). */
const MAX_HISTORY = 8;
/** A row's sentence text is cut to this many characters. */
const MAX_TEXT = 300;

/** One statement of a fact, where it is in the conversation, and what superseded it. */
export interface Statement extends Omit<FactStatement, 'valueKind'> {
  id: number;
  /** holder + attribute: a later statement with the same key supersedes this one. */
  key: string;
  messageId: number;
  turn: number;
  /** Tokens [from, to) of its message: the sentence that states it. */
  from: number;
  to: number;
  startPos: number;
  text: string;
  source: 'rules' | 'model';
  /** The statement that superseded it, or -1 while it is the latest of its key. */
  supersededBy: number;
}

/** A fact ledger as a session stores it. */
export interface FactLedgerState {
  statements: Omit<Statement, 'key'>[];
  /** Keys pinned and forgotten by the user, as [holder, attribute]. */
  pinned: [string, string][];
  forgotten: [string, string][];
}

const keyOf = (holder: string, attribute: string): string => `${holder}\u0000${attribute}`;
const splitKey = (key: string): [string, string] => key.split('\u0000') as [string, string];

/** How much a holder's facts are worth keeping: the user's own first, then the assistant's, then other people's. */
export function holderRank(holder: string): number {
  return holder === 'user' ? 2 : holder === 'assistant' ? 1 : 0;
}

/**
 * Every statement of a durable fact in the conversation, with supersession: a later statement of the same
 * holder's attribute supersedes the earlier one (its history). Plain data: where a statement's tokens are
 * (in the window, held by the facts share, evicted) is the engine's (factsStep.ts).
 */
export class FactLedger {
  readonly statements: Statement[] = [];
  /** The latest statement of each key. */
  readonly latest = new Map<string, Statement>();
  readonly pinned = new Set<string>();
  readonly forgotten = new Set<string>();
  /** Keys stated more than once (a fact the conversation revised): the facts share ranks them first. */
  readonly revised = new Set<string>();
  /** Superseded statements (never recalled, evicted first). */
  superseded = 0;
  /** Bumped on every change, so the engine emits a facts event only when something changed. */
  version = 0;
  /** What the last facts event showed (ledger version, every fact's state) and what the share last kept for. */
  emitted = { version: -1, states: '' };
  keptAt = { version: -1, cap: -1 };

  /** Records a statement; returns the statement it supersedes, if any. */
  add(s: Omit<Statement, 'id' | 'key' | 'supersededBy'>): { statement: Statement; superseded?: Statement } {
    const key = keyOf(s.holder, s.attribute);
    const statement: Statement = { ...s, id: this.statements.length, key, supersededBy: -1 };
    this.statements.push(statement);
    const before = this.latest.get(key);
    this.latest.set(key, statement);
    this.version++;
    if (!before) return { statement };
    this.revised.add(key);
    before.supersededBy = statement.id;
    this.superseded++;
    return { statement, superseded: before };
  }

  isLive(s: Statement): boolean {
    return s.supersededBy < 0 && !this.forgotten.has(s.key);
  }

  /** The latest statement of the fact that statement `id` belongs to. */
  factOf(id: number): Statement | undefined {
    const s = this.statements[id];
    return s ? this.latest.get(s.key) : undefined;
  }

  setPinned(id: number, pinned: boolean): Statement {
    const s = this.#known(id);
    if (pinned) this.pinned.add(s.key);
    else this.pinned.delete(s.key);
    this.version++;
    return s;
  }

  /** Forgets the fact: every statement of its key. Returns them (the engine evicts the ones in the context). */
  forget(id: number): Statement[] {
    const s = this.#known(id);
    this.forgotten.add(s.key);
    this.pinned.delete(s.key);
    this.version++;
    return this.statements.filter((t) => t.key === s.key);
  }

  #known(id: number): Statement {
    const s = this.factOf(id);
    if (!s) throw new Error(`no fact #${id} (the ledger has ${this.statements.length} statements)`);
    return s;
  }

  /** Statements overlapping positions [startPos, endPos), in order (statements are added in position order). */
  *overlapping(startPos: number, endPos: number): Generator<Statement> {
    const all = this.statements;
    // the first statement that ends after startPos (sentences are short: step back from the first that starts at or after it)
    let lo = 0;
    let hi = all.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (all[mid].startPos < startPos) lo = mid + 1;
      else hi = mid;
    }
    while (lo > 0 && all[lo - 1].startPos + (all[lo - 1].to - all[lo - 1].from) > startPos) lo--;
    for (let i = lo; i < all.length && all[i].startPos < endPos; i++) {
      const s = all[i];
      if (s.startPos + (s.to - s.from) > startPos) yield s;
    }
  }

  /** Whether [startPos, endPos) states a live fact. */
  liveIn(startPos: number, endPos: number): boolean {
    if (this.statements.length === 0) return false;
    for (const s of this.overlapping(startPos, endPos)) if (this.isLive(s)) return true;
    return false;
  }

  /** Whether [startPos, endPos) states a superseded or forgotten fact: recall never brings it back. */
  blocks(startPos: number, endPos: number): boolean {
    if (this.superseded === 0 && this.forgotten.size === 0) return false;
    for (const s of this.overlapping(startPos, endPos)) if (!this.isLive(s)) return true;
    return false;
  }

  /** "fact: my locker code = 5521" for the live facts [startPos, endPos) states, if any. */
  note(startPos: number, endPos: number): string | undefined {
    if (this.statements.length === 0) return undefined;
    let out: string | undefined;
    for (const s of this.overlapping(startPos, endPos)) {
      if (!this.isLive(s)) continue;
      const one = `${s.label} = ${s.value}`;
      out = out === undefined ? `fact: ${one}` : `${out}; ${one}`;
    }
    return out;
  }

  /** The facts (latest statement of each key), newest first, at most `max`, with each one's state. */
  rows(stateOf: (s: Statement) => FactState, max = MAX_FACT_ROWS): FactRow[] {
    const latest = [...this.latest.values()].sort((a, b) => b.id - a.id).slice(0, max);
    const history = new Map<string, FactValue[]>();
    for (let i = this.statements.length - 1; i >= 0; i--) {
      const s = this.statements[i];
      if (s.supersededBy < 0) continue;
      const list = history.get(s.key) ?? [];
      if (list.length < MAX_HISTORY) list.push({ id: s.id, value: s.value, messageId: s.messageId, turn: s.turn });
      history.set(s.key, list);
    }
    return latest.map((s) => ({
      id: s.id,
      holder: s.holder,
      attribute: s.attribute,
      label: s.label,
      value: s.value,
      messageId: s.messageId,
      turn: s.turn,
      from: s.from,
      to: s.to,
      startPos: s.startPos,
      text: s.text.length > MAX_TEXT ? `${s.text.slice(0, MAX_TEXT - 1)}…` : s.text,
      state: this.forgotten.has(s.key) ? 'forgotten' : stateOf(s),
      pinned: this.pinned.has(s.key),
      source: s.source,
      history: history.get(s.key) ?? [],
    }));
  }

  exportState(): FactLedgerState {
    return {
      // fields in one fixed order (the session schema's), whether a statement was found or restored: save → open → save is identical
      statements: this.statements.map((s) => ({
        id: s.id,
        holder: s.holder,
        attribute: s.attribute,
        label: s.label,
        value: s.value,
        update: s.update,
        retracts: s.retracts,
        cue: s.cue,
        messageId: s.messageId,
        turn: s.turn,
        from: s.from,
        to: s.to,
        startPos: s.startPos,
        text: s.text,
        source: s.source,
        supersededBy: s.supersededBy,
      })),
      pinned: [...this.pinned].map(splitKey),
      forgotten: [...this.forgotten].map(splitKey),
    };
  }

  /** Restores a saved ledger into this empty one (statement ids count up from 0; supersession as saved). */
  importState(state: FactLedgerState): void {
    if (this.statements.length > 0) throw new Error('the fact ledger is not empty');
    state.statements.forEach((s, i) => {
      if (s.id !== i) throw new Error(`session fact ids must count up from 0 (fact ${i} has id ${s.id})`);
      const key = keyOf(s.holder, s.attribute);
      const statement: Statement = { ...s, key };
      this.statements.push(statement);
      if (s.supersededBy < 0) this.latest.set(key, statement);
      else {
        this.superseded++;
        this.revised.add(key);
      }
    });
    for (const [h, a] of state.pinned) this.pinned.add(keyOf(h, a));
    for (const [h, a] of state.forgotten) this.forgotten.add(keyOf(h, a));
    this.version++;
  }
}
