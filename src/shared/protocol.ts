import type { EngineConfig } from './config.js';
/**
 * The engine's event contract. Only structured-clone data: plain objects, arrays, numbers, strings.
 * Every union is discriminated on `type`; consumers end their switches with `assertNever`.
 */
import type { Limits } from './limits.js';

export const PROTOCOL_VERSION = 2;

export const ROLES = ['system', 'user', 'assistant', 'tool'] as const;
export type Role = (typeof ROLES)[number];

/** Per-role token counts (content tokens plus chat-template overhead of the messages that have tokens in the window). */
export type RoleBreakdown = Record<Role, number>;

/** Where the budget stood when a decision was taken. */
export interface BudgetLine {
  maxTokens: number;
  /** Tokens the context would take before this decision (content + template overhead). */
  usedBefore: number;
  usedAfter: number;
}

export type EvictionKind =
  /** The oldest unpinned tokens went because the context was over budget. */
  | 'budget'
  /** Extra tokens dropped so that the context starts at a sentence boundary instead of mid-sentence. */
  | 'sentence-align'
  /** A recalled span left the context: it is no longer among the most relevant to the latest message. */
  | 'recall-expired'
  /** A whole sentence span went because its value per token was among the lowest (span policies). */
  | 'span-value'
  /** The span was folded into the rolling summary (the summary stands in for it). */
  | 'summarized';

export interface EvictionReason {
  policy: string;
  kind: EvictionKind;
  /** Human-readable one-liner, shown as-is in the UI and the CLI. */
  detail: string;
  /** Policy score of the evicted span, when the policy scores spans (lower = less valuable). */
  score?: number;
  /** Cluster id, for clustering policies. */
  cluster?: number;
  budget: BudgetLine;
}

/** Tokens [from, to) of one message, as offsets into that message's own token list. */
export interface MessageRange {
  messageId: number;
  from: number;
  to: number;
}

export interface MessageAppendedEvent {
  type: 'messageAppended';
  turn: number;
  messageId: number;
  role: Role;
  pinned: boolean;
  /** Absolute position of the message's first token in the conversation's token stream. */
  startPos: number;
  tokens: number;
  content: string;
  /** A rolling summary: not part of the conversation's token stream; startPos is where its source began. */
  summary?: boolean;
}

export interface WindowSnapshotEvent {
  type: 'windowSnapshot';
  turn: number;
  maxTokens: number;
  /** Tokens the context takes now: pinned + retained content + template overhead (+ generation prompt). */
  used: number;
  pinned: number;
  retained: number;
  /** Tokens brought back by recall (also counted in byRole, under their messages' roles). */
  recalled: number;
  byRole: RoleBreakdown;
  /** Absolute position of the oldest unpinned token still in the window (-1 if none). */
  windowStartPos: number;
  /** Absolute position one past the newest token. */
  endPos: number;
}

export interface EvictionEvent {
  type: 'eviction';
  turn: number;
  /** Sequence number of this eviction in the session, starting at 0. */
  seq: number;
  /**
   * Absolute positions of the first evicted token and one past the last. Pinned messages in between
   * are not evicted: `ranges` lists exactly which tokens went.
   */
  startPos: number;
  endPos: number;
  tokens: number;
  ranges: MessageRange[];
  preview: string;
  reason: EvictionReason;
}

/** One evicted span brought back into the context by query-aware recall. */
export interface RecalledSpanData extends MessageRange {
  startPos: number;
  endPos: number;
  tokens: number;
  /** Fused (reciprocal-rank) relevance to the query. */
  score: number;
  bm25Rank?: number;
  denseRank?: number;
  preview: string;
}

export interface RecallEvent {
  type: 'recall';
  turn: number;
  seq: number;
  /** The user message the spans were retrieved for (truncated). */
  query: string;
  spans: RecalledSpanData[];
  tokens: number;
  budget: BudgetLine;
}

