import type { ProfileSpan, TurnStats } from '../../../shared/protocol.js';
import type { TurnRecord } from './turnRecorder.js';

/** What a finished replay keeps that turn export needs (ReplayResult has it all). */
export interface ReplayedRun {
  turns: readonly TurnStats[];
  /** The profiler's spans in the order they ended (its ring: the newest DEFAULT_MAX_SPANS). */
  spans: readonly ProfileSpan[];
  config: { policy: string; maxTokens: number };
  engine: { messages(): ReadonlyArray<{ role: string; turn: number; tokens: number; summary?: boolean }> };
}

/**
 * One record per user turn of a finished replay, from what the replay returns: its TurnStats, its profiler
 * spans and its messages. `fms replay` runs the engine inside engine/replay.ts, which takes no event listener,
 * so the turns are read afterwards (which also keeps export out of the replay's timed loop). A top-level span
 * belongs, with everything nested in it, to the newest turn stamped inside it: the `ingest:user` span that
 * starts turn N+1 begins while turn N is current, its policy and build spans run in N+1. Recall is not in
 * what a replay returns, so these records carry no recalled tokens.
 */
export function replayTurnRecords(run: ReplayedRun, model: string | undefined): TurnRecord[] {
  const spansByTurn = new Map<number, ProfileSpan[]>();
  let group: ProfileSpan[] = [];
  let turn = 0;
  for (const span of run.spans) {
    group.push(span);
    turn = Math.max(turn, span.turn);
    if (span.depth !== 0) continue;
    const list = spansByTurn.get(turn);
    if (list) list.push(...group);
    else spansByTurn.set(turn, group);
    group = [];
    turn = 0;
  }
  const outputByTurn = new Map<number, number>();
  for (const m of run.engine.messages()) if (m.role === 'assistant' && !m.summary) outputByTurn.set(m.turn, (outputByTurn.get(m.turn) ?? 0) + m.tokens);
  const records: TurnRecord[] = [];
  for (const stats of run.turns) {
    if (stats.turn === 0) continue;
    const spans = spansByTurn.get(stats.turn) ?? [];
    records.push({
      stats,
      spans,
      promptTokens: stats.contextTokens,
      outputTokens: outputByTurn.get(stats.turn) ?? 0,
      maxTokens: run.config.maxTokens,
      ...(model ? { model } : {}),
      policy: run.config.policy,
      closedAt: spans.length > 0 ? spans[spans.length - 1].end : performance.now(),
    });
  }
  return records;
}
