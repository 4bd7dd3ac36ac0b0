/**
 * The engine's event contract (engineEvents.ts, re-exported here) and the host protocol, written once: each zod schema is the
 * source, and the type beside it is its `z.infer`. The host checks commands with these schemas
 * (commandCheck.ts), the renderer checks batches with them (renderer/client/engineClient.ts).
 *
 * Only structured-clone data: plain objects, arrays, numbers, strings, and one transferred typed array
 * (a batch's span columns). Every union is discriminated on `type`; consumers end their switches with
 * `assertNever`. Objects are strict: an unknown key is refused, not silently dropped.
 */
import { z } from 'zod';
import type { EngineConfig } from './config.js';
import { EngineConfigSchema, LimitsSchema, PartialConfigSchema } from './configSchemas.js';
import {
  ContextBuiltEventSchema,
  ContextSegmentSchema,
  EngineEventSchema,
  EvictionEventSchema,
  FactsEventSchema,
  MemoryStatsSchema,
  RecallEventSchema,
  RoleBreakdownSchema,
  RoleSchema,
  SpanScoresEventSchema,
  SummaryEventSchema,
  TurnStatsSchema,
  WindowSnapshotEventSchema,
} from './engineEvents.js';
import { checkColumns, EVICTION_STRIDE, MESSAGE_STRIDE, STATS_STRIDE, type BatchColumns } from './batchColumns.js';
import { count, handle, id, int, name, profileFormat } from './schemaParts.js';

/** A conversation of a file that holds several, counted from 1. */
const conversationIndex = () => int().min(1);

export const PROTOCOL_VERSION = 7;

/** A model name a server lists is at most this long, and a list at most this many (longer lists are cut). */
export const MAX_MODEL_NAME = 200;
export const MAX_LISTED_MODELS = 1000;

export * from './engineEvents.js';

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

/**
 * Whether the backend can be used and what connecting it said: `message` why not (ready false); `models` what an
 * OpenAI-compatible server lists (absent when it does not list them); `note` what to know about a connection that
 * works (the server lists no models and the typed name is used, the typed model is not listed).
 */
export const BackendStatusSchema = z.strictObject({
  ready: z.boolean(),
  message: z.string().optional(),
  models: z.array(z.string().max(MAX_MODEL_NAME)).max(MAX_LISTED_MODELS).optional(),
  note: z.string().optional(),
});
export type BackendStatus = z.infer<typeof BackendStatusSchema>;

/** What a client asks of the host. Checked with this schema (and the size limits) before the host acts: commandCheck.ts. */
/** Whether `v` is an OpenTelemetry OTLP/HTTP endpoint: an http(s) URL (traces go to `<endpoint>/v1/traces`). */
export const isOtlpEndpoint = (v: string): boolean => /^https?:\/\/\S+$/i.test(v);

/** An OTLP endpoint, or '' for none. */
const otlpEndpoint = () =>
  z
    .string()
    .max(2000)
    .refine((v) => v === '' || isOtlpEndpoint(v), 'an OTLP endpoint is an http(s) URL such as http://127.0.0.1:4318');

/** Where the engine's turn export goes: the endpoint in use (none: off) and whether the environment or Settings chose it. */
export const TelemetryStatusSchema = z.strictObject({
  endpoint: z.string().optional(),
  source: z.enum(['environment', 'settings', 'off']),
});
export type TelemetryStatus = z.infer<typeof TelemetryStatusSchema>;

/** A Tune grid's lists of values per setting: each at most this long, and at most MAX_TUNE_RUNS combinations. */
export const MAX_TUNE_VALUES = 8;
export const MAX_TUNE_RUNS = 64;
const tuneValues = <T extends z.ZodType>(item: T) => z.array(item).min(1).max(MAX_TUNE_VALUES).optional();

/** The settings a Tune grid varies (the sweep's axes the view offers). */
export const TuneAxesSchema = z.strictObject({
  policy: tuneValues(PartialConfigSchema.shape.policy.unwrap()),
  maxTokens: tuneValues(PartialConfigSchema.shape.maxTokens.unwrap()),
  window: tuneValues(PartialConfigSchema.shape.window.unwrap()),
  recall: tuneValues(z.boolean()),
});
export type TuneAxes = z.infer<typeof TuneAxesSchema>;

