import type { ReplayResult } from '../engine/replay.js';

const ms = (x: number): string => (x < 1 ? x.toFixed(3) : x.toFixed(1));

/** The readable replay report: one line per turn, then the final stats. */
export function formatReplay(r: ReplayResult): string {
  const lines: string[] = [];
  lines.push(`policy ${r.policy}  max-tokens ${r.config.maxTokens}  window ${r.config.window}  tokenizer ${r.tokenizer}`);
  for (const t of r.turns) {
    const ev = t.evictedTokens > 0 ? `  evicted ${t.evictedTokens} (${t.evictionEvents} events)` : '';
    lines.push(`turn ${String(t.turn).padStart(4)}  +${t.tokensIn} tok  used ${t.used}/${r.config.maxTokens}${ev}  engine ${ms(t.engineMs)} ms`);
  }
  const s = r.stats;
  lines.push('');
  lines.push(`messages ${r.messages}${r.ignoredMessages ? ` (${r.ignoredMessages} after the last user message not replayed)` : ''}`);
  lines.push(`tokens seen ${s.tokensSeen}  retained ${s.tokensRetained} (pinned ${s.tokensPinned})  evicted ${s.tokensEvicted} in ${s.evictions} events`);
  lines.push(`compression ${s.compressionRatio.toFixed(2)}x  policy calls ${s.policyCalls}  fallbacks ${s.fallbackCount}  anchor cache ${s.anchorCacheHits} hits / ${s.anchorCacheMisses} misses`);
  lines.push(latencyLine(r));
  lines.push(factsLine(r));
  lines.push(`context ${r.contextTokens} tokens for the last user message${r.startsAtSentence ? '' : ' (starts mid-sentence: no boundary before the recent window)'}`);
  lines.push(`engine time ${ms(r.engineMsTotal)} ms total (policy + build, tokenization excluded)`);
  return `${lines.join('\n')}\n`;
}

/** The fact ledger's figures, as the Facts view's header shows them. */
export function factsLine(r: ReplayResult): string {
  const f = r.facts;
  if (f.total === 0) return `facts none found  facts share ${f.shareTokens} tokens`;
  const states = Object.entries(f.byState).map(([state, n]) => `${n} ${state}`).join(', ');
  return `facts ${f.total} (${states}), ${f.superseded} superseded statements  held ${f.heldTokens}/${f.shareTokens} tokens of the facts share`;
}

/** Whether the replay ran under the latency budget, and the turns it made fall back to sliding. */
export function latencyLine(r: ReplayResult): string {
  if (!r.latencyBudget) return 'latency budget off (a replay is deterministic; --latency-budget runs under it as live turns do)';
  if (r.config.maxPolicyMs === 0) return 'latency budget on, but --max-policy-ms is 0: no limit';
  const turns = r.fallbacks.length === 0 ? 'no turn fell back to sliding' : `fell back to sliding on ${r.fallbacks.length} turn${r.fallbacks.length === 1 ? '' : 's'}: ${r.fallbacks.join(', ')}`;
  return `latency budget ${r.config.maxPolicyMs} ms: ${turns}`;
}
