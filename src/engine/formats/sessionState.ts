import { savedSettings, SESSION_FORMAT, SESSION_VERSION, sessionStats, sessionTurn, type Session, type SessionMetadata } from '../../shared/session.js';
import { base64ToBytes, base64ToInt32, bytesToBase64, int32ToBase64 } from './base64.js';
import { retainedRuns, segmentTokens } from '../core/contextBuilder.js';
import { emptyStats, emptyTurn } from '../core/turnBook.js';
import { configData, createEngine, type Engine, type EngineOptions, type RestoredRun } from '../engine.js';

/** The engine's whole state as a versioned session object (runtime classes stay out of it). */
export function engineToSession(engine: Engine, metadata: SessionMetadata): Session {
  const { ledger } = engine;
  const runs = retainedRuns(ledger);
  const { segments } = runs;
  const total = segments.reduce((n, s) => n + s.to - s.from, 0);
  const ids = new Int32Array(total);
  const flags = new Uint8Array(total);
  let o = 0;
  segments.forEach((_seg, i) => {
    const t = segmentTokens(ledger, runs, i);
    ids.set(t.ids, o);
    flags.set(t.flags, o);
    o += t.ids.length;
  });
  const config = engine.config();
  const recall = engine.recallState();
  const facts = engine.factsState();
  return {
    format: SESSION_FORMAT,
    version: SESSION_VERSION,
    metadata,
    config: { ...configData(config), tokenizer: engine.tokenizer.name },
    messages: engine.messages().map((m) => ({ ...m })),
    ledger: {
      nextPos: ledger.nextPos,
      turn: engine.turn,
      nextMessageId: ledger.messageCount,
      evictionSeq: engine.evictionSeq,
      runs: segments.map((s) => ({ messageId: s.messageId, from: s.from, to: s.to })),
      tokenIds: int32ToBase64(ids),
      flags: bytesToBase64(flags),
      ...(recall ? { recall } : {}),
      ...(facts ? { facts } : {}),
    },
    stats: sessionStats(engine.stats()),
    turns: engine.turns().map(sessionTurn),
  };
}

/**
 * Rebuilds an engine from a validated session. Throws a one-line error when the session cannot be
 * restored with this tokenizer (token ids are tokenizer-specific).
 */
export function engineFromSession(session: Session, options: Omit<EngineOptions, 'policy' | 'maxTokens' | 'window' | 'pinSystem'>): Engine {
  const { config, ledger: saved } = session;
  if (config.tokenizer !== options.tokenizer.name) {
    throw new Error(`session was tokenized with "${config.tokenizer}", not "${options.tokenizer.name}": load it with that tokenizer or replay its messages`);
  }
  const { turn, evictionSeq, nextPos, recall, facts } = saved;
  // measured values are not saved: the restored engine measures from zero
  const stats = { ...emptyStats(), ...session.stats };
  const turns = session.turns.map((t) => ({ ...emptyTurn(t.turn), ...t }));
  return createEngine({ ...options, ...savedSettings(config) }, { messages: session.messages, runs: decodedRuns(saved), nextPos, stats, turns, turn, evictionSeq, recall, facts });
}

/** The session's retained tokens, run by run (decoded when the engine reads them, after its messages). */
function* decodedRuns(saved: Session['ledger']): Generator<RestoredRun> {
  const ids = base64ToInt32(saved.tokenIds);
  const flags = base64ToBytes(saved.flags);
  let o = 0;
  for (const run of saved.runs) {
    const n = run.to - run.from;
    yield { messageId: run.messageId, from: run.from, ids: ids.subarray(o, o + n), flags: flags.subarray(o, o + n) };
    o += n;
  }
}