/** One run of a Tune grid: the settings it changed and what it reports. */
export const TuneRunSchema = z.strictObject({
  index: count(),
  settings: PartialConfigSchema,
  contextTokens: count(),
  factsKept: count(),
  factsTotal: count(),
  evictions: count(),
  engineMsTotal: z.number().min(0),
});
export type TuneRun = z.infer<typeof TuneRunSchema>;

/** A Tune grid as every client shows it (the Tune view's store): its id, progress and runs so far, in the order they ended. */
export const TuneStateSchema = z.strictObject({
  id: z.string(),
  /** The settings it varies, as asked (a reloaded Tune form shows them). */
  axes: TuneAxesSchema,
  total: count(),
  done: count(),
  finished: z.boolean(),
  cancelled: z.boolean(),
  runs: z.array(TuneRunSchema).max(MAX_TUNE_RUNS),
});
export type TuneState = z.infer<typeof TuneStateSchema>;

export const EngineCommandSchema = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('hello'), protocolVersion: int(), client: name() }),
  z.strictObject({
    type: z.literal('ack'),
    seq: count(),
    /** How long the client took to check and commit the batch (ms): the host sizes its next batches by it. */
    ms: z.number().min(0).max(600_000).optional(),
  }),
  z.strictObject({
    type: z.literal('chat'),
    id: id(),
    content: z.string(),
    maxNewTokens: z.int().min(1).max(32768).optional(),
    temperature: z.number().min(0).max(5).optional(),
  }),
  /** Any id is accepted (an unknown or finished one is a no-op), so it may be empty. */
  z.strictObject({ type: z.literal('cancel'), id: z.string().max(200) }),
  /** With rerun, the session replays under the new settings; latencyBudget runs that replay under maxPolicyMs as live turns do (off: deterministic). */
  z.strictObject({ type: z.literal('setConfig'), config: PartialConfigSchema, rerun: z.boolean().optional(), latencyBudget: z.boolean().optional() }),
  z.strictObject({ type: z.literal('setBackend'), backend: BackendConfigSchema }),
  z.strictObject({ type: z.literal('newSession'), systemPrompt: z.string().optional() }),
  z.strictObject({ type: z.literal('appendMessages'), messages: z.array(ChatMessageDataSchema) }),
  z.strictObject({
    type: z.literal('replay'),
    messages: z.array(ChatMessageDataSchema).min(1),
    config: PartialConfigSchema.optional(),
    title: z.string().optional(),
  }),
  /**
   * A file the user picked in a native dialog (Electron): main granted the host this opaque handle. Of
   * another tool's file holding several chats, `conversation` (from 1) is the one to open (default 1).
   */
  z.strictObject({ type: z.literal('openSession'), handle: handle(), conversation: conversationIndex().optional() }),
  /** A small file's whole text (the bundled demo). Larger files are uploaded with openBegin/openChunk/openEnd. */
  z.strictObject({ type: z.literal('openSessionText'), name: name(), text: z.string(), conversation: conversationIndex().optional() }),
  /** Starts streaming a file's text to the host; the host answers each chunk with openProgress. */
  z.strictObject({ type: z.literal('openBegin'), id: id(), name: name(), bytes: count(), conversation: conversationIndex().optional() }),
  z.strictObject({ type: z.literal('openChunk'), id: id(), text: z.string() }),
  /** The last chunk was sent: the host parses what it received and opens it (or says why not). */
  z.strictObject({ type: z.literal('openEnd'), id: id() }),
  /** Without a handle the host answers with the session's text (browser mode downloads it). */
  z.strictObject({ type: z.literal('saveSession'), handle: handle().optional() }),
  /** The profiler's spans as speedscope or Chrome trace JSON: to download, or (`view`) to show in the speedscope viewer the app serves. */
  z.strictObject({ type: z.literal('exportProfile'), format: profileFormat(), view: z.boolean().optional() }),
  z.strictObject({ type: z.literal('getMetrics') }),
  z.strictObject({ type: z.literal('whatIf'), a: PartialConfigSchema, b: PartialConfigSchema }),
  /**
   * The Tune view's grid: replays the session under every combination of these settings (each list at most
   * MAX_TUNE_VALUES long, at most MAX_TUNE_RUNS combinations), in scratch engines, as `fms sweep` does;
   * answered by a `tuneProgress` per run and `tuneDone`. `cancel {id}` stops it between runs.
   */
  z.strictObject({ type: z.literal('tune'), id: id(), axes: TuneAxesSchema }),
  /**
   * Exports the engine's turns to this OpenTelemetry endpoint from now on ('' turns export off), remembered
   * beside the autosave over the environment's OTEL_EXPORTER_OTLP_ENDPOINT; answered by `telemetryChanged`.
   */
  z.strictObject({ type: z.literal('setTelemetry'), endpoint: otlpEndpoint() }),
  /** Pins (always kept) or unpins the fact whose latest statement is `factId` (a FactRow id). */
  z.strictObject({ type: z.literal('pinFact'), factId: count(), pinned: z.boolean() }),
  /** Forgets the fact: its statements are evicted, never recalled, and the session remembers it. */
  z.strictObject({ type: z.literal('forgetFact'), factId: count() }),
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