/** One candidate span of a span policy's knapsack: its cost, its value, and whether it was kept. */
export interface ScoredSpan {
  messageId: number;
  startPos: number;
  tokens: number;
  /** Value per token (the policy's score). */
  score: number;
  kept: boolean;
  /** Clustering policies: the span's cluster, whether it represents it, and a 2D projection. */
  cluster?: number;
  representative?: boolean;
  x?: number;
  y?: number;
}

/** Embedding-cache counters of a policy that embeds spans (cumulative). */
export interface EmbeddingCacheEvent {
  type: 'embeddingCache';
  turn: number;
  embedder: string;
  hits: number;
  misses: number;
  size: number;
}

/** The knapsack choice of one span-policy call (the most recent spans, at most 400). */
export interface SpanScoresEvent {
  type: 'spanScores';
  turn: number;
  policy: string;
  /** Tokens the kept spans could take. */
  capacity: number;
  spans: ScoredSpan[];
}

export interface ContextSegment extends MessageRange {
  role: Role;
  pinned: boolean;
  /** Evicted earlier and brought back by query-aware recall. */
  recalled?: boolean;
  /** The rolling summary (a message that stands in for evicted spans). */
  summary?: boolean;
}

export interface ContextBuiltEvent {
  type: 'contextBuilt';
  turn: number;
  /** Tokens of the context including the chat template's overhead and the generation prompt. */
  tokens: number;
  maxTokens: number;
  segments: ContextSegment[];
  /** True when the first unpinned token of the context starts a sentence. */
  startsAtSentence: boolean;
  ms: number;
}

export interface MemoryStats {
  /** Every token appended, all roles. */
  tokensSeen: number;
  /** Tokens in the window now (pinned + retained). */
  tokensRetained: number;
  tokensPinned: number;
  /** Tokens out of the context now: evicted and not brought back by recall (folded into a summary counts). */
  tokensEvicted: number;
  /** Eviction events. */
  evictions: number;
  /** tokensSeen / tokensRetained (1 when nothing was evicted). */
  compressionRatio: number;
  /** Duration of the most recent policy call. */
  policyLatencyMs: number;
  policyLatencyMsTotal: number;
  policyCalls: number;
  /** Turns where a policy overran its latency budget and the engine fell back to sliding. */
  fallbackCount: number;
  /** Sentence-boundary detection answered from the decoded-token cache. */
  anchorCacheHits: number;
  anchorCacheMisses: number;
  contextBuilds: number;
  turns: number;
}

export interface TurnStats {
  turn: number;
  /** Tokens appended during the turn (all roles). */
  tokensIn: number;
  tokenizeMs: number;
  policyMs: number;
  buildMs: number;
  /** policyMs + buildMs: the engine's own time, tokenization excluded. */
  engineMs: number;
  /** Model time of the policy's async step (logit probes, embeddings, a summary); absent when none ran. */
  modelMs?: number;
  evictedTokens: number;
  evictionEvents: number;
  contextTokens: number;
  used: number;
}

export interface StatsEvent {
  type: 'stats';
  stats: MemoryStats;
  turn?: TurnStats;
  /** Per-role share of the window when the turn ended (with `turn`). */
  byRole?: RoleBreakdown;
}

export interface ProfileSpan {
  name: string;
  /** Milliseconds on the engine's injected clock. */
  start: number;
  end: number;
  depth: number;
  turn: number;
}

export interface ProfileSpanEvent {
  type: 'profileSpan';
  span: ProfileSpan;
}

export interface WarningEvent {
  type: 'warning';
  turn: number;
  code: 'pinned-over-budget' | 'no-sentence-boundary' | 'policy-fallback' | 'model-step-failed';
  message: string;
}

/** The summary QA gate: facts (numbers, dates, names, quoted strings) of a summary found in its source. */
export interface SummaryGate {
  /** Share of the summary's facts that must be found (0–1). */
  threshold: number;
  checked: number;
  found: number;
  /** Facts of the summary that are not in its source (at most 20). */
  missing: string[];
  passed: boolean;
}

