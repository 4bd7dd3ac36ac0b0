import { z } from 'zod';
import { EngineConfigSchema, PartialConfigSchema } from './config.js';
import { ROLES, type EngineCommandType } from './protocol.js';
import { MemoryStatsSchema, TurnStatsSchema } from './session.js';

/** Zod mirrors of protocol.ts; protocolSchemas.test.ts checks they match the TypeScript types. */
const int = () => z.int();
const count = () => z.int().min(0);
/** Ids, names and handles are short: a client cannot make the host hold a megabyte id. */
const id = () => z.string().min(1).max(200);
const name = () => z.string().max(1000);
const handle = () => z.string().regex(/^[A-Za-z0-9_-]{8,100}$/, 'not a file handle');
const role = z.enum(ROLES);
const byRole = z.strictObject({ system: z.number(), user: z.number(), assistant: z.number(), tool: z.number() });
const range = { messageId: count(), from: count(), to: count() };

export const EngineConfigDataSchema = EngineConfigSchema;
const ChatMessageDataSchema = z.strictObject({ role, content: z.string(), pinned: z.boolean().optional() });
export const BackendConfigSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('local'), model: z.string().min(1) }),
  z.strictObject({ kind: z.literal('openai'), baseUrl: z.string().min(1), model: z.string().min(1), apiKey: z.string().optional() }),
]);

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
  z.strictObject({ type: z.literal('openSession'), handle: handle() }),
  z.strictObject({ type: z.literal('openSessionText'), name: name(), text: z.string() }),
  z.strictObject({ type: z.literal('openBegin'), id: id(), name: name(), bytes: count() }),
  z.strictObject({ type: z.literal('openChunk'), id: id(), text: z.string() }),
  z.strictObject({ type: z.literal('openEnd'), id: id() }),
  z.strictObject({ type: z.literal('saveSession'), handle: handle().optional() }),
  z.strictObject({ type: z.literal('exportProfile'), format: z.enum(['speedscope', 'chrome']) }),
  z.strictObject({ type: z.literal('getMetrics') }),
  z.strictObject({ type: z.literal('whatIf'), a: PartialConfigSchema, b: PartialConfigSchema }),
]);

export const ServerCommandSchema = z.discriminatedUnion('type', [z.strictObject({ type: z.literal('restartEngine') })]);

export const COMMAND_TYPES = EngineCommandSchema.options.map((o) => o.shape.type.value) as [EngineCommandType, ...EngineCommandType[]];

const budget = z.strictObject({ maxTokens: count(), usedBefore: count(), usedAfter: count() });
const reason = z.strictObject({
  policy: z.string(),
  kind: z.enum(['budget', 'sentence-align', 'recall-expired', 'span-value', 'summarized']),
  detail: z.string(),
  score: z.number().optional(),
  cluster: int().optional(),
  budget,
});
const segment = z.strictObject({ ...range, role, pinned: z.boolean(), recalled: z.boolean().optional(), summary: z.boolean().optional() });
const span = z.strictObject({ name: z.string(), start: z.number(), end: z.number(), depth: count(), turn: count() });

export const EngineEventSchemas = [
  z.strictObject({ type: z.literal('messageAppended'), turn: count(), messageId: count(), role, pinned: z.boolean(), startPos: count(), tokens: count(), content: z.string(), summary: z.boolean().optional() }),
  z.strictObject({
    type: z.literal('windowSnapshot'),
    turn: count(),
    maxTokens: count(),
    used: count(),
    pinned: count(),
    retained: count(),
    recalled: count(),
    byRole,
    windowStartPos: int(),
    endPos: count(),
  }),
  z.strictObject({
    type: z.literal('eviction'),
    turn: count(),
    seq: count(),
    startPos: count(),
    endPos: count(),
    tokens: count(),
    ranges: z.array(z.strictObject(range)),
    preview: z.string(),
    reason,
  }),
  z.strictObject({
    type: z.literal('contextBuilt'),
    turn: count(),
    tokens: count(),
    maxTokens: count(),
    segments: z.array(segment),
    startsAtSentence: z.boolean(),
    ms: z.number(),
  }),
  z.strictObject({ type: z.literal('stats'), stats: MemoryStatsSchema, turn: TurnStatsSchema.optional(), byRole: byRole.optional() }),
  z.strictObject({ type: z.literal('profileSpan'), span }),
  z.strictObject({
    type: z.literal('recall'),
    turn: count(),
    seq: count(),
    query: z.string(),
    spans: z.array(
      z.strictObject({
        ...range,
        startPos: count(),
        endPos: count(),
        tokens: count(),
        score: z.number(),
        bm25Rank: count().optional(),
        denseRank: count().optional(),
        preview: z.string(),
      }),
    ),
    tokens: count(),
    budget,
  }),
  z.strictObject({
    type: z.literal('spanScores'),
    turn: count(),
    policy: z.string(),
    capacity: count(),
    spans: z.array(
      z.strictObject({
        messageId: count(),
        startPos: count(),
        tokens: count(),
        score: z.number(),
        kept: z.boolean(),
        cluster: count().optional(),
        representative: z.boolean().optional(),
        x: z.number().optional(),
        y: z.number().optional(),
      }),
    ),
  }),
  z.strictObject({ type: z.literal('embeddingCache'), turn: count(), embedder: z.string(), hits: count(), misses: count(), size: count() }),
  z.strictObject({
    type: z.literal('summary'),
    turn: count(),
    seq: count(),
    messageId: count(),
    startPos: count(),
    endPos: count(),
    sourceTokens: count(),
    tokens: count(),
    method: z.enum(['model', 'extractive']),
    fallback: z.string().optional(),
    gate: z.strictObject({ threshold: z.number().min(0).max(1), checked: count(), found: count(), missing: z.array(z.string()), passed: z.boolean() }),
    text: z.string(),
    budget,
  }),
  z.strictObject({ type: z.literal('warning'), turn: count(), code: z.enum(['pinned-over-budget', 'no-sentence-boundary', 'policy-fallback', 'model-step-failed']), message: z.string() }),
] as const;

