/**
 * A parameter sweep's pure parts, shared by `fms sweep` (src/cli/sweep*.ts, on worker threads) and the
 * app's Tune view (the engine host runs the grid over the open session): the settings a sweep varies,
 * every combination of them, and what one run reports — the same numbers from the same code, so a point of
 * the Tune view equals the `fms sweep` row and the `fms replay --json` of the same chat and settings.
 */
import type { EngineConfig, SettingName } from '../../shared/config.js';
import type { ChatMessageData } from '../../shared/protocol.js';
import type { Tokenizer } from '../core/tokenizer.js';
import { replayMessages, replayMessagesYielding, type ReplayResult } from '../replay.js';

/** The settings a sweep varies, in the grid's order (the first varies slowest). */
export const SWEEP_AXES = ['policy', 'maxTokens', 'window', 'recall', 'weights'] as const satisfies readonly SettingName[];
export type SweepAxis = (typeof SWEEP_AXES)[number];

/** The values of each axis (an axis not given is absent: the run keeps its base setting). */
export type SweepAxes = Partial<{ [K in SweepAxis]: EngineConfig[K][] }>;

/** One combination of the axes' values: the settings a run overrides. */
export type SweepSettings = Partial<Pick<EngineConfig, SweepAxis>>;

/** Every combination of the axes' values, the first axis varying slowest; one empty combination when none is given. */
export function settingsGrid(axes: SweepAxes): SweepSettings[] {
  let out: SweepSettings[] = [{}];
  for (const axis of SWEEP_AXES) {
    const values = axes[axis];
    if (!values) continue;
    out = out.flatMap((combo) => values.map((v) => ({ ...combo, [axis]: v })));
  }
  return out;
}

/**
 * Whether the whole sentence is in `context` verbatim, and not as the start of a fact card (a key–value
 * statement "Locker code: 5521" is inside the card "Locker code: 5521 (#34)").
 */
export function hasSentence(context: string, sentence: string): boolean {
  if (sentence.length === 0) return false;
  for (let at = context.indexOf(sentence); at >= 0; at = context.indexOf(sentence, at + 1)) {
    if (!context.startsWith(' (#', at + sentence.length)) return true;
  }
  return false;
}

/** What a sweep reports of one run (the grid adds which chat and settings). */
export interface RunFigures {
  /** Tokens of the final rendered context, as `fms replay --json` counts them. */
  contextTokens: number;
  /** Facts whose latest statement is in the final context. */
  factsKept: number;
  factsTotal: number;
  /** Where the facts came from: the planted facts beside the chat (fms sweep on eval chats), or the Facts ledger of the run. */
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

/** A replay's figures, with the facts counted by `facts` (default: the run's Facts ledger). */
export function runFigures(result: ReplayResult, facts?: { kept: number; total: number }): RunFigures {
  const counted = facts ?? ledgerFacts(result);
  return {
    contextTokens: result.contextTokens,
    factsKept: counted.kept,
    factsTotal: counted.total,
    factsFrom: facts ? 'planted' : 'ledger',
    evictions: result.evictionCount,
    engineMsTotal: result.engineMsTotal,
    turns: result.turns.length,
  };
}

/** A run's figures come from its stats and turns: no event, dump or profiler span is kept. */
const SWEEP_OPTIONS = { latencyBudget: false, keep: { evictions: false, dump: false, profile: false } } as const;

/** Replays one chat under one configuration the way a sweep does (deterministic: no latency budget, no events kept). */
export function sweepReplay(messages: readonly ChatMessageData[], tokenizer: Tokenizer, config: Partial<EngineConfig>): ReplayResult {
  return replayMessages(messages, tokenizer, config, SWEEP_OPTIONS);
}

/** The same run handing the event loop back every `yieldEvery` messages (the engine host's Tune); undefined when `signal` stopped it. */
export function sweepReplayYielding(messages: readonly ChatMessageData[], tokenizer: Tokenizer, config: Partial<EngineConfig>, yieldEvery: number, signal: AbortSignal, yieldNow?: () => Promise<void>): Promise<ReplayResult | undefined> {
  return replayMessagesYielding(messages, tokenizer, config, { ...SWEEP_OPTIONS, yieldEvery, signal, ...(yieldNow ? { yieldNow } : {}) });
}
