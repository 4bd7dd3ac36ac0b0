/**
 * The engine's event contract and the host protocol, written once: each zod schema below is the
 * source, and the type beside it is its `z.infer`. The host checks commands with these schemas
 * (commandCheck.ts), the renderer checks batches with them (renderer/client/engineClient.ts).
 *
 * Only structured-clone data: plain objects, arrays, numbers, strings, and one transferred typed array
 * (a batch's span columns). Every union is discriminated on `type`; consumers end their switches with
 * `assertNever`. Objects are strict: an unknown key is refused, not silently dropped.
 */
import { z } from 'zod';
import { EngineConfigSchema, PartialConfigSchema, type EngineConfig } from './config.js';
import { LimitsSchema } from './limits.js';

export const PROTOCOL_VERSION = 2;

/** Integers; `count` is a non-negative one (tokens, positions, ids, sequence numbers). */
const int = () => z.int();
const count = () => z.int().min(0);
/** Ids, names and handles are short: a client cannot make the host hold a megabyte id. */
const id = () => z.string().min(1).max(200);
const name = () => z.string().max(1000);
/** An opaque file handle granted by the host's parent (Electron main), never a path. */
const handle = () => z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'not a file handle');
const profileFormat = () => z.enum(['speedscope', 'chrome']);

export const ROLES = ['system', 'user', 'assistant', 'tool'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

/** Per-role token counts (content tokens plus chat-template overhead of the messages that have tokens in the window). */
export const RoleBreakdownSchema = z.strictObject({ system: count(), user: count(), assistant: count(), tool: count() });
export type RoleBreakdown = z.infer<typeof RoleBreakdownSchema>;

/** Where the budget stood when a decision was taken. */
export const BudgetLineSchema = z.strictObject({
  maxTokens: count(),
  /** Tokens the context would take before this decision (content + template overhead). */
  usedBefore: count(),
  usedAfter: count(),
});
export type BudgetLine = z.infer<typeof BudgetLineSchema>;

export const EvictionKindSchema = z.enum([
  /** The oldest unpinned tokens went because the context was over budget. */
  'budget',
  /** Extra tokens dropped so that the context starts at a sentence boundary instead of mid-sentence. */
  'sentence-align',
  /** A recalled span left the context: it is no longer among the most relevant to the latest message. */
  'recall-expired',
  /** A whole sentence span went because its value per token was among the lowest (span policies). */
  'span-value',
  /** The span was folded into the rolling summary (the summary stands in for it). */
  'summarized',
]);
export type EvictionKind = z.infer<typeof EvictionKindSchema>;

export const EvictionReasonSchema = z.strictObject({
  policy: z.string(),
  kind: EvictionKindSchema,
  /** Human-readable one-liner, shown as-is in the UI and the CLI. */
  detail: z.string(),
  /** Policy score of the evicted span, when the policy scores spans (lower = less valuable). */
  score: z.number().optional(),
  /** Cluster id, for clustering policies. */
  cluster: int().optional(),
  budget: BudgetLineSchema,
});
export type EvictionReason = z.infer<typeof EvictionReasonSchema>;

/** Tokens [from, to) of one message, as offsets into that message's own token list. */
const messageRange = { messageId: count(), from: count(), to: count() };
export const MessageRangeSchema = z.strictObject(messageRange);
export type MessageRange = z.infer<typeof MessageRangeSchema>;

export const MessageAppendedEventSchema = z.strictObject({
  type: z.literal('messageAppended'),
  turn: count(),
  messageId: count(),
  role: RoleSchema,
  pinned: z.boolean(),
  /** Absolute position of the message's first token in the conversation's token stream. */
  startPos: count(),
  tokens: count(),
  content: z.string(),
  /** A rolling summary: not part of the conversation's token stream; startPos is where its source began. */
  summary: z.boolean().optional(),
});
export type MessageAppendedEvent = z.infer<typeof MessageAppendedEventSchema>;

export const WindowSnapshotEventSchema = z.strictObject({
  type: z.literal('windowSnapshot'),
  turn: count(),
  maxTokens: count(),
  /** Tokens the context takes now: pinned + retained content + template overhead (+ generation prompt). */
  used: count(),
  pinned: count(),
  retained: count(),
  /** Tokens brought back by recall (also counted in byRole, under their messages' roles). */
  recalled: count(),
  byRole: RoleBreakdownSchema,
  /** Absolute position of the oldest unpinned token still in the window (-1 if none). */
  windowStartPos: int().min(-1),
  /** Absolute position one past the newest token. */
  endPos: count(),
});
export type WindowSnapshotEvent = z.infer<typeof WindowSnapshotEventSchema>;

export const EvictionEventSchema = z.strictObject({
  type: z.literal('eviction'),
  turn: count(),
  /** Sequence number of this eviction in the session, starting at 0. */
  seq: count(),
  /**
   * Absolute positions of the first evicted token and one past the last. Pinned messages in between
   * are not evicted: `ranges` lists exactly which tokens went.
   */
  startPos: count(),
  endPos: count(),
  tokens: count(),
  ranges: z.array(MessageRangeSchema),
  preview: z.string(),
  reason: EvictionReasonSchema,
});
export type EvictionEvent = z.infer<typeof EvictionEventSchema>;

/** One evicted span brought back into the context by query-aware recall. */
export const RecalledSpanDataSchema = z.strictObject({
  ...messageRange,
  startPos: count(),
  endPos: count(),
  tokens: count(),
  /** Fused (reciprocal-rank) relevance to the query. */
  score: z.number(),
  bm25Rank: count().optional(),
  denseRank: count().optional(),
  preview: z.string(),
});
export type RecalledSpanData = z.infer<typeof RecalledSpanDataSchema>;

export const RecallEventSchema = z.strictObject({
  type: z.literal('recall'),
  turn: count(),
  seq: count(),
  /** The user message the spans were retrieved for (truncated). */
  query: z.string(),
  spans: z.array(RecalledSpanDataSchema),
  tokens: count(),
  budget: BudgetLineSchema,
});
export type RecallEvent = z.infer<typeof RecallEventSchema>;

/** One candidate span of a span policy's knapsack: its cost, its value, and whether it was kept. */
export const ScoredSpanSchema = z.strictObject({
  messageId: count(),
  startPos: count(),
  tokens: count(),
  /** Value per token (the policy's score). */
  score: z.number(),
  kept: z.boolean(),
  /** Clustering policies: the span's cluster, whether it represents it, and a 2D projection. */
  cluster: count().optional(),
  representative: z.boolean().optional(),
  x: z.number().optional(),
  y: z.number().optional(),
});
export type ScoredSpan = z.infer<typeof ScoredSpanSchema>;

/** Embedding-cache counters of a policy that embeds spans (cumulative). */
export const EmbeddingCacheEventSchema = z.strictObject({
  type: z.literal('embeddingCache'),
  turn: count(),
  embedder: z.string(),
  hits: count(),
  misses: count(),
  size: count(),
});
export type EmbeddingCacheEvent = z.infer<typeof EmbeddingCacheEventSchema>;

/** The knapsack choice of one span-policy call (the most recent spans, at most 400). */
export const SpanScoresEventSchema = z.strictObject({
  type: z.literal('spanScores'),
  turn: count(),
  policy: z.string(),
  /** Tokens the kept spans could take. */
  capacity: count(),
  spans: z.array(ScoredSpanSchema),
});
export type SpanScoresEvent = z.infer<typeof SpanScoresEventSchema>;

export const ContextSegmentSchema = z.strictObject({
  ...messageRange,
  role: RoleSchema,
  pinned: z.boolean(),
  /** Evicted earlier and brought back by query-aware recall. */
  recalled: z.boolean().optional(),
  /** The rolling summary (a message that stands in for evicted spans). */
  summary: z.boolean().optional(),
});
export type ContextSegment = z.infer<typeof ContextSegmentSchema>;

export const ContextBuiltEventSchema = z.strictObject({
  type: z.literal('contextBuilt'),
  turn: count(),
  /** Tokens of the context including the chat template's overhead and the generation prompt. */
  tokens: count(),
  maxTokens: count(),
  segments: z.array(ContextSegmentSchema),
  /** True when the first unpinned token of the context starts a sentence. */
  startsAtSentence: z.boolean(),
  ms: z.number(),
});
export type ContextBuiltEvent = z.infer<typeof ContextBuiltEventSchema>;

/** A counter or a duration: finite and non-negative (the session file stores these too). */
const amount = () => z.number().min(0);

/**
 * The engine's running totals. A saved session stores them too (session.ts): the field order here is
 * the file's serialization order (engine/formats/sessionCodec.ts), so reordering changes saved files.
 */
export const MemoryStatsSchema = z.strictObject({
  /** Every token appended, all roles. */
  tokensSeen: amount(),
  /** Tokens in the window now (pinned + retained). */
  tokensRetained: amount(),
  tokensPinned: amount(),
  /** Tokens out of the context now: evicted and not brought back by recall (folded into a summary counts). */
  tokensEvicted: amount(),
  /** Eviction events. */
  evictions: amount(),
  /** tokensSeen / tokensRetained (1 when nothing was evicted). */
  compressionRatio: amount(),
  /** Duration of the most recent policy call. */
  policyLatencyMs: amount(),
  policyLatencyMsTotal: amount(),
  policyCalls: amount(),
  /** Turns where a policy overran its latency budget and the engine fell back to sliding. */
  fallbackCount: amount(),
  /** Sentence-boundary detection answered from the decoded-token cache. */
  anchorCacheHits: amount(),
  anchorCacheMisses: amount(),
  contextBuilds: amount(),
  turns: amount(),
});
export type MemoryStats = z.infer<typeof MemoryStatsSchema>;

/** One turn's numbers; a saved session keeps one per turn, in this field order (session.ts). */
export const TurnStatsSchema = z.strictObject({
  turn: amount(),
  /** Tokens appended during the turn (all roles). */
  tokensIn: amount(),
  tokenizeMs: amount(),
  policyMs: amount(),
  buildMs: amount(),
  /** policyMs + buildMs: the engine's own time, tokenization excluded. */
  engineMs: amount(),
  evictedTokens: amount(),
  evictionEvents: amount(),
  contextTokens: amount(),
  used: amount(),
  /** Model time of the policy's async step (logit probes, embeddings, a summary); absent when none ran. */
  modelMs: amount().optional(),
});
export type TurnStats = z.infer<typeof TurnStatsSchema>;

export const StatsEventSchema = z.strictObject({
  type: z.literal('stats'),
  stats: MemoryStatsSchema,
  turn: TurnStatsSchema.optional(),
  /** Per-role share of the window when the turn ended (with `turn`). */
  byRole: RoleBreakdownSchema.optional(),
});
export type StatsEvent = z.infer<typeof StatsEventSchema>;

export const ProfileSpanSchema = z.strictObject({
  name: z.string(),
  /** Milliseconds on the engine's injected clock. */
  start: z.number(),
  end: z.number(),
  depth: count(),
  turn: count(),
});
export type ProfileSpan = z.infer<typeof ProfileSpanSchema>;

export const ProfileSpanEventSchema = z.strictObject({ type: z.literal('profileSpan'), span: ProfileSpanSchema });
export type ProfileSpanEvent = z.infer<typeof ProfileSpanEventSchema>;

export const WarningEventSchema = z.strictObject({
  type: z.literal('warning'),
  turn: count(),
  code: z.enum(['pinned-over-budget', 'no-sentence-boundary', 'policy-fallback', 'model-step-failed']),
  message: z.string(),
});
export type WarningEvent = z.infer<typeof WarningEventSchema>;

/** The summary QA gate: facts (numbers, dates, names, quoted strings) of a summary found in its source. */
export const SummaryGateSchema = z.strictObject({
  /** Share of the summary's facts that must be found (0–1). */
  threshold: z.number().min(0).max(1),
  checked: count(),
  found: count(),
  /** Facts of the summary that are not in its source (at most 20). */
  missing: z.array(z.string()),
  passed: z.boolean(),
});
export type SummaryGate = z.infer<typeof SummaryGateSchema>;

/** The rolling summary was (re)built: it now stands in for conversation positions [startPos, endPos). */
export const SummaryEventSchema = z.strictObject({
  type: z.literal('summary'),
  turn: count(),
  seq: count(),
  messageId: count(),
  startPos: count(),
  endPos: count(),
  /** Tokens of the source: the spans summarized plus the previous summary. */
  sourceTokens: count(),
  tokens: count(),
  method: z.enum(['model', 'extractive']),
  /** Why the model's summary was not used (failed gate, model error), when it was not. */
  fallback: z.string().optional(),
  /** The gate of the summary in use. */
  gate: SummaryGateSchema,
  text: z.string(),
  budget: BudgetLineSchema,
});
export type SummaryEvent = z.infer<typeof SummaryEventSchema>;

/** What the engine itself emits (the host adds its own events: HostEvent). */
export const EngineEventSchema = z.discriminatedUnion('type', [
  MessageAppendedEventSchema,
  WindowSnapshotEventSchema,
  EvictionEventSchema,
  ContextBuiltEventSchema,
  StatsEventSchema,
  ProfileSpanEventSchema,
  WarningEventSchema,
  RecallEventSchema,
  SpanScoresEventSchema,
  EmbeddingCacheEventSchema,
  SummaryEventSchema,
]);
export type EngineEvent = z.infer<typeof EngineEventSchema>;

export type EngineEventType = EngineEvent['type'];

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}

