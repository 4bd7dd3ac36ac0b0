/**
 * One run of a sweep: a chat replayed under one combination of settings, and the figures a sweep reports of
 * it. The same code runs in every worker thread, so a run's numbers do not depend on which worker ran it.
 */
import type { EngineConfig } from '../shared/config.js';
import type { ChatMessageData } from '../shared/protocol.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import { replayMessages, type ReplayResult } from '../engine/replay.js';
import { factState, hasSentence } from '../eval/factMatch.js';
import type { PlantedFactsFile } from './sweepFacts.js';

/** What a sweep reports of one run (the grid adds which chat and settings). */
export interface RunFigures {
  /** Tokens of the final rendered context, as `fms replay --json` counts them. */
  contextTokens: number;
  /** Facts whose latest statement is in the final context. */
  factsKept: number;
  factsTotal: number;
  /** Where the facts came from: the planted facts beside the chat, or the Facts ledger of the run. */
  factsFrom: 'planted' | 'ledger';
  /** Eviction events, as `fms replay --json`'s `evictions`. */
  evictions: number;
  /** Policy + context-build time over all turns (the one figure that differs from run to run). */
  engineMsTotal: number;
  /** Turns replayed. */
  turns: number;
}

/**
 * The live facts of a replay's Facts ledger (the latest statement of each holder's attribute) and how many of
 * them have their sentence verbatim in the final context. The ledger holds every fact the chat states whatever
 * the budget (facts are found as messages arrive, before any eviction), so the run's own ledger is the chat's
 * whole set of facts: no second replay under a large budget is needed.
 */
export function ledgerFacts(result: ReplayResult): { kept: number; total: number } {
  const statements = result.engine.factsState()?.statements ?? [];
  let kept = 0;
  let total = 0;
  for (const s of statements) {
    if (s.supersededBy !== -1) continue;
    total++;
    if (hasSentence(result.context, s.text)) kept++;
  }
  return { kept, total };
}

/** The planted facts whose latest statement is kept (its sentence, or a card), as the eval counts them. */
export function plantedFacts(context: string, planted: PlantedFactsFile): { kept: number; total: number } {
  const kept = planted.facts.filter((f) => factState(context, f, planted.people).latest !== undefined).length;
  return { kept, total: planted.facts.length };
}

/** Replays one chat under one configuration (deterministic: no latency budget, no events kept) and measures it. */
export function runOne(messages: readonly ChatMessageData[], tokenizer: Tokenizer, config: EngineConfig, planted: PlantedFactsFile | undefined): RunFigures {
  const result = replayMessages(messages, tokenizer, config, { latencyBudget: false, keep: { evictions: false, dump: false } });
  const facts = planted ? plantedFacts(result.context, planted) : ledgerFacts(result);
  return {
    contextTokens: result.contextTokens,
    factsKept: facts.kept,
    factsTotal: facts.total,
    factsFrom: planted ? 'planted' : 'ledger',
    evictions: result.evictionCount,
    engineMsTotal: result.engineMsTotal,
    turns: result.turns.length,
  };
}