/** The rolling summary was (re)built: it now stands in for conversation positions [startPos, endPos). */
export interface SummaryEvent {
  type: 'summary';
  turn: number;
  seq: number;
  messageId: number;
  startPos: number;
  endPos: number;
  /** Tokens of the source: the spans summarized plus the previous summary. */
  sourceTokens: number;
  tokens: number;
  method: 'model' | 'extractive';
  /** Why the model's summary was not used (failed gate, model error), when it was not. */
  fallback?: string;
  /** The gate of the summary in use. */
  gate: SummaryGate;
  text: string;
  budget: BudgetLine;
}

export type EngineEvent =
  | MessageAppendedEvent
  | WindowSnapshotEvent
  | EvictionEvent
  | ContextBuiltEvent
  | StatsEvent
  | ProfileSpanEvent
  | WarningEvent
  | RecallEvent
  | SpanScoresEvent
  | EmbeddingCacheEvent
  | SummaryEvent;

export type EngineEventType = EngineEvent['type'];

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

// ---------------------------------------------------------------------------------------------
// Host protocol: commands (client -> host) and host events (host -> client), sent in batches.
// ---------------------------------------------------------------------------------------------

/** Every engine setting (the catalog in config.ts). */
export type EngineConfigData = EngineConfig;

export interface ChatMessageData {
  role: Role;
  content: string;
  /** Never evicted (system messages are pinned by default). */
  pinned?: boolean;
}

/** What a backend needs to be created; secrets are not part of events. */
export type BackendConfig =
  | { kind: 'none' }
  | { kind: 'local'; model: string }
  | { kind: 'openai'; baseUrl: string; model: string; apiKey?: string };

export type EngineCommand =
  | { type: 'hello'; protocolVersion: number; client: string }
  | { type: 'ack'; seq: number }
  | { type: 'chat'; id: string; content: string; maxNewTokens?: number; temperature?: number }
  | { type: 'cancel'; id: string }
  | { type: 'setConfig'; config: Partial<EngineConfigData>; rerun?: boolean }
  | { type: 'setBackend'; backend: BackendConfig }
  | { type: 'newSession'; systemPrompt?: string }
  | { type: 'appendMessages'; messages: ChatMessageData[] }
  | { type: 'replay'; messages: ChatMessageData[]; config?: Partial<EngineConfigData>; title?: string }
  /** A file the user picked in a native dialog (Electron): main granted the host this opaque handle. */
  | { type: 'openSession'; handle: string }
  /** A small file's whole text (the bundled demo). Larger files are uploaded with openBegin/openChunk/openEnd. */
  | { type: 'openSessionText'; name: string; text: string }
  /** Starts streaming a file's text to the host; the host answers each chunk with openProgress. */
  | { type: 'openBegin'; id: string; name: string; bytes: number }
  | { type: 'openChunk'; id: string; text: string }
  /** The last chunk was sent: the host parses what it received and opens it (or says why not). */
  | { type: 'openEnd'; id: string }
  /** Without a handle the host answers with the session's text (browser mode downloads it). */
  | { type: 'saveSession'; handle?: string }
  | { type: 'exportProfile'; format: 'speedscope' | 'chrome' }
  | { type: 'getMetrics' }
  | { type: 'whatIf'; a: Partial<EngineConfigData>; b: Partial<EngineConfigData> };

export type EngineCommandType = EngineCommand['type'];

/** Commands for the process that parents the host (browser mode's server), not the host itself. */
export type ServerCommand = { type: 'restartEngine' };

/** What a client may send: engine commands, and in browser mode the server's own. */
export type ClientCommand = EngineCommand | ServerCommand;

export interface SessionInfo {
  title: string;
  /** File the session was opened from or last saved to. */
  path?: string;
  messages: number;
  config: EngineConfigData;
  tokenizer: string;
}

