/**
 * What every view shows, as plain data: the state of each UI store (chat, window, evictions, spans,
 * cache, profiler spans). The renderer's zustand stores hold these; the engine host folds the same
 * batches into them with the same reducers (this folder), so it can send a client a snapshot that
 * rebuilds every store exactly (snapshot.ts).
 */
import type {
  AnchorPoint,
  ContextBuiltEvent,
  EmbeddingPoint,
  HistoryPoint,
  KvReport,
  KvTotals,
  LogCounts,
  EngineConfigData,
  FactsEvent,
  MemoryStats,
  MessageData,
  ProfileSpan,
  ReplyUsage,
  ServerTotals,
  ServerTurn,
  RecallEvent,
  SpanScoresEvent,
  SummaryEvent,
  TuneState,
  TurnStats,
  WhatIfResult,
  WindowSnapshotEvent,
} from '../protocol.js';
import { MessageList } from './appendList.js';
import { EvictionRing } from './evictionRing.js';
import { Ring } from './ring.js';
import { emptyServerTotals } from './serverUsage.js';

export type { LogRow } from './evictionRing.js';
export type { AnchorPoint, EmbeddingPoint, HistoryPoint, KvReport, KvTotals, LogCounts } from '../protocol.js';

/** The conversation as the UI has it, and the reply being streamed. */
export interface ChatState {
  /**
   * The conversation. Pushed to in place by the reducer, so its identity changes only when a session
   * (re)loads: select `messagesVersion` to re-render as messages come, then read the list.
   */
  messages: MessageList;
  /** Bumped by every batch that changes `messages` (never reset, so it also changes on a reload). */
  messagesVersion: number;
  /** The reply being streamed. */
  streaming: { id: string; text: string } | undefined;
  /** Replies that were stopped or failed: shown, never part of the conversation. */
  interrupted: { id: string; text: string; reason: string; afterMessageId: number }[];
  /**
   * Each generated reply's token counts by its message id (a new object per reply): the engine's count of
   * the prompt beside the backend's own. Starts over with a loaded session (the counts were of live turns).
   */
  replyUsage: Record<number, ReplyUsage>;
}

export const emptyChat = (messages: readonly MessageData[] = []): Omit<ChatState, 'messagesVersion'> => ({ messages: new MessageList(messages), streaming: undefined, interrupted: [], replyUsage: {} });

/** How many turns the per-turn series keep: the newest (charts downsample them). */
export const WINDOW_SERIES_CAP = 5_000;

/**
 * The per-turn series are rings of the newest WINDOW_SERIES_CAP turns, pushed to in place (new ones
 * only when a session starts over): select `seriesVersion`, then read them.
 */
export interface WindowState {
  config: EngineConfigData | undefined;
  snapshot: WindowSnapshotEvent | undefined;
  /** One point per turn (downsampled for charts). */
  history: Ring<HistoryPoint>;
  context: ContextBuiltEvent | undefined;
  stats: MemoryStats | undefined;
  turns: Ring<TurnStats>;
  /** Anchor (decoded-token) cache hit rate per turn, from the counters' deltas. */
  anchorHistory: Ring<AnchorPoint>;
  /** Bumped by every batch that changes a series (never reset, so it also changes on a reload). */
  seriesVersion: number;
}

export interface EvictionState {
  /**
   * The log's newest rows (EVICTION_LOG_CAP) with the time each reached the UI. Mutated in place by
   * applyBatch, so its identity changes only when a session starts over: select `version` to re-render.
   */
  log: EvictionRing;
  /** Bumped by every batch that changes this store. */
  version: number;
  /**
   * Evicted token ranges per message id: [from, to, eviction seq] triples. Like the log, this map and
   * the two below are mutated in place (a new object only when a session starts over): selectors that
   * read them compute a value from them (a count, a flag) or select `version`.
   */
  byMessage: Record<number, number[]>;
  /** The part of byMessage that was folded into a rolling summary (eviction kind 'summarized'), same triples. */
  summarized: Record<number, number[]>;
  /** The summary event of each summary message, by message id. */
  summaries: Record<number, SummaryEvent>;
  /** Tokens of every eviction event since the session started (re-evictions of recalled spans included): exact, also for rows the log no longer keeps. */
  evictedTokens: number;
  /** The log's rows by kind, exact: evictions (the engine's `evictions` stat), recalls and summaries are counted apart. */
  counts: LogCounts;
}