// ---------------------------------------------------------------------------------------------
// Host protocol: commands (client -> host) and host events (host -> client), sent in batches.
// ---------------------------------------------------------------------------------------------

/** Every engine setting (the catalog in config.ts, which owns the schema). */
export const EngineConfigDataSchema = EngineConfigSchema;
export type EngineConfigData = EngineConfig;

export const ChatMessageDataSchema = z.strictObject({
  role: RoleSchema,
  content: z.string(),
  /** Never evicted (system messages are pinned by default). */
  pinned: z.boolean().optional(),
});
export type ChatMessageData = z.infer<typeof ChatMessageDataSchema>;

/** What a backend needs to be created; secrets are not part of events. */
export const BackendConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('local'), model: z.string().min(1) }),
  z.strictObject({ kind: z.literal('openai'), baseUrl: z.string().min(1), model: z.string().min(1), apiKey: z.string().optional() }),
]);
export type BackendConfig = z.infer<typeof BackendConfigSchema>;

/** What a client asks of the host. Checked with this schema (and the size limits) before the host acts: commandCheck.ts. */
export const EngineCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello'), protocolVersion: int(), client: name() }),
  z.strictObject({ type: z.literal('ack'), seq: count() }),
  z.strictObject({
    type: z.literal('chat'),
    id: id(),
    content: z.string(),
    maxNewTokens: z.int().min(1).max(32768).optional(),
    temperature: z.number().min(0).max(5).optional(),
  }),
  /** Any id is accepted (an unknown or finished one is a no-op), so it may be empty. */
  z.strictObject({ type: z.literal('cancel'), id: z.string().max(200) }),
  z.strictObject({ type: z.literal('setConfig'), config: PartialConfigSchema, rerun: z.boolean().optional() }),
  z.strictObject({ type: z.literal('setBackend'), backend: BackendConfigSchema }),
  z.strictObject({ type: z.literal('newSession'), systemPrompt: z.string().optional() }),
  z.strictObject({ type: z.literal('appendMessages'), messages: z.array(ChatMessageDataSchema) }),
  z.strictObject({
    type: z.literal('replay'),
    messages: z.array(ChatMessageDataSchema).min(1),
    config: PartialConfigSchema.optional(),
    title: z.string().optional(),
  }),
  /** A file the user picked in a native dialog (Electron): main granted the host this opaque handle. */
  z.strictObject({ type: z.literal('openSession'), handle: handle() }),
  /** A small file's whole text (the bundled demo). Larger files are uploaded with openBegin/openChunk/openEnd. */
  z.strictObject({ type: z.literal('openSessionText'), name: name(), text: z.string() }),
  /** Starts streaming a file's text to the host; the host answers each chunk with openProgress. */
  z.strictObject({ type: z.literal('openBegin'), id: id(), name: name(), bytes: count() }),
  z.strictObject({ type: z.literal('openChunk'), id: id(), text: z.string() }),
  /** The last chunk was sent: the host parses what it received and opens it (or says why not). */
  z.strictObject({ type: z.literal('openEnd'), id: id() }),
  /** Without a handle the host answers with the session's text (browser mode downloads it). */
  z.strictObject({ type: z.literal('saveSession'), handle: handle().optional() }),
  z.strictObject({ type: z.literal('exportProfile'), format: profileFormat() }),
  z.strictObject({ type: z.literal('getMetrics') }),
  z.strictObject({ type: z.literal('whatIf'), a: PartialConfigSchema, b: PartialConfigSchema }),
]);
export type EngineCommand = z.infer<typeof EngineCommandSchema>;

