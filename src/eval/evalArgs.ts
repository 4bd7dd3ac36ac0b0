/** Flags of `npm run eval`. Bad input throws one-line errors. */
import { parseArgs } from 'node:util';
import { CHAT_FAMILIES, type ChatFamily } from './plantedChat.js';
import type { RecallSetting } from './recall.js';
import type { BudgetSpec } from './runEval.js';

export const EVAL_USAGE = `usage: npm run eval -- [--seeds 5] [--policies a,b] [--budgets 512,1024,2048,4096,5%,10%]
                       [--recall on|off|on,off] [--chats planted|updates|both] [--tokens 20000] [--facts 12]
                       [--ask-all] [--json]
  --chats     planted: each fact stated once; updates: about half the facts restated later with a new
              value (only the latest counts); both (default): one table per family
  --ask-all   with recall on, also replay each chat once per planted fact (updates: per updated fact),
              asking about that fact`;

export interface EvalArgs {
  seeds: number;
  policies: string[];
  budgets: BudgetSpec[];
  /** Undefined: both settings (when the engine supports recall). */
  recall?: RecallSetting[];
  families: ChatFamily[];
  targetTokens: number;
  facts: number;
  askAll: boolean;
  json: boolean;
  help: boolean;
}

const list = (s: string): string[] => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0);

function positiveInt(flag: string, s: string, max = Number.MAX_SAFE_INTEGER): number {
  if (!/^\d+$/.test(s) || Number(s) < 1 || Number(s) > max) throw new Error(`--${flag} must be an integer from 1 to ${max} (got "${s}")`);
  return Number(s);
}

export function parseBudget(s: string): BudgetSpec {
  const m = /^(\d+(?:\.\d+)?)%$/.exec(s);
  if (m) {
    const p = Number(m[1]);
    if (p <= 0 || p > 100) throw new Error(`budget "${s}": a share must be above 0% and at most 100%`);
    return { percent: p };
  }
  if (!/^\d+$/.test(s) || Number(s) < 16) throw new Error(`budget "${s}": use a token count of at least 16 or a share like 5%`);
  return { tokens: Number(s) };
}

export function parseEvalArgs(argv: readonly string[], policyNames: readonly string[]): EvalArgs {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      seeds: { type: 'string', default: '5' },
      policies: { type: 'string' },
      budgets: { type: 'string', default: '512,1024,2048,4096,5%,10%' },
      recall: { type: 'string' },
      chats: { type: 'string', default: 'both' },
      tokens: { type: 'string', default: '20000' },
      facts: { type: 'string', default: '12' },
      json: { type: 'boolean', default: false },
      'ask-all': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const policies = values.policies === undefined ? [...policyNames] : list(values.policies);
  const unknown = policies.filter((p) => !policyNames.includes(p));
  if (unknown.length > 0) throw new Error(`unknown policy "${unknown[0]}" (available: ${policyNames.join(', ')})`);
  if (policies.length === 0) throw new Error('--policies names no policy');
  const budgets = list(values.budgets).map(parseBudget);
  if (budgets.length === 0) throw new Error('--budgets names no budget');
  let recall: RecallSetting[] | undefined;
  if (values.recall !== undefined) {
    recall = list(values.recall).map((r) => {
      if (r !== 'on' && r !== 'off') throw new Error(`--recall takes on, off or on,off (got "${r}")`);
      return r;
    });
  }
  const chats = values.chats.trim();
  if (chats !== 'both' && !(CHAT_FAMILIES as readonly string[]).includes(chats)) throw new Error(`--chats takes planted, updates or both (got "${chats}")`);
  return {
    seeds: positiveInt('seeds', values.seeds, 1000),
    policies,
    budgets,
    recall,
    families: chats === 'both' ? [...CHAT_FAMILIES] : [chats as ChatFamily],
    targetTokens: positiveInt('tokens', values.tokens, 2_000_000),
    facts: positiveInt('facts', values.facts, 16),
    askAll: values['ask-all'],
    json: values.json,
    help: values.help,
  };
}
