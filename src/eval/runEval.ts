/**
 * The retention benchmark: planted-fact chats replayed under every policy × recall × budget, with
 * retention of whole fact sentences in the final rendered context, averaged over seeds.
 */
import { replayMessages } from '../engine/replay.js';
import { DEFAULT_CONFIG } from '../engine/engine.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import { factState, type KeptBy } from './factMatch.js';
import { askingAbout, CHAT_FAMILIES, plantedChat, type ChatFamily, type PlantedChat } from './plantedChat.js';
import { ALL_NAMES } from './plantedFacts.js';
import { checkRecallApplied, recallSupport, RECALL_SETTINGS, type RecallSetting } from './recall.js';
import { addRetention, countState, emptyRetention, percent, retention, type RetentionCount } from './retention.js';

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
  /** Which chat families to replay (default: both). */
  families?: readonly ChatFamily[];
  targetTokens?: number;
  facts?: number;
  /**
   * With recall on, also replay each chat once per planted fact (updates family: per updated fact),
   * ending with a question about that fact, and report how often its latest statement is in the
   * context (`everyFactAsked`) and how often only an older one is (`everyFactAskedStale`).
   */
  askAll?: boolean;
  onProgress?: (line: string) => void;
}

/** Percents of a set of facts: latest statement kept (sentence or card), kept only as a card, stale. */
export interface KeptFigures {
  kept: number;
  /** Kept as the whole sentence. */
  sentence: number;
  /** Kept only as a fact card. */
  card: number;
  /** Only an older value's statement kept: an answer from this context would be stale. */
  stale: number;
}

export interface EvalRow {
  family: ChatFamily;
  policy: string;
  recall: RecallSetting | 'n/a';
  budget: string;
  /** Mean over seeds (differs per seed for % budgets). */
  budgetTokens: number;
  window: number;
  /**
   * Percent of facts whose latest statement was kept (sentence or card), pooled over seeds: all facts,
   * per third of the chat (by the first statement), the user's own and third persons'.
   */
  retention: { overall: number; early: number; mid: number; late: number; user: number; person: number };
  /** All facts, split by how they were kept. */
  facts: KeptFigures;
  /** Updates family: the facts restated with a new value (`count` per chat). */
  updated?: KeptFigures & { count: number };
  /** Percent of seeds whose questioned fact's latest statement was kept (sentence or card). */
  askedFactKept: number;
  /** The questioned fact, split as `facts` (percent of seeds). */
  asked: KeptFigures;
  /** The questioned fact in each seed's chat: how its latest statement was kept (absent: not kept), and whether only an older value was. */
  askedPerSeed: { seed: number; fact: string; latest?: KeptBy; stale: boolean }[];
  /** With askAll and recall on: percent of (chat, fact) pairs whose latest statement was kept when the chat asked about it. */
  everyFactAsked?: number;
  /** With askAll and recall on: percent of those pairs where only an older value was kept. */
  everyFactAskedStale?: number;
  compressionRatio: number;
  engineMsPerTurn: number;
  contextTokens: number;
  runs: number;
}

export interface EvalReport {
  seeds: number[];
  chats: { family: ChatFamily; seed: number; tokens: number; messages: number; facts: number; updated: number; statements: number }[];
  recall: { supported: boolean; note: string };
  rows: EvalRow[];
}

/** Budget in tokens for one chat; the window shrinks below the engine default only for tiny budgets. */
export function resolveBudget(b: BudgetSpec, chatTokens: number): { maxTokens: number; window: number } {
  const maxTokens = 'tokens' in b ? b.tokens : Math.round((b.percent / 100) * chatTokens);
  if (maxTokens < 16) throw new Error(`budget ${budgetLabel(b)} is ${maxTokens} tokens for this chat; the engine needs at least 16`);
  return { maxTokens, window: Math.min(DEFAULT_CONFIG.window, Math.floor(maxTokens / 2)) };
}

const figures = (c: RetentionCount): KeptFigures => ({
  kept: percent(c.kept, c.total) ?? 0,
  sentence: percent(c.kept - c.card, c.total) ?? 0,
  card: percent(c.card, c.total) ?? 0,
  stale: percent(c.stale, c.total) ?? 0,
});

interface EvalChat {
  seed: number;
  chat: PlantedChat;
  tokens: number;
}

