/**
 * The retention benchmark: planted-fact chats replayed under every policy × recall × budget, with
 * retention of whole fact sentences in the final rendered context, averaged over seeds.
 */
import { replayMessages } from '../engine/replay.js';
import { DEFAULT_CONFIG } from '../engine/engine.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import { askingAbout, plantedChat, type PlantedChat } from './plantedChat.js';
import { checkRecallApplied, recallSupport, RECALL_SETTINGS, type RecallSetting } from './recall.js';
import { addRetention, emptyRetention, percent, retainedFacts, retentionByPosition, type RetentionByPosition } from './retention.js';

/** A fixed token budget, or a share of each chat's own tokens. */
export type BudgetSpec = { tokens: number } | { percent: number };

export const budgetLabel = (b: BudgetSpec): string => ('tokens' in b ? String(b.tokens) : `${b.percent}%`);

export interface EvalOptions {
  /** Seeds 1..seeds. */
  seeds: number;
  policies: readonly string[];
  budgets: readonly BudgetSpec[];
  /** Used only when the engine supports recall (default: on and off). */
  recall?: readonly RecallSetting[];
  targetTokens?: number;
  facts?: number;
  /**
   * With recall on, also replay each chat once per planted fact, ending with a question about that
   * fact, and report how often the asked fact is in the context (`everyFactAsked`).
   */
  askAll?: boolean;
  onProgress?: (line: string) => void;
}

export interface EvalRow {
  policy: string;
  recall: RecallSetting | 'n/a';
  budget: string;
  /** Mean over seeds (differs per seed for % budgets). */
  budgetTokens: number;
  window: number;
  /** Percent of facts kept, pooled over seeds (each seed plants the same number per third). */
  retention: Record<keyof RetentionByPosition, number>;
  /** Percent of seeds whose questioned fact was kept. */
  askedFactKept: number;
  /** With askAll and recall on: percent of (chat, fact) pairs whose fact was kept when the chat asked about it. */
  everyFactAsked?: number;
  compressionRatio: number;
  engineMsPerTurn: number;
  contextTokens: number;
  runs: number;
}

export interface EvalReport {
  seeds: number[];
  chats: { seed: number; tokens: number; messages: number; facts: number }[];
  recall: { supported: boolean; note: string };
  rows: EvalRow[];
}

/** Budget in tokens for one chat; the window shrinks below the engine default only for tiny budgets. */
export function resolveBudget(b: BudgetSpec, chatTokens: number): { maxTokens: number; window: number } {
  const maxTokens = 'tokens' in b ? b.tokens : Math.round((b.percent / 100) * chatTokens);
  if (maxTokens < 16) throw new Error(`budget ${budgetLabel(b)} is ${maxTokens} tokens for this chat; the engine needs at least 16`);
  return { maxTokens, window: Math.min(DEFAULT_CONFIG.window, Math.floor(maxTokens / 2)) };
}

export function runEval(tokenizer: Tokenizer, options: EvalOptions): EvalReport {
  const support = recallSupport();
  const settings: (RecallSetting | undefined)[] = support.supported ? [...(options.recall ?? RECALL_SETTINGS)] : [undefined];
  const seeds = Array.from({ length: options.seeds }, (_, i) => i + 1);
  const chats = seeds.map((seed) => {
    const chat: PlantedChat = plantedChat({ seed, targetTokens: options.targetTokens, facts: options.facts });
    return { seed, chat, tokens: tokenizer.countTokens(tokenizer.renderChat(chat.messages, false)) };
  });
  // One discarded replay first, so the first row's engine time does not include JIT warm-up.
  if (chats.length > 0 && options.policies.length > 0 && options.budgets.length > 0) {
    const b = resolveBudget(options.budgets[0], chats[0].tokens);
    replayMessages(chats[0].chat.messages, tokenizer, { policy: options.policies[0], ...b });
  }
  const rows: EvalRow[] = [];
  for (const policy of options.policies) {
    for (const setting of settings) {
      for (const budget of options.budgets) {
        const total = emptyRetention();
        let budgetTokens = 0, window = 0, asked = 0, ratio = 0, ms = 0, turns = 0, contextTokens = 0, everyKept = 0, everyRuns = 0;
        for (const { seed, chat, tokens } of chats) {
          const b = resolveBudget(budget, tokens);
          const config = { policy, ...b, ...(setting === undefined ? {} : support.config(setting)) };
          const result = replayMessages(chat.messages, tokenizer, config);
          checkRecallApplied(support, setting, result.config);
          addRetention(total, retentionByPosition(result.context, chat.facts));
          if (retainedFacts(result.context, [chat.facts[chat.question.factIndex]]).length === 1) asked++;
          budgetTokens += b.maxTokens;
          window = b.window;
          ratio += result.stats.compressionRatio;
          ms += result.engineMsTotal;
          turns += result.turns.length;
          contextTokens += result.contextTokens;
          options.onProgress?.(`${policy} recall=${setting ?? 'n/a'} budget=${budgetLabel(budget)} seed=${seed}: ${b.maxTokens} tokens`);
          if (options.askAll && setting === 'on') {
            for (let f = 0; f < chat.facts.length; f++) {
              const asking = askingAbout(chat, f);
              const r = replayMessages(asking.messages, tokenizer, config);
              if (retainedFacts(r.context, [asking.facts[f]]).length === 1) everyKept++;
              everyRuns++;
            }
          }
        }
        const n = Math.max(1, chats.length);
        const pct = (k: keyof RetentionByPosition): number => percent(total[k]) ?? 0;
        rows.push({
          policy,
          recall: setting ?? 'n/a',
          budget: budgetLabel(budget),
          budgetTokens: budgetTokens / n,
          window,
          retention: { overall: pct('overall'), early: pct('early'), mid: pct('mid'), late: pct('late') },
          askedFactKept: (100 * asked) / n,
          ...(everyRuns > 0 ? { everyFactAsked: (100 * everyKept) / everyRuns } : {}),
          compressionRatio: ratio / n,
          engineMsPerTurn: ms / Math.max(1, turns),
          contextTokens: contextTokens / n,
          runs: chats.length,
        });
      }
    }
  }
  return {
    seeds,
    chats: chats.map((c) => ({ seed: c.seed, tokens: c.tokens, messages: c.chat.messages.length, facts: c.chat.facts.length })),
    recall: { supported: support.supported, note: support.note },
    rows,
  };
}
