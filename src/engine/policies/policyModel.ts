import type { Backend } from '../backend.js';
import type { PolicyModel } from './types.js';

/**
 * What the model-based policies may use of a backend: logits and embeddings when it has them (local
 * models), and greedy completions for summaries (every backend). Undefined when there is nothing.
 */
export function policyModelOf(backend: Backend | undefined): PolicyModel | undefined {
  if (!backend) return undefined;
  return {
    name: `${backend.kind}:${backend.model}`,
    nextTokenLogits: backend.capabilities.logits && backend.nextTokenLogits ? (contexts) => (backend.nextTokenLogits as NonNullable<Backend['nextTokenLogits']>)(contexts) : undefined,
    embed: backend.capabilities.embeddings && backend.embed ? (texts) => (backend.embed as NonNullable<Backend['embed']>)(texts) : undefined,
    complete: async (prompt, maxNewTokens) => (await backend.generate({ messages: [{ role: 'user', content: prompt }], maxNewTokens, temperature: 0 })).text,
  };
}
