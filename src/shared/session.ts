/**
 * The saved-session file format (version 2; sessionV1.ts reads version 1). Pure data, kept apart from
 * the engine's runtime classes. Field order in the schemas below is the serialization order (see
 * engine/formats/sessionCodec.ts). Objects are strict: unknown keys are rejected, so a typo never loads silently.
 *
 * A session is its conversation under its settings, and the state the engine reached with it. Opening
 * one replays the conversation (`sessionConversation`: rolling summaries left out, the engine makes
 * them again) under the saved settings, so the file holds nothing a replay cannot make again: no
 * durations or process-wide cache counters (they describe a run, not the session). Saving a session
 * that was just opened therefore writes the same bytes.
 */
import { z } from 'zod';
import type { EngineConfig } from './config';
import { checkBetweenSettings, SessionSettingsShape } from './configSchemas';
import { factStatementShape, MemoryStatsSchema, RoleSchema, TurnStatsSchema, type ChatMessageData, type MemoryStats, type TurnStats } from './protocol';

export const SESSION_FORMAT = 'finite-memory-studio.session';
export const SESSION_VERSION = 2;

/** Measured values of the engine's stats and turns, left out of a session (version 1 saved them). */
const MEASURED_STATS = { policyLatencyMs: true, policyLatencyMsTotal: true, anchorCacheHits: true, anchorCacheMisses: true } as const;
const MEASURED_TURN = { tokenizeMs: true, policyMs: true, buildMs: true, engineMs: true, modelMs: true } as const;
/** The engine's running totals as a session saves them: counts only. */
export const SessionStatsSchema = MemoryStatsSchema.omit(MEASURED_STATS);
/** One turn as a session saves it: counts only. */
export const SessionTurnSchema = TurnStatsSchema.omit(MEASURED_TURN);

const count = () => z.int().min(0);

export const SessionMetadataSchema = z.strictObject({
  title: z.string(),
  app: z.string(),
  createdAt: z.iso.datetime({ offset: true }),
  /** When a save last changed the session (saving an unchanged session keeps it). */
  savedAt: z.iso.datetime({ offset: true }),
});

const { policy, maxTokens, window, pinSystem, ...optional } = SessionSettingsShape;
/** The settings a session was saved with (the catalog in config.ts) and its tokenizer; settings newer than the file may be absent. */
export const SessionConfigSchema = z.strictObject({
  policy: policy.unwrap(),
  maxTokens: maxTokens.unwrap(),
  window: window.unwrap(),
  tokenizer: z.string(),
  pinSystem: pinSystem.unwrap(),
  ...optional,
}).superRefine(checkBetweenSettings);

export const SessionMessageSchema = z.strictObject({
  id: count(),
  role: RoleSchema,
  turn: count(),
  content: z.string(),
  pinned: z.boolean(),
  /** Tokens of the message's content. */
  tokens: count(),
  /** Absolute position of the message's first token in the conversation's token stream. */
  startPos: count(),
  /** A rolling summary the engine made: not part of the conversation or its token stream (startPos is where its source began). */
  summary: z.boolean().optional(),
});

/** Retained tokens [from, to) of one message, as offsets into that message's own tokens. */
export const LedgerRunSchema = z.strictObject({
  messageId: count(),
  from: count(),
  to: count(),
});

export const SessionLedgerSchema = z.strictObject({
  nextPos: count(),
  turn: count(),
  nextMessageId: count(),
  evictionSeq: count(),
  /** In ascending absolute position (message.startPos + from), non-overlapping. */
  runs: z.array(LedgerRunSchema),
  /** Base64 of the little-endian Int32 token ids of all runs, concatenated in run order. */
  tokenIds: z.string(),
  /** Base64 of one Uint8 flag byte per retained token, in the same order as tokenIds. */
  flags: z.string(),
  /** The recall index (span boundaries; tokens come from the messages); absent when recall never ran. */
  recall: z
    .strictObject({
      nextId: count(),
      spans: z.array(z.strictObject({ id: count(), messageId: count(), from: count(), to: count() })),
      /** Recall ids of the ledger's recalled spans in order; -1 for a fact sentence the facts share holds. */
      recalled: z.array(z.int().min(-1)),
      pending: z.strictObject({ messageId: count(), from: count(), to: count() }).optional(),
    })
    .optional(),
  /** The fact ledger: every statement (supersededBy -1 while it is the latest of its holder's attribute), and the user's pins and forgets. */
  facts: z
    .strictObject({
      statements: z.array(
        z.strictObject({ id: count(), ...factStatementShape(), update: z.boolean(), retracts: z.boolean(), cue: z.boolean(), supersededBy: z.int().min(-1) }),
      ),
      pinned: z.array(z.tuple([z.string(), z.string()])),
      forgotten: z.array(z.tuple([z.string(), z.string()])),
    })
    .optional(),
});

export const SessionSchema = z.strictObject({
  format: z.literal(SESSION_FORMAT),
  version: z.literal(SESSION_VERSION),
  metadata: SessionMetadataSchema,
  config: SessionConfigSchema,
  messages: z.array(SessionMessageSchema),
  ledger: SessionLedgerSchema,
  stats: SessionStatsSchema,
  turns: z.array(SessionTurnSchema),
});

export type SessionMetadata = z.infer<typeof SessionMetadataSchema>;
export type SessionConfig = z.infer<typeof SessionConfigSchema>;
export type SessionMessage = z.infer<typeof SessionMessageSchema>;
export type LedgerRun = z.infer<typeof LedgerRunSchema>;
export type SessionLedger = z.infer<typeof SessionLedgerSchema>;
export type Session = z.infer<typeof SessionSchema>;
export type SessionStats = z.infer<typeof SessionStatsSchema>;
export type SessionTurn = z.infer<typeof SessionTurnSchema>;

/**
 * The conversation a session replays: its messages as written, without the rolling summaries the
 * engine made. A message says `pinned` only where it differs from what the saved pinSystem setting
 * gives it, so a replay under another pinSystem follows that setting, and one under the saved
 * settings pins exactly what the session pinned.
 */
export function sessionConversation(session: Pick<Session, 'messages' | 'config'>): ChatMessageData[] {
  const { pinSystem } = session.config;
  return session.messages
    .filter((m) => !m.summary)
    .map((m) => (m.pinned === (pinSystem && m.role === 'system') ? { role: m.role, content: m.content } : { role: m.role, content: m.content, pinned: m.pinned }));
}

/** The keys of `schema` that `value` has (a session's part of an engine record). */
function pick<T>(schema: z.ZodObject, value: object): T {
  const record = value as Record<string, unknown>;
  return Object.fromEntries(Object.keys(schema.shape).filter((k) => k in record).map((k) => [k, record[k]])) as T;
}
/** Stats as a session saves them (measured values left out). */
export const sessionStats = (stats: MemoryStats): SessionStats => pick(SessionStatsSchema, stats);
/** A turn as a session saves it (measured values left out). */
export const sessionTurn = (turn: TurnStats): SessionTurn => pick(SessionTurnSchema, turn);

/**
 * The engine settings a session was saved with: every catalog setting present in the file. Sessions
 * saved before recall existed had it off, and those saved before the facts share had none.
 */
export function savedSettings(c: SessionConfig): Partial<EngineConfig> {
  const { tokenizer: _tokenizer, ...settings } = c;
  const defined = Object.fromEntries(Object.entries(settings).filter(([, v]) => v !== undefined));
  return { ...defined, recall: c.recall ?? false, factShare: c.factShare ?? 0 };
}