/** The conversations an imported file lists at most (the Sessions view's picker; `total` counts them all). */
export const MAX_LISTED_CONVERSATIONS = 5000;

/** Another tool's chat file the session was opened from: its format, the conversation opened, the others. */
export const ImportedSourceSchema = z.strictObject({
  format: z.string(),
  formatName: z.string(),
  /** The conversation opened (from 1) and its title. */
  chosen: conversationIndex(),
  title: z.string(),
  conversations: z.array(z.strictObject({ index: conversationIndex(), title: z.string(), messages: count() })).max(MAX_LISTED_CONVERSATIONS),
  /** Conversations in the file (the list holds the first MAX_LISTED_CONVERSATIONS). */
  total: count(),
});
export type ImportedSource = z.infer<typeof ImportedSourceSchema>;

export const SessionInfoSchema = z.strictObject({
  title: z.string(),
  /** File the session was opened from or last saved to. */
  path: z.string().optional(),
  messages: count(),
  config: EngineConfigDataSchema,
  tokenizer: z.string(),
  /** Opened from another tool's chat file (an import): what it held. */
  imported: ImportedSourceSchema.optional(),
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

/** A what-if's answer: the session (`messages` of it) replayed under both settings, each side's final context. */
export const WhatIfResultSchema = z.strictObject({ type: z.literal('whatIfResult'), messages: count(), a: WhatIfSideSchema, b: WhatIfSideSchema });
export type WhatIfResult = z.infer<typeof WhatIfResultSchema>;

/** True for a typed array of this kind over a plain ArrayBuffer (checked by its tag: `instanceof ArrayBuffer` is per realm; a SharedArrayBuffer is refused). */
const overArrayBuffer = (v: unknown, kind: typeof Float64Array | typeof Int32Array): boolean =>
  v instanceof kind && Object.prototype.toString.call(v.buffer) === '[object ArrayBuffer]';

/** A Float64Array over a plain ArrayBuffer (what Float64Array.from and a transfer give), as its type says. */
const float64Columns = z.custom<Float64Array<ArrayBuffer>>((v) => overArrayBuffer(v, Float64Array), 'expected a Float64Array');

/** Flat [messageId, from, to, seq] quads of token ranges, in an Int32Array over a plain ArrayBuffer. */
const int32Quads = z.custom<Int32Array<ArrayBuffer>>((v) => overArrayBuffer(v, Int32Array) && (v as Int32Array).length % 4 === 0, 'expected an Int32Array of [messageId, from, to, seq] quads');

// ---------------------------------------------------------------------------------------------
// The view snapshot: every UI store as data (src/shared/view), sent with helloAck.
// ---------------------------------------------------------------------------------------------

/** One point of the budget chart: tokens used by role when the turn ended. */
export const HistoryPointSchema = RoleBreakdownSchema.extend({ turn: count(), used: count(), maxTokens: count() });
export type HistoryPoint = z.infer<typeof HistoryPointSchema>;

/** The anchor (decoded-token) cache's cumulative counters at a turn, and its hit rate since the previous point. */
export const AnchorPointSchema = z.strictObject({ turn: count(), hitRate: z.number(), hits: count(), misses: count() });
export type AnchorPoint = z.infer<typeof AnchorPointSchema>;

export const KvReportSchema = z.strictObject({ turn: count(), hit: z.boolean(), reusedTokens: count(), recomputedTokens: count() });
export type KvReport = z.infer<typeof KvReportSchema>;

export const KvTotalsSchema = z.strictObject({ turns: count(), reusedTokens: count(), recomputedTokens: count() });
export type KvTotals = z.infer<typeof KvTotalsSchema>;

/**
 * A backend's own token counts for a turn: an OpenAI-compatible server's `usage` (its `prompt_tokens_details.cached_tokens`
 * as cachedPromptTokens when it sends them), or a local model's counts.
 */
export const BackendUsageSchema = z.strictObject({ promptTokens: count(), completionTokens: count(), cachedPromptTokens: count().optional() });
export type BackendUsage = z.infer<typeof BackendUsageSchema>;

/** A generated reply's counts, for its badge: the engine's count of the prompt, the backend's own (absent: the server reported none). */
export const ReplyUsageSchema = z.strictObject({ backend: z.enum(['local', 'openai']), enginePromptTokens: count(), backendUsage: BackendUsageSchema.optional() });
export type ReplyUsage = z.infer<typeof ReplyUsageSchema>;

/** One turn a server generated, for the Cache view; the server's counts are absent when it did not report them. */
export const ServerTurnSchema = z.strictObject({
  turn: count(),
  enginePromptTokens: count(),
  promptTokens: count().optional(),
  completionTokens: count().optional(),
  cachedTokens: count().optional(),
});
export type ServerTurn = z.infer<typeof ServerTurnSchema>;

/**
 * Exact over every server turn: how many, how many sent `usage` and `cached_tokens`, and the server's prompt and
 * cached tokens over the turns that reported cached tokens (the base of the hit rate).
 */
export const ServerTotalsSchema = z.strictObject({ turns: count(), withUsage: count(), withCached: count(), promptTokens: count(), cachedTokens: count() });
export type ServerTotals = z.infer<typeof ServerTotalsSchema>;

export const EmbeddingPointSchema = z.strictObject({ turn: count(), hits: count(), misses: count(), hitRate: z.number(), embedder: z.string() });
export type EmbeddingPoint = z.infer<typeof EmbeddingPointSchema>;

/** A ring's newest items (oldest first) and how many it was ever given. */
const series = <T extends z.ZodType>(item: T) => z.strictObject({ items: z.array(item), total: count() });

export const LogRowSchema = z.discriminatedUnion('type', [EvictionEventSchema, RecallEventSchema, SummaryEventSchema]);

/** Rows of the eviction log by kind, exact over the session (the log itself keeps only the newest). */
export const LogCountsSchema = z.strictObject({ evictions: count(), recalls: count(), summaries: count() });
export type LogCounts = z.infer<typeof LogCountsSchema>;

/**
 * Every store of the UI as the host's view model has it (src/shared/view/snapshot.ts): a client that
 * applies it holds exactly what a client that saw every batch holds. Token state travels compact:
 * evicted ranges as flat [messageId, from, to, seq] quads in Int32Arrays (transferred over a port; plain
 * arrays in the WebSocket's JSON, wire.ts). The profiler's spans travel as the batch's
 * span columns.
 */
export const ViewSnapshotSchema = z.strictObject({
  messages: z.array(MessageDataSchema),
  streaming: z.strictObject({ id: z.string(), text: z.string() }).optional(),
  interrupted: z.array(z.strictObject({ id: z.string(), text: z.string(), reason: z.string(), afterMessageId: int() })),
  /** The token counts of each generated reply, by its message id. */
  replyUsage: z.array(z.strictObject({ messageId: count(), ...ReplyUsageSchema.shape })),
  window: z.strictObject({
    config: EngineConfigDataSchema.optional(),
    snapshot: WindowSnapshotEventSchema.optional(),
    context: ContextBuiltEventSchema.optional(),
    stats: MemoryStatsSchema.optional(),
    history: series(HistoryPointSchema),
    turns: series(TurnStatsSchema),
    anchorHistory: series(AnchorPointSchema),
  }),
  evictions: z.strictObject({
    rows: series(LogRowSchema),
    /** When each kept row reached the UI (host clock), oldest first. */
    times: z.array(z.number()),
    counts: LogCountsSchema,
    evictedTokens: count(),
    evicted: int32Quads,
    summarized: int32Quads,
    summaries: z.array(SummaryEventSchema),
  }),
  cache: z.strictObject({
    reports: series(KvReportSchema),
    kvTotals: KvTotalsSchema,
    embeddings: series(EmbeddingPointSchema),
    serverTurns: series(ServerTurnSchema),
    serverTotals: ServerTotalsSchema,
  }),
  spans: z.strictObject({ scores: SpanScoresEventSchema.optional(), recall: RecallEventSchema.optional(), projection: SpanScoresEventSchema.optional() }),
  /** The fact ledger's last state (the engine's facts event). */
  facts: FactsEventSchema.optional(),
  /** Profiler spans ever received (the batch's columns carry the newest). */
  profilerTotal: count(),
  /** The last autosave on disk, and when the host said so. */
  autosaved: z.strictObject({ messages: count(), bytes: count(), at: z.number() }).optional(),
  /** The session's last Tune grid: its progress and every run it reported (at most MAX_TUNE_RUNS). */
  tune: TuneStateSchema.optional(),
  /** The session's last what-if comparison. */
  whatIf: WhatIfResultSchema.optional(),
});
export type ViewSnapshot = z.infer<typeof ViewSnapshotSchema>;

/** What the host sends: the engine's events and the host's own, in batches (EventBatch) or notices (Notice). */
export const HostEventSchema = z.discriminatedUnion('type', [
  EngineEventSchema,
  z.strictObject({
    type: z.literal('helloAck'),
    protocolVersion: int(),
    host: z.string(),
    session: SessionInfoSchema,
    /** Every store as the host has it, so a (re)connecting client draws exactly what the engine holds. */
    snapshot: ViewSnapshotSchema,
    backend: BackendConfigSchema,
    /** Whether that backend is connected, and what connecting it said (the host always sends it: a reloaded page must not offer to connect a model that is). */
    backendStatus: BackendStatusSchema.optional(),
    /** The host's size limits, so a client refuses what would be refused anyway, early and clearly. */
    limits: LimitsSchema.optional(),
    /** Where turn export goes (OpenTelemetry). */
    telemetry: TelemetryStatusSchema.optional(),
  }),
  z.strictObject({ type: z.literal('telemetryChanged'), ...TelemetryStatusSchema.shape }),
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
  /** A backend was connected (ready) or could not be: what connecting said (BackendStatusSchema). */
  z.strictObject({ type: z.literal('backendChanged'), backend: BackendConfigSchema, ...BackendStatusSchema.shape }),
  z.strictObject({ type: z.literal('chatToken'), id: z.string(), text: z.string() }),
  z.strictObject({
    type: z.literal('chatDone'),
    id: z.string(),
    finishReason: z.enum(['stop', 'length', 'cancelled']),
    messageId: count().optional(),
    /** The engine's turn the reply belongs to. */
    turn: count(),
    /** Which kind of backend generated it. */
    backend: z.enum(['local', 'openai']),
    /** The prompt as the engine counts it: the context it built, chat template included. */
    enginePromptTokens: count(),
    /**
     * The backend's own counts: an OpenAI-compatible server's `usage` (with `prompt_tokens_details.cached_tokens`
     * as cachedPromptTokens when it sends them), or the local model's. Absent when the server reported no usage.
     */
    backendUsage: BackendUsageSchema.optional(),
    ms: z.number(),
  }),
  z.strictObject({ type: z.literal('cacheReport'), turn: count(), hit: z.boolean(), reusedTokens: count(), recomputedTokens: count() }),
  z.strictObject({ type: z.literal('profileExport'), format: profileFormat(), json: z.string(), view: z.boolean().optional(), title: z.string().optional() }),
  z.strictObject({ type: z.literal('metrics'), text: z.string() }),
  z.strictObject({ type: z.literal('hostRestarted'), reason: z.string(), restoredMessages: count() }),
  z.strictObject({ type: z.literal('modelProgress'), file: z.string(), loaded: z.number(), total: z.number(), percent: z.number(), status: z.string() }),
  WhatIfResultSchema,
  /** A Tune grid was accepted and starts: `total` runs over these axes (every client shows its progress, not only the one that asked). */
  z.strictObject({ type: z.literal('tuneStarted'), id: z.string(), total: count(), axes: TuneAxesSchema }),
  /** One run of a Tune grid: its settings and figures (those of `fms sweep` and `fms replay --json` for the same chat and settings). */
  z.strictObject({ type: z.literal('tuneProgress'), id: z.string(), done: count(), total: count(), run: TuneRunSchema }),
  /** The grid is done (or was cancelled after `done` runs). */
  z.strictObject({ type: z.literal('tuneDone'), id: z.string(), done: count(), total: count(), cancelled: z.boolean() }),
]);
export type HostEvent = z.infer<typeof HostEventSchema>;

export type HostEventType = HostEvent['type'];

/**
 * Profiler spans travel as columns in a transferred Float64Array: [start, end, depth, turn] per span,
 * with `names` giving each span's name.
 */
export const SpanColumnsSchema = z.strictObject({ names: z.array(z.string()), data: float64Columns });
export type SpanColumns = z.infer<typeof SpanColumnsSchema>;

/** Float64Array rows of `stride` numbers (a column of a batch), over a plain ArrayBuffer. */
const float64Rows = (stride: number) =>
  z.custom<Float64Array<ArrayBuffer>>((v) => overArrayBuffer(v, Float64Array) && (v as Float64Array).length % stride === 0, `expected a Float64Array of rows of ${stride}`);

/**
 * The high-volume events of a batch (messageAppended, eviction, stats) as columns, their layouts in
 * batchColumns.ts; `order` (one byte per event) interleaves them with `events` in the order they happened.
 * The check refuses columns that would not expand into events these schemas accept.
 */
export const BatchColumnsSchema = z.strictObject({
  order: z.custom<Uint8Array<ArrayBuffer>>((v) => v instanceof Uint8Array && Object.prototype.toString.call(v.buffer) === '[object ArrayBuffer]', 'expected a Uint8Array'),
  messages: z.strictObject({ num: float64Rows(MESSAGE_STRIDE), text: z.string() }).optional(),
  evictions: z.strictObject({ num: float64Rows(EVICTION_STRIDE), ranges: float64Rows(3), text: z.string() }).optional(),
  stats: z.strictObject({ num: float64Rows(STATS_STRIDE) }).optional(),
});
const _columnsTyped: z.infer<typeof BatchColumnsSchema> extends BatchColumns ? true : never = true;

/** Events from the host's parent (browser mode's server): unsequenced, never acked. */
export const NoticeSchema = z.strictObject({ type: z.literal('notice'), events: z.array(HostEventSchema) });
export type Notice = z.infer<typeof NoticeSchema>;

/**
 * A batch as it travels: the events that stay objects, and the high-volume ones as `columns`
 * (EventBatchSchema checks them; `expandBatch` in wire.ts gives the EventBatch every reducer reads).
 */
export const WireBatchSchema = z
  .strictObject({
    type: z.literal('batch'),
    seq: count(),
    events: z.array(HostEventSchema),
    columns: BatchColumnsSchema.optional(),
    spans: SpanColumnsSchema.optional(),
    /** Events merged away (last-value-wins snapshots, concatenated tokens), for the UI's counters. */
    merged: count(),
    /** Host clock (ms since epoch) when the batch was flushed. */
    sentAt: z.number(),
  })
  .check((ctx) => {
    const problem = ctx.value.columns ? checkColumns(ctx.value.columns, ctx.value.events.length) : undefined;
    if (problem) ctx.issues.push({ code: 'custom', message: problem, input: ctx.value.columns, path: ['columns'] });
  });
export type WireBatch = z.infer<typeof WireBatchSchema>;

/** The wire's schema; a batch as the stores read it has every event in `events` (no columns). */
export const EventBatchSchema = WireBatchSchema;
/** A batch with every event in `events`, in order: what the batcher folds and a client applies. */
export type EventBatch = Omit<WireBatch, 'columns'> & { columns?: undefined };

/** One line naming the first problem of a failed parse. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}
