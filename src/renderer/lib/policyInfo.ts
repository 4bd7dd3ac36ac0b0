import type { PolicyName } from '../../shared/config';
/** What model the policies can use now: a local model (logits, embeddings), a server (completions only), or none. */
export type ModelAccess = 'local' | 'server' | 'none';

/** Which settings a policy reads is the catalog's `usedBy` (src/shared/config.ts). */
interface PolicyInfo {
  /** One line: what the policy keeps and how. */
  what: string;
  /** What the model changes, by what is connected (absent: the policy never uses a model). */
  model?: Record<ModelAccess, string>;
}

const REPLAY_NOTE = 'Apply and re-run replays without the model';

/** One entry per engine policy; policyInfo.test.ts checks it covers POLICY_NAMES. */
export const POLICY_INFO: Record<PolicyName, PolicyInfo> = {
  sliding: {
    what: 'Keeps the newest tokens: the oldest unpinned tokens go first, and the context is trimmed to start at a sentence boundary.',
  },
  salience: {
    what: 'Keeps whole sentences by value — numbers, dates, names, quotes and stated facts per token, plus recency — chosen by knapsack; needs no model.',
  },
  importance: {
    what: 'Values whole sentences by logit probes (how far dropping one moves the next-token distribution) plus salience; knapsack keeps the best.',
    model: {
      local: `Chat turns probe the local model; ${REPLAY_NOTE}, so there importance is the labelled recency fallback.`,
      server: 'The server gives no logits: importance is a recency fallback, labelled as such in every eviction.',
      none: 'No local model: importance is a recency fallback, labelled as such in every eviction.',
    },
  },
  semantic: {
    what: 'Embeds sentences (lexical hashing), clusters them and keeps one representative per cluster, then facts, then recency: repeats go first.',
  },
  rolling_summary: {
    what: 'Every summary interval of new tokens (once the context is half full) folds the oldest older sentences and the previous summary into one summary message.',
    model: {
      local: `Chat turns have the model write the summary, kept only if it passes the QA gate, else extractive; ${REPLAY_NOTE}: extractive.`,
      server: `Chat turns have the server write the summary, kept only if it passes the QA gate, else extractive; ${REPLAY_NOTE}: extractive.`,
      none: 'No model: summaries are extractive (the most salient sentences of the source, verbatim).',
    },
  },
  hybrid: {
    what: 'Scores whole sentences by a weighted sum of importance (logit probes), semantic uniqueness and recency, plus salience; knapsack keeps the best.',
    model: {
      local: `Chat turns probe and embed with the local model; ${REPLAY_NOTE}, so there importance is the labelled recency fallback and uniqueness lexical.`,
      server: 'The server gives no logits or embeddings: importance is a labelled recency fallback and uniqueness uses lexical hashing.',
      none: 'No local model: importance is a labelled recency fallback and uniqueness uses lexical hashing.',
    },
  },
};

/** The one-line explanation of a policy, with what the connected model changes. */
export function policyExplanation(policy: string, model: ModelAccess): string {
  const info = Object.hasOwn(POLICY_INFO, policy) ? POLICY_INFO[policy as PolicyName] : undefined;
  if (!info) return `${policy}: a policy this version of the studio does not describe.`;
  return info.model ? `${info.what} ${info.model[model]}` : info.what;
}
