import type { EngineEvent, ProfileSpan, TurnStats } from '../../../shared/protocol.js';

/** What a generated reply adds to its turn: why it stopped, the backend's own counts when it gave them, or why it failed. */
export interface ReplyInfo {
  finishReason?: string;
  /** The backend's prompt and completion tokens (a server's `usage`, a local model's counts); absent: ours are used. */
  usage?: { inputTokens: number; outputTokens: number };
  /** The generation failed with this message. */
  error?: string;
  /** The failure's kind (a BackendError's code), for `error.type`. */
  errorType?: string;
  /** When the outcome was known (engine clock, ms); set by the recorder. */
  at?: number;
}

/** What the recorder asks of its engine's owner: the engine's clock, and the model and policy a turn ran with. */
export interface RecorderOptions {
  clock: () => number;
  /** The model the turn was for, and the eviction policy, read when the turn closes. */
  context: () => { model?: string; policy: string };
}

/** One finished engine turn as the exporter needs it: the engine's numbers, the profiler spans inside it, the reply. */
export interface TurnRecord {
  stats: TurnStats;
  /** The turn's profiler spans (engine clock, ms), in the order they ended. */
  spans: ProfileSpan[];
  /** The prompt the engine built for the turn's user message (chat template included), as we count it. */
  promptTokens: number;
  /** Tokens of the turn's assistant messages, as we count them. */
  outputTokens: number;
  /** Tokens recall brought back in the turn (absent when unknown: a finished replay's records). */
  recalledTokens?: number;
  maxTokens: number;
  model?: string;
  policy: string;
  /** When the turn closed (engine clock, ms): its time when no profiler span was recorded in it. */
  closedAt: number;
  reply?: ReplyInfo;
}

/**
 * Folds the engine's events into one record per turn. A turn is closed by its `stats` event; its spans are
 * the profiler's top-level spans (with everything nested in them) that ended since the previous turn closed,
 * so the `ingest:user` span that starts turn N+1 (open while turn N's stats are emitted) goes to N+1. Turn 0
 * (a system prompt before any user message) is not a turn of the chat and is dropped. A turn whose reply is
 * awaited (`awaitReply`) is held until `reply` brings the generation's outcome; anything else is handed on at once.
 */
export class TurnRecorder {
  readonly #onTurn: (record: TurnRecord) => void;
  readonly #options: RecorderOptions;
  /** Spans of top-level groups that ended since the last turn closed; #group is the group still open. */
  #done: ProfileSpan[] = [];
  #group: ProfileSpan[] = [];
  #promptTokens = 0;
  #outputTokens = 0;
  #recalled = 0;
  #maxTokens = 0;
  #awaited: number | undefined;
  #held: TurnRecord | undefined;
  /** The awaited reply's outcome, when it came before its turn closed. */
  #pendingReply: ReplyInfo | undefined;

  constructor(options: RecorderOptions, onTurn: (record: TurnRecord) => void) {
    this.#options = options;
    this.#onTurn = onTurn;
  }

  /** Takes one engine event (other events, the host's own, are ignored). */
  observe(event: EngineEvent | { type: string }): void {
    const e = event as EngineEvent;
    switch (e.type) {
      case 'profileSpan':
        this.#group.push(e.span);
        if (e.span.depth === 0) {
          for (const s of this.#group) this.#done.push(s);
          this.#group = [];
        }
        return;
      case 'messageAppended':
        if (e.role === 'assistant' && !e.summary) this.#outputTokens += e.tokens;
        return;
      case 'contextBuilt':
        this.#promptTokens = e.tokens;
        this.#maxTokens = e.maxTokens;
        return;
      case 'windowSnapshot':
        this.#maxTokens = e.maxTokens;
        return;
      case 'recall':
        this.#recalled += e.tokens;
        return;
      case 'stats':
        if (e.turn) this.#close(e.turn);
        return;
      default:
        return;
    }
  }

  /** The reply of `turn` is being generated: hold the turn when it closes until `reply` says how it ended. */
  awaitReply(turn: number): void {
    this.release();
    this.#awaited = turn;
  }

  /** How the awaited turn's generation ended; hands the turn on (or, if it has not closed yet, keeps it for the close). */
  reply(turn: number, outcome: ReplyInfo): void {
    const info = { ...outcome, at: this.#options.clock() };
    if (this.#held && this.#held.stats.turn === turn) {
      this.#held.reply = info;
      this.release();
    } else if (this.#awaited === turn) this.#pendingReply = info;
  }

  /** Hands on a held turn as it is (the reply never came: the process is ending, or another turn began). */
  release(): void {
    const held = this.#held;
    this.#held = undefined;
    this.#awaited = undefined;
    if (held) this.#onTurn(held);
  }

  #close(stats: TurnStats): void {
    const { model, policy } = this.#options.context();
    const record: TurnRecord = {
      ...(model ? { model } : {}),
      policy,
      closedAt: this.#options.clock(),
      stats,
      spans: this.#done,
      promptTokens: this.#promptTokens,
      outputTokens: this.#outputTokens,
      recalledTokens: this.#recalled,
      maxTokens: this.#maxTokens,
    };
    this.#done = [];
    this.#outputTokens = 0;
    this.#recalled = 0;
    if (stats.turn === 0) return;
    if (this.#awaited === stats.turn) {
      if (this.#pendingReply) {
        record.reply = this.#pendingReply;
        this.#pendingReply = undefined;
        this.#awaited = undefined;
        this.#onTurn(record);
      } else {
        this.release();
        this.#held = record;
        this.#awaited = stats.turn;
      }
      return;
    }
    this.release();
    this.#onTurn(record);
  }
}