export interface SpansState {
  /** The latest knapsack choice of a span policy. */
  scores: SpanScoresEvent | undefined;
  /** The latest recall. */
  recall: RecallEvent | undefined;
  /** The latest knapsack choice that carried a 2D projection (semantic policy). */
  projection: SpanScoresEvent | undefined;
}

/** How many KV-cache reports (one per generated turn) the UI keeps: the newest. Totals stay exact. */
export const CACHE_REPORTS_CAP = 2_000;
/** How many embedding-cache points the UI keeps: the newest. */
export const EMBEDDING_POINTS_CAP = 2_000;

/** The rings are pushed to in place (a new one only when a session starts over): select `version` (or `kvTotals`), then read them. */
export interface CacheState {
  /** KV reuse per generated turn: the newest CACHE_REPORTS_CAP. */
  reports: Ring<KvReport>;
  /**
   * Exact over every report, also those the ring no longer keeps: a new object whenever a report
   * comes (or the session starts over), so selecting it is selecting "the reports changed".
   */
  kvTotals: KvTotals;
  /** Embedding-cache hit rate per policy call that embedded spans (from the cumulative counters). */
  embeddings: Ring<EmbeddingPoint>;
  /** Turns an OpenAI-compatible server generated, with its prompt-cache hits when it reports them: the newest CACHE_REPORTS_CAP. */
  serverTurns: Ring<ServerTurn>;
  /** Exact over every server turn (a new object with each one, like kvTotals). */
  serverTotals: ServerTotals;
  /** Bumped by every batch that changes this store (never reset). */
  version: number;
}

/** A window store with nothing in it yet (the version is the caller's). */
export const emptyWindow = (): Omit<WindowState, 'seriesVersion'> => ({ config: undefined, snapshot: undefined, context: undefined, stats: undefined, ...emptySeries() });

/** Empty per-turn series (a new session). */
export const emptySeries = (): Pick<WindowState, 'history' | 'turns' | 'anchorHistory'> => ({
  history: new Ring(WINDOW_SERIES_CAP),
  turns: new Ring(WINDOW_SERIES_CAP),
  anchorHistory: new Ring(WINDOW_SERIES_CAP),
});

export const emptyEvictions = (): EvictionState => ({ log: new EvictionRing(), version: 0, byMessage: {}, summarized: {}, summaries: {}, evictedTokens: 0, counts: { evictions: 0, recalls: 0, summaries: 0 } });

/** A cache store with nothing in it (a new session). */
export const emptyCache = (): CacheState => ({
  reports: new Ring(CACHE_REPORTS_CAP),
  kvTotals: { turns: 0, reusedTokens: 0, recomputedTokens: 0 },
  embeddings: new Ring(EMBEDDING_POINTS_CAP),
  serverTurns: new Ring(CACHE_REPORTS_CAP),
  serverTotals: emptyServerTotals(),
  version: 0,
});

export const emptySpans = (): SpansState => ({ scores: undefined, recall: undefined, projection: undefined });

/** The fact ledger as the engine last reported it (its facts event: last value wins). */
export interface FactsState {
  ledger: FactsEvent | undefined;
}

export const emptyFacts = (): FactsState => ({ ledger: undefined });

/** The session's last Tune grid (the Tune view): none until a grid starts, and again once another session loads. */
export interface TuneViewState {
  grid: TuneState | undefined;
}

export const emptyTune = (): TuneViewState => ({ grid: undefined });

/** The session's last what-if comparison (the Sessions panel): none until one is answered, and again once another session loads. */
export interface WhatIfViewState {
  result: WhatIfResult | undefined;
}

export const emptyWhatIf = (): WhatIfViewState => ({ result: undefined });

/** How many profiler spans the live flamechart keeps: the newest. */
export const PROFILER_SPANS_CAP = 60_000;

export const emptyProfilerSpans = (): Ring<ProfileSpan> => new Ring<ProfileSpan>(PROFILER_SPANS_CAP);

/** Every store's state: what a view model holds and a snapshot carries. */
export interface ViewStores {
  chat: ChatState;
  window: WindowState;
  evictions: EvictionState;
  cache: CacheState;
  spans: SpansState;
  facts: FactsState;
  tune: TuneViewState;
  whatIf: WhatIfViewState;
  profiler: Ring<ProfileSpan>;
  /** The last autosave on disk (the session store shows it). */
  autosaved: { messages: number; bytes: number; at: number } | undefined;
}
