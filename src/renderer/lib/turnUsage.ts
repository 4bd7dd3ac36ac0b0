import type { ReplyUsage, ServerTotals, ServerTurn } from '../../shared/view/serverUsage';
import { formatCount } from './formatNumber';

const n = formatCount;
const plural = (x: number, what: string): string => `${n(x)} ${what}${x === 1 ? '' : 's'}`;

/**
 * The badge beside a generated reply: the engine's count of the prompt, then the backend's own counts
 * (the server's `usage`, or the local model's) and the server's cached prompt tokens when it sent them.
 */
export function usageBadge(u: ReplyUsage): { label: string; title: string } {
  const who = u.backend === 'openai' ? 'server' : 'model';
  const engine = `prompt ${n(u.enginePromptTokens)} engine`;
  const engineTitle = `The engine counts ${plural(u.enginePromptTokens, 'prompt token')} in the context it built (chat template included).`;
  const b = u.backendUsage;
  if (!b) return { label: engine, title: `${engineTitle} The ${who} reported no usage.` };
  const cached = b.cachedPromptTokens;
  const label = `${engine} · ${n(b.promptTokens)} ${who} · reply ${n(b.completionTokens)}${cached !== undefined ? ` · ${n(cached)} cached` : ''}`;
  const cacheTitle =
    who === 'model' ? '' : cached !== undefined ? ` It served ${plural(cached, 'prompt token')} from its prompt cache.` : ' It did not report cached tokens (usage.prompt_tokens_details.cached_tokens).';
  return { label, title: `${engineTitle} The ${who} counts ${plural(b.promptTokens, 'prompt token')} and ${plural(b.completionTokens, 'reply token')}.${cacheTitle}` };
}

/** The Cache view's line about a server's prompt cache; undefined before the first server turn. */
export function serverCacheText(t: ServerTotals): string | undefined {
  if (t.turns === 0) return undefined;
  const turns = plural(t.turns, 'server turn');
  if (t.withUsage === 0) return `Server prompt cache: not reported (the server reported no usage on ${turns})`;
  if (t.withCached === 0) return `Server prompt cache: not reported (the server does not report cached tokens, usage.prompt_tokens_details.cached_tokens, on ${turns})`;
  const pct = t.promptTokens > 0 ? (100 * t.cachedTokens) / t.promptTokens : 0;
  const rest = t.withCached < t.turns ? `; ${n(t.turns - t.withCached)} of ${turns} did not report it` : '';
  return `Server prompt cache: ${pct.toFixed(1)}% of prompt tokens cached (${n(t.cachedTokens)} of ${n(t.promptTokens)} over ${plural(t.withCached, 'turn')})${rest}`;
}

/** One bar of the server-turn chart: cached and uncached prompt tokens, or the prompt whose caching went unreported. */
export interface ServerCacheBar {
  turn: number;
  cached: number;
  uncached: number;
  /** The server's prompt tokens when it reported no cached tokens; the engine's count when it reported no usage. */
  unreported: number;
}

export function serverCacheBar(t: ServerTurn): ServerCacheBar {
  if (t.cachedTokens !== undefined && t.promptTokens !== undefined) {
    return { turn: t.turn, cached: t.cachedTokens, uncached: Math.max(0, t.promptTokens - t.cachedTokens), unreported: 0 };
  }
  return { turn: t.turn, cached: 0, uncached: 0, unreported: t.promptTokens ?? t.enginePromptTokens };
}