export type EngineCommandType = EngineCommand['type'];

/** Every engine command's `type`, in the schema's order. */
export const COMMAND_TYPES = EngineCommandSchema.options.map((o) => o.shape.type.value) as [EngineCommandType, ...EngineCommandType[]];

/** Commands for the process that parents the host (browser mode's server), not the host itself. */
export const ServerCommandSchema = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('restartEngine') })]);
export type ServerCommand = z.infer<typeof ServerCommandSchema>;

/** What a client may send: engine commands, and in browser mode the server's own. */
export type ClientCommand = EngineCommand | ServerCommand;

export const SessionInfoSchema = z.strictObject({
  title: z.string(),
  /** File the session was opened from or last saved to. */
  path: z.string().optional(),
  messages: count(),
  config: EngineConfigDataSchema,
  tokenizer: z.string(),
});
export type SessionInfo = z.infer<typeof SessionInfoSchema>;

export const MessageDataSchema = z.strictObject({
  role: RoleSchema,
  content: z.string(),
  id: count(),
  turn: count(),
  pinned: z.boolean(),
  tokens: count(),
  startPos: count(),
  /** A rolling summary (not part of the conversation's token stream). */
  summary: z.boolean().optional(),
});
export type MessageData = z.infer<typeof MessageDataSchema>;

