import type { EngineEvent, Role } from '../shared/protocol.js';
import type { EngineConfig } from '../shared/config.js';
import type { BuiltContext } from './core/contextBuilder.js';
import type { TemplateOverhead } from './core/ledger.js';
import type { Tokenizer } from './core/tokenizer.js';
import type { RecallIndexOptions } from './recall/recallIndex.js';

export interface EngineOptions extends Partial<EngineConfig> {
  tokenizer: Tokenizer;
  /** Milliseconds; injected so replays and tests are deterministic. */
  clock?: () => number;
  /**
   * Whether `maxPolicyMs` guards each policy call (an overrun finishes the turn with sliding). Off by
   * default: a wall-clock stall then never changes a replay's result. Live turns turn it on (the host's
   * live session, `fms chat`); a replay may opt in, and then lists the fallbacks it caused.
   */
  latencyBudget?: boolean;
  /** Measured from the tokenizer when absent. */
  overhead?: TemplateOverhead;
  maxProfileSpans?: number;
  /** Most evicted spans the recall index keeps (tests; default 4,096). */
  recallIndexMax?: number;
  /** Options of the recall index (benchmarks swap its lexical side for the old one, as a peer). */
  recallIndex?: RecallIndexOptions;
}

export interface MessageInput {
  role: Role;
  content: string;
  /** Defaults to true for system messages when pinSystem is on. */
  pinned?: boolean;
}

export interface MessageRecord {
  id: number;
  role: Role;
  turn: number;
  content: string;
  pinned: boolean;
  tokens: number;
  startPos: number;
  /** A rolling summary (not part of the conversation's token stream). */
  summary?: boolean;
}

/** One step of a replay or chat: the message, and the context built for it (user messages). */
export interface Ingested {
  message: MessageRecord;
  context?: BuiltContext;
}

export type EngineListener = (event: EngineEvent) => void;
