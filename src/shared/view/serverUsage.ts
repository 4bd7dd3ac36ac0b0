/**
 * Token counts of generated turns as the chat badges and the Cache view show them: the engine's count
 * of the prompt beside the backend's own (an OpenAI-compatible server's `usage`, or a local model's),
 * and a server's prompt-cache hits (`usage.prompt_tokens_details.cached_tokens`) per turn.
 */
import type { HostEvent, ReplyUsage, ServerTotals, ServerTurn } from '../protocol.js';
import type { Ring } from './ring.js';

export type { BackendUsage, ReplyUsage, ServerTotals, ServerTurn } from '../protocol.js';

type ChatDone = Extract<HostEvent, { type: 'chatDone' }>;

export const emptyServerTotals = (): ServerTotals => ({ turns: 0, withUsage: 0, withCached: 0, promptTokens: 0, cachedTokens: 0 });

export function replyUsageOf(e: ChatDone): ReplyUsage {
  return { backend: e.backend, enginePromptTokens: e.enginePromptTokens, ...(e.backendUsage ? { backendUsage: e.backendUsage } : {}) };
}

/** Records a server turn in the ring; returns the new totals (a new object: selecting it is selecting "a turn came"). */
export function addServerTurn(ring: Ring<ServerTurn>, totals: ServerTotals, e: ChatDone): ServerTotals {
  const u = e.backendUsage;
  const cached = u?.cachedPromptTokens;
  ring.push({
    turn: e.turn,
    enginePromptTokens: e.enginePromptTokens,
    ...(u ? { promptTokens: u.promptTokens, completionTokens: u.completionTokens } : {}),
    ...(cached !== undefined ? { cachedTokens: cached } : {}),
  });
  return {
    turns: totals.turns + 1,
    withUsage: totals.withUsage + (u ? 1 : 0),
    withCached: totals.withCached + (cached !== undefined ? 1 : 0),
    promptTokens: totals.promptTokens + (cached !== undefined ? u!.promptTokens : 0),
    cachedTokens: totals.cachedTokens + (cached ?? 0),
  };
}