export const HostErrorCodeSchema = z.enum([
  'bad-command',
  'protocol-mismatch',
  'bad-config',
  'bad-session',
  'io',
  'busy',
  'no-backend',
  'backend',
  'too-large',
  'overloaded',
  'internal',
]);
export type HostErrorCode = z.infer<typeof HostErrorCodeSchema>;

/** One side of a what-if: the session replayed under one parameter set. */
export const WhatIfSideSchema = z.strictObject({
  config: EngineConfigDataSchema,
  contextTokens: count(),
  evictions: count(),
  evictedTokens: count(),
  engineMs: z.number(),
  segments: z.array(ContextSegmentSchema),
});
export type WhatIfSide = z.infer<typeof WhatIfSideSchema>;

/** What the host sends: the engine's events and the host's own, in batches (EventBatch) or notices (Notice). */
export const HostEventSchema = z.discriminatedUnion('type', [
  EngineEventSchema,
  z.strictObject({
    type: z.literal('helloAck'),
    protocolVersion: int(),
    host: z.string(),
    session: SessionInfoSchema,
    /** The whole conversation so far, so a (re)connecting client can draw it. */
    messages: z.array(MessageDataSchema),
    backend: BackendConfigSchema,
    /** The host's size limits, so a client refuses what would be refused anyway, early and clearly. */
    limits: LimitsSchema.optional(),
  }),
  /** `repeated`: more errors like it that were folded into this one (a flood of bad commands costs one event). */
  z.strictObject({
    type: z.literal('error'),
    code: HostErrorCodeSchema,
    message: z.string(),
    command: z.enum(COMMAND_TYPES).optional(),
    id: z.string().optional(),
    repeated: count().optional(),
  }),
  z.strictObject({
    type: z.literal('sessionLoaded'),
    session: SessionInfoSchema,
    messages: z.array(MessageDataSchema),
    reason: z.enum(['new', 'open', 'replay', 'restore', 'rerun']),
  }),
  z.strictObject({ type: z.literal('sessionSaved'), path: z.string().optional(), text: z.string().optional(), bytes: count() }),
  z.strictObject({ type: z.literal('replayProgress'), done: count(), total: count() }),
  /** The autosave is on disk (written, fsynced, renamed) with this many messages. */
  z.strictObject({ type: z.literal('autosaved'), messages: count(), bytes: count() }),
  /** An upload's progress: the client keeps a few chunks in flight and waits for this before sending more. */
  z.strictObject({ type: z.literal('openProgress'), id: z.string(), received: count(), total: count() }),
  /** The engine crashed too often and was not restarted (sent by its parent, not the host). */
  z.strictObject({ type: z.literal('engineStopped'), reason: z.string() }),
  z.strictObject({ type: z.literal('configChanged'), config: EngineConfigDataSchema }),
  z.strictObject({ type: z.literal('backendChanged'), backend: BackendConfigSchema, ready: z.boolean(), message: z.string().optional() }),
  z.strictObject({ type: z.literal('chatToken'), id: z.string(), text: z.string() }),
  z.strictObject({
    type: z.literal('chatDone'),
    id: z.string(),
    finishReason: z.enum(['stop', 'length', 'cancelled']),
    messageId: count().optional(),
    promptTokens: count(),
    completionTokens: count(),
    ms: z.number(),
  }),
  z.strictObject({ type: z.literal('cacheReport'), turn: count(), hit: z.boolean(), reusedTokens: count(), recomputedTokens: count() }),
  z.strictObject({ type: z.literal('profileExport'), format: profileFormat(), json: z.string() }),
  z.strictObject({ type: z.literal('metrics'), text: z.string() }),
  z.strictObject({ type: z.literal('hostRestarted'), reason: z.string(), restoredMessages: count() }),
  z.strictObject({ type: z.literal('modelProgress'), file: z.string(), loaded: z.number(), total: z.number(), percent: z.number(), status: z.string() }),
  z.strictObject({ type: z.literal('whatIfResult'), messages: count(), a: WhatIfSideSchema, b: WhatIfSideSchema }),
]);
export type HostEvent = z.infer<typeof HostEventSchema>;