const sessionInfo = z.strictObject({
  title: z.string(),
  path: z.string().optional(),
  messages: count(),
  config: EngineConfigDataSchema,
  tokenizer: z.string(),
});
const messageData = z.strictObject({ role, content: z.string(), id: count(), turn: count(), pinned: z.boolean(), tokens: count(), startPos: count(), summary: z.boolean().optional() });
const finish = z.enum(['stop', 'length', 'cancelled']);

const whatIfSide = z.strictObject({
  config: EngineConfigDataSchema,
  contextTokens: count(),
  evictions: count(),
  evictedTokens: count(),
  engineMs: z.number(),
  segments: z.array(segment),
});

export const HostEventSchema = z.discriminatedUnion('type', [
  ...EngineEventSchemas,
  z.strictObject({
    type: z.literal('helloAck'),
    protocolVersion: int(),
    host: z.string(),
    session: sessionInfo,
    messages: z.array(messageData),
    backend: BackendConfigSchema,
    limits: z.strictObject({ messageBytes: count(), commandBytes: count(), fileBytes: count(), lineBytes: count() }).optional(),
  }),
  z.strictObject({
    type: z.literal('error'),
    code: z.enum(['bad-command', 'protocol-mismatch', 'bad-config', 'bad-session', 'io', 'busy', 'no-backend', 'backend', 'too-large', 'overloaded', 'internal']),
    message: z.string(),
    command: z.enum(COMMAND_TYPES).optional(),
    id: z.string().optional(),
    repeated: count().optional(),
  }),
  z.strictObject({ type: z.literal('sessionLoaded'), session: sessionInfo, messages: z.array(messageData), reason: z.enum(['new', 'open', 'replay', 'restore', 'rerun']) }),
  z.strictObject({ type: z.literal('sessionSaved'), path: z.string().optional(), text: z.string().optional(), bytes: count() }),
  z.strictObject({ type: z.literal('replayProgress'), done: count(), total: count() }),
  z.strictObject({ type: z.literal('autosaved'), messages: count(), bytes: count() }),
  z.strictObject({ type: z.literal('openProgress'), id: z.string(), received: count(), total: count() }),
  z.strictObject({ type: z.literal('engineStopped'), reason: z.string() }),
  z.strictObject({ type: z.literal('configChanged'), config: EngineConfigDataSchema }),
  z.strictObject({ type: z.literal('backendChanged'), backend: BackendConfigSchema, ready: z.boolean(), message: z.string().optional() }),
  z.strictObject({ type: z.literal('chatToken'), id: z.string(), text: z.string() }),
  z.strictObject({
    type: z.literal('chatDone'),
    id: z.string(),
    finishReason: finish,
    messageId: count().optional(),
    promptTokens: count(),
    completionTokens: count(),
    ms: z.number(),
  }),
  z.strictObject({ type: z.literal('cacheReport'), turn: count(), hit: z.boolean(), reusedTokens: count(), recomputedTokens: count() }),
  z.strictObject({ type: z.literal('profileExport'), format: z.enum(['speedscope', 'chrome']), json: z.string() }),
  z.strictObject({ type: z.literal('metrics'), text: z.string() }),
  z.strictObject({ type: z.literal('hostRestarted'), reason: z.string(), restoredMessages: count() }),
  z.strictObject({ type: z.literal('modelProgress'), file: z.string(), loaded: z.number(), total: z.number(), percent: z.number(), status: z.string() }),
  z.strictObject({ type: z.literal('whatIfResult'), messages: count(), a: whatIfSide, b: whatIfSide }),
]);

export const EventBatchSchema = z.strictObject({
  type: z.literal('batch'),
  seq: count(),
  events: z.array(HostEventSchema),
  spans: z.strictObject({ names: z.array(z.string()), data: z.instanceof(Float64Array) }).optional(),
  merged: count(),
  sentAt: z.number(),
});

export const NoticeSchema = z.strictObject({ type: z.literal('notice'), events: z.array(HostEventSchema) });

/** One line naming the first problem of a failed parse. */
export function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
  return `${where}${issue.message}`;
}
