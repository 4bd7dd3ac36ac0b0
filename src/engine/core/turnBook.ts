import type { MemoryStats, TurnStats } from '../../shared/protocol.js';
import type { Ledger } from './ledger.js';

export function emptyStats(): MemoryStats {
  return {
    tokensSeen: 0,
    tokensRetained: 0,
    tokensPinned: 0,
    tokensEvicted: 0,
    evictions: 0,
    compressionRatio: 1,
    policyLatencyMs: 0,
    policyLatencyMsTotal: 0,
    policyCalls: 0,
    fallbackCount: 0,
    anchorCacheHits: 0,
    anchorCacheMisses: 0,
    contextBuilds: 0,
    turns: 0,
  };
}

export function emptyTurn(turn: number): TurnStats {
  return {
    turn,
    tokensIn: 0,
    tokenizeMs: 0,
    policyMs: 0,
    buildMs: 0,
    engineMs: 0,
    evictedTokens: 0,
    evictionEvents: 0,
    contextTokens: 0,
    used: 0,
  };
}

/** The counters a session saves besides the ledger: what `TurnBook.restore` takes back. */
export interface BookState {
  stats: MemoryStats;
  turns: TurnStats[];
  turn: number;
  evictionSeq: number;
}

/**
 * The engine's bookkeeping: running totals (`stats`), the turn in progress (`current`) and the
 * closed ones, the turn number, and the sequence number of eviction, recall and summary events.
 */
export class TurnBook {
  readonly stats: MemoryStats = emptyStats();
  readonly turns: TurnStats[] = [];
  #turn = 0;
  #current: TurnStats = emptyTurn(0);
  #evictionSeq = 0;

  get turn(): number {
    return this.#turn;
  }

  /** The turn in progress: its counters are added to in place. */
  get current(): TurnStats {
    return this.#current;
  }

  get evictionSeq(): number {
    return this.#evictionSeq;
  }

  nextSeq(): number {
    return this.#evictionSeq++;
  }

  /** One eviction event of this many conversation tokens. */
  counted(tokens: number): void {
    this.stats.tokensEvicted += tokens;
    this.stats.evictions++;
    this.#current.evictedTokens += tokens;
    this.#current.evictionEvents++;
  }

  /** One policy call that took this long. */
  policyRan(ms: number): void {
    this.stats.policyCalls++;
    this.stats.policyLatencyMs = ms;
    this.stats.policyLatencyMsTotal += ms;
    this.#current.policyMs += ms;
  }

  /** Totals that follow the ledger. */
  refresh(ledger: Ledger): void {
    const { stats } = this;
    stats.tokensRetained = ledger.retainedTokens;
    stats.tokensPinned = ledger.pinnedTokens;
    stats.compressionRatio = stats.tokensRetained > 0 ? stats.tokensSeen / stats.tokensRetained : 1;
  }

  /** Closes the turn in progress when anything happened in it and returns it; undefined when nothing did. */
  finish(ledger: Ledger): TurnStats | undefined {
    const done = this.#current;
    if (done.tokensIn === 0 && done.policyMs === 0 && done.buildMs === 0) return undefined;
    done.engineMs = done.policyMs + done.buildMs;
    done.used = ledger.used();
    this.turns.push(done);
    this.stats.turns = this.turns.length;
    this.refresh(ledger);
    this.#current = emptyTurn(this.#turn);
    return done;
  }

  /** Starts the next turn (a user message; close the previous one with `finish` first). */
  nextTurn(): void {
    this.#turn++;
    this.#current = emptyTurn(this.#turn);
  }

  /** Takes back a saved session's counters (into a fresh book). */
  restore(state: BookState): void {
    Object.assign(this.stats, state.stats);
    this.turns.push(...state.turns);
    this.#turn = state.turn;
    this.#evictionSeq = state.evictionSeq;
    this.#current = emptyTurn(this.#turn);
  }
}