export type HostEventType = HostEvent['type'];

/**
 * A Float64Array over a plain ArrayBuffer (what Float64Array.from and a transfer give), as its type says:
 * one over a SharedArrayBuffer is refused. The buffer is checked by its tag, not by `instanceof ArrayBuffer`,
 * which is per realm.
 */
const float64Columns = z.custom<Float64Array<ArrayBuffer>>(
  (v) => v instanceof Float64Array && Object.prototype.toString.call(v.buffer) === '[object ArrayBuffer]',
  'expected a Float64Array',
);

/**
 * Profiler spans travel as columns in a transferred Float64Array: [start, end, depth, turn] per span,
 * with `names` giving each span's name.
 */
export const SpanColumnsSchema = z.strictObject({ names: z.array(z.string()), data: float64Columns });
export type SpanColumns = z.infer<typeof SpanColumnsSchema>;

/** Events from the host's parent (browser mode's server): unsequenced, never acked. */
export const NoticeSchema = z.strictObject({ type: z.literal('notice'), events: z.array(HostEventSchema) });
export type Notice = z.infer<typeof NoticeSchema>;

export const EventBatchSchema = z.strictObject({
  type: z.literal('batch'),
  seq: count(),
  events: z.array(HostEventSchema),
  spans: SpanColumnsSchema.optional(),
  /** Events merged away (last-value-wins snapshots, concatenated tokens), for the UI's counters. */
  merged: count(),
  /** Host clock (ms since epoch) when the batch was flushed. */
  sentAt: z.number(),
});
export type EventBatch = z.infer<typeof EventBatchSchema>;

/** One line naming the first problem of a failed parse. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}