export function runEval(tokenizer: Tokenizer, options: EvalOptions): EvalReport {
  const support = recallSupport();
  const settings: (RecallSetting | undefined)[] = support.supported ? [...(options.recall ?? RECALL_SETTINGS)] : [undefined];
  const seeds = Array.from({ length: options.seeds }, (_, i) => i + 1);
  const families = options.families ?? CHAT_FAMILIES;
  const chatsOf = new Map<ChatFamily, EvalChat[]>(
    families.map((family) => [
      family,
      seeds.map((seed) => {
        const chat = plantedChat({ seed, targetTokens: options.targetTokens, facts: options.facts, updates: family === 'updates' });
        return { seed, chat, tokens: tokenizer.countTokens(tokenizer.renderChat(chat.messages, false)) };
      }),
    ]),
  );
  const all = [...chatsOf.values()].flat();
  // One discarded replay first, so the first row's engine time does not include JIT warm-up.
  if (all.length > 0 && options.policies.length > 0 && options.budgets.length > 0) {
    const b = resolveBudget(options.budgets[0], all[0].tokens);
    replayMessages(all[0].chat.messages, tokenizer, { policy: options.policies[0], ...b });
  }
  const rows: EvalRow[] = [];
  for (const [family, chats] of chatsOf) {
    for (const policy of options.policies) {
      for (const setting of settings) {
        for (const budget of options.budgets) {
          const total = emptyRetention();
          const asked = emptyRetention().overall;
          const askedPerSeed: EvalRow['askedPerSeed'] = [];
          let budgetTokens = 0, window = 0, ratio = 0, ms = 0, turns = 0, contextTokens = 0, everyKept = 0, everyStale = 0, everyRuns = 0;
          for (const { seed, chat, tokens } of chats) {
            const b = resolveBudget(budget, tokens);
            const config = { policy, ...b, ...(setting === undefined ? {} : support.config(setting)) };
            const result = replayMessages(chat.messages, tokenizer, config);
            checkRecallApplied(support, setting, result.config);
            addRetention(total, retention(result.context, chat.facts, ALL_NAMES));
            const askedFact = chat.facts[chat.question.factIndex];
            const state = factState(result.context, askedFact, ALL_NAMES);
            askedPerSeed.push({ seed, fact: askedFact.label, ...state });
            countState(asked, state);
            budgetTokens += b.maxTokens;
            window = b.window;
            ratio += result.stats.compressionRatio;
            ms += result.engineMsTotal;
            turns += result.turns.length;
            contextTokens += result.contextTokens;
            options.onProgress?.(`${family} ${policy} recall=${setting ?? 'n/a'} budget=${budgetLabel(budget)} seed=${seed}: ${b.maxTokens} tokens`);
            if (options.askAll && setting === 'on') {
              for (let f = 0; f < chat.facts.length; f++) {
                if (family === 'updates' && chat.facts[f].updates.length === 0) continue;
                const r = replayMessages(askingAbout(chat, f).messages, tokenizer, config);
                const s = factState(r.context, chat.facts[f], ALL_NAMES);
                if (s.latest) everyKept++;
                if (s.stale) everyStale++;
                everyRuns++;
              }
            }
          }
          const n = Math.max(1, chats.length);
          const pct = (c: RetentionCount): number => percent(c.kept, c.total) ?? 0;
          rows.push({
            family,
            policy,
            recall: setting ?? 'n/a',
            budget: budgetLabel(budget),
            budgetTokens: budgetTokens / n,
            window,
            retention: { overall: pct(total.overall), early: pct(total.early), mid: pct(total.mid), late: pct(total.late), user: pct(total.user), person: pct(total.person) },
            facts: figures(total.overall),
            ...(family === 'updates' ? { updated: { ...figures(total.updated), count: total.updated.total / n } } : {}),
            askedFactKept: pct(asked),
            asked: figures(asked),
            askedPerSeed,
            ...(everyRuns > 0 ? { everyFactAsked: (100 * everyKept) / everyRuns, everyFactAskedStale: (100 * everyStale) / everyRuns } : {}),
            compressionRatio: ratio / n,
            engineMsPerTurn: ms / Math.max(1, turns),
            contextTokens: contextTokens / n,
            runs: chats.length,
          });
        }
      }
    }
  }
  return {
    seeds,
    chats: all.map(({ seed, chat, tokens }) => ({
      family: chat.family,
      seed,
      tokens,
      messages: chat.messages.length,
      facts: chat.facts.length,
      updated: chat.facts.filter((f) => f.updates.length > 0).length,
      statements: chat.facts.reduce((n, f) => n + 1 + f.updates.length, 0),
    })),
    recall: { supported: support.supported, note: support.note },
    rows,
  };
}
