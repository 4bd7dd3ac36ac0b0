/**
 * One run of a sweep: a chat replayed under one combination of settings, and the figures a sweep reports of
 * it. The same code runs in every worker thread, so a run's numbers do not depend on which worker ran it.
 */
import type { EngineConfig } from '../shared/config.js';
import type { ChatMessageData } from '../shared/protocol.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import { runFigures, sweepReplay, type RunFigures } from '../engine/sweep/runFigures.js';
import { factState } from '../eval/factMatch.js';
import type { PlantedFactsFile } from './sweepFacts.js';

export type { RunFigures } from '../engine/sweep/runFigures.js';

/** The planted facts whose latest statement is kept (its sentence, or a card), as the eval counts them. */
export function plantedFacts(context: string, planted: PlantedFactsFile): { kept: number; total: number } {
  const kept = planted.facts.filter((f) => factState(context, f, planted.people).latest !== undefined).length;
  return { kept, total: planted.facts.length };
}

/** Replays one chat under one configuration (deterministic: no latency budget, no events kept) and measures it. */
export function runOne(messages: readonly ChatMessageData[], tokenizer: Tokenizer, config: EngineConfig, planted: PlantedFactsFile | undefined): RunFigures {
  const result = sweepReplay(messages, tokenizer, config);
  return runFigures(result, planted ? plantedFacts(result.context, planted) : undefined);
}
