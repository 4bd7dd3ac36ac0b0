/**
 * What the engine emits: every decision (messages, window snapshots, evictions with their reasons,
 * recalls, span scores, contexts, stats, profile spans, summaries) as zod schemas with their `z.infer`
 * types. protocol.ts adds the host's commands and events and re-exports all of this.
 */
import { z } from 'zod';
import { ROLES } from './roles.js';
import { count, int } from './schemaParts.js';

export { ROLES };
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
  /** The span stated a fact that a later statement superseded (or the user forgot the fact). */
  'superseded',
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
  /** A live fact's sentence held in the context by the facts share. */
  held: z.boolean().optional(),
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
  /** telemetry-export-failed: the OpenTelemetry collector refused or could not be reached (said once; spans are dropped while it fails). */
  code: z.enum(['pinned-over-budget', 'no-sentence-boundary', 'policy-fallback', 'model-step-failed', 'session-differs', 'telemetry-export-failed']),
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

/**
 * Where a fact's latest statement is: its sentence in the context (the window, or held by the facts share), evicted,
 * brought back by recall, or forgotten by the user. A superseded statement is history.
 */
export const FactStateSchema = z.enum(['context', 'held', 'evicted', 'recalled', 'forgotten']);
export type FactState = z.infer<typeof FactStateSchema>;

/** An older value of a fact, superseded by a later statement (newest first in a row's history). */
export const FactValueSchema = z.strictObject({ id: count(), value: z.string(), messageId: count(), turn: count() });
export type FactValue = z.infer<typeof FactValueSchema>;

/** What a statement of a fact says and where it is: the fields a Facts row and a session's saved statement share. */
export const factStatementShape = () => ({
  /** 'user', 'assistant', or a named person as written ("Priya Raman"). */
  holder: z.string(),
  /** The attribute's key (lower case): what a restatement must match to supersede it. */
  attribute: z.string(),
  /** The writer's own words for the holder's attribute ("my locker code", "Priya Raman's badge number"). */
  label: z.string(),
  value: z.string(),
  messageId: count(),
  turn: count(),
  from: count(),
  to: count(),
  startPos: count(),
  /** The sentence that states it (a Facts row's is cut to 300 characters). */
  text: z.string(),
  /** Found by the rules (deterministic) or by the connected model (prompted JSON). */
  source: z.enum(['rules', 'model']),
});

/**
 * One fact of the ledger: a holder's attribute with its latest value (statement `id`), where that statement is
 * (message, token range [from, to) of the message, absolute positions), its state, and the values it superseded.
 */
export const FactRowSchema = z.strictObject({
  id: count(),
  ...factStatementShape(),
  state: FactStateSchema,
  pinned: z.boolean(),
  history: z.array(FactValueSchema),
});
export type FactRow = z.infer<typeof FactRowSchema>;

/**
 * The fact ledger as it is now (last value wins): its newest rows (at most MAX_FACT_ROWS), how many it holds, and
 * the tokens the facts share holds against its cap.
 */
export const FactsEventSchema = z.strictObject({
  type: z.literal('facts'),
  turn: count(),
  rows: z.array(FactRowSchema),
  total: count(),
  superseded: count(),
  heldTokens: count(),
  shareTokens: count(),
});
export type FactsEvent = z.infer<typeof FactsEventSchema>;

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
  FactsEventSchema,
]);
export type EngineEvent = z.infer<typeof EngineEventSchema>;

export type EngineEventType = EngineEvent['type'];

export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
