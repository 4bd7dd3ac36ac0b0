/**
 * Version 1 of the saved-session format, read only. It was version 2 with measured values in its
 * stats and turns (durations, the decode cache's counters), which a reopened session measures anew,
 * so reading it drops them. Its rolling summaries are flagged as in version 2.
 */
import { z } from 'zod';
import { MemoryStatsSchema, TurnStatsSchema } from './protocol';
import { SESSION_VERSION, SessionSchema, sessionStats, sessionTurn, type Session } from './session';

export const SessionV1Schema = SessionSchema.extend({
  version: z.literal(1),
  stats: MemoryStatsSchema,
  turns: z.array(TurnStatsSchema),
});
export type SessionV1 = z.infer<typeof SessionV1Schema>;

/** A version 1 session as the current version. */
export function fromV1(session: SessionV1): Session {
  return { ...session, version: SESSION_VERSION, stats: sessionStats(session.stats), turns: session.turns.map(sessionTurn) };
}