export interface MessageData {
  role: Role;
  content: string;
  id: number;
  turn: number;
  pinned: boolean;
  tokens: number;
  startPos: number;
  /** A rolling summary (not part of the conversation's token stream). */
  summary?: boolean;
}

export type HostErrorCode =
  | 'bad-command'
  | 'protocol-mismatch'
  | 'bad-config'
  | 'bad-session'
  | 'io'
  | 'busy'
  | 'no-backend'
  | 'backend'
  | 'too-large'
  | 'overloaded'
  | 'internal';

export type HostEvent =
  | EngineEvent
  | {
      type: 'helloAck';
      protocolVersion: number;
      host: string;
      session: SessionInfo;
      /** The whole conversation so far, so a (re)connecting client can draw it. */
      messages: MessageData[];
      backend: BackendConfig;
      /** The host's size limits, so a client refuses what would be refused anyway, early and clearly. */
      limits?: Limits;
    }
  /** `repeated`: more errors like it that were folded into this one (a flood of bad commands costs one event). */
  | { type: 'error'; code: HostErrorCode; message: string; command?: EngineCommandType; id?: string; repeated?: number }
  | { type: 'sessionLoaded'; session: SessionInfo; messages: MessageData[]; reason: 'new' | 'open' | 'replay' | 'restore' | 'rerun' }
  | { type: 'sessionSaved'; path?: string; text?: string; bytes: number }
  | { type: 'replayProgress'; done: number; total: number }
  /** The autosave is on disk (written, fsynced, renamed) with this many messages. */
  | { type: 'autosaved'; messages: number; bytes: number }
  /** An upload's progress: the client keeps a few chunks in flight and waits for this before sending more. */
  | { type: 'openProgress'; id: string; received: number; total: number }
  /** The engine crashed too often and was not restarted (sent by its parent, not the host). */
  | { type: 'engineStopped'; reason: string }
  | { type: 'configChanged'; config: EngineConfigData }
  | { type: 'backendChanged'; backend: BackendConfig; ready: boolean; message?: string }
  | { type: 'chatToken'; id: string; text: string }
  | { type: 'chatDone'; id: string; finishReason: 'stop' | 'length' | 'cancelled'; messageId?: number; promptTokens: number; completionTokens: number; ms: number }
  | { type: 'cacheReport'; turn: number; hit: boolean; reusedTokens: number; recomputedTokens: number }
  | { type: 'profileExport'; format: 'speedscope' | 'chrome'; json: string }
  | { type: 'metrics'; text: string }
  | { type: 'hostRestarted'; reason: string; restoredMessages: number }
  | { type: 'modelProgress'; file: string; loaded: number; total: number; percent: number; status: string }
  | { type: 'whatIfResult'; messages: number; a: WhatIfSide; b: WhatIfSide };

export type HostEventType = HostEvent['type'];

/** One side of a what-if: the session replayed under one parameter set. */
export interface WhatIfSide {
  config: EngineConfigData;
  contextTokens: number;
  evictions: number;
  evictedTokens: number;
  engineMs: number;
  segments: ContextSegment[];
}

/**
 * Profiler spans travel as columns in a transferred Float64Array: [start, end, depth, turn] per span,
 * with `names` giving each span's name.
 */
export interface SpanColumns {
  names: string[];
  data: Float64Array<ArrayBuffer>;
}

/** Events from the host's parent (browser mode's server): unsequenced, never acked. */
export interface Notice {
  type: 'notice';
  events: HostEvent[];
}

export interface EventBatch {
  type: 'batch';
  seq: number;
  events: HostEvent[];
  spans?: SpanColumns;
  /** Events merged away (last-value-wins snapshots, concatenated tokens), for the UI's counters. */
  merged: number;
  /** Host clock (ms since epoch) when the batch was flushed. */
  sentAt: number;
}
