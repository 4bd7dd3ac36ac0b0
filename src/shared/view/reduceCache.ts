import { assertNever, type HostEvent } from '../protocol.js';
import { eventsOf, RESETS, type EventOf } from './draft.js';
import type { Ring } from './ring.js';
import { addServerTurn } from './serverUsage.js';
import { emptyCache, type CacheState, type EmbeddingPoint } from './viewState.js';
import { cacheFromSnapshot } from './snapshot.js';

export const CACHE_EVENTS = [...RESETS, 'cacheReport', 'embeddingCache', 'chatDone'] as const;

/**
 * The cache store: KV-cache reuse per turn with exact totals (local models), a server's turns with its
 * prompt-cache hits when it reports them, and the embedding cache's hit rate per policy call. The series
 * are rings pushed to in place (a batch costs its own events, never a copy
 * of a series); a loaded session starts new ones.
 */
export function reduceCache(state: CacheState, events: readonly HostEvent[]): CacheState | undefined {
  let next: CacheState | undefined;
  const draft = () => (next ??= { ...state }); // the same rings: only the totals and the version are new
  for (const e of eventsOf(events, CACHE_EVENTS)) {
    switch (e.type) {
      case 'helloAck':
        next = { ...cacheFromSnapshot(e.snapshot), version: 0 };
        break;
      case 'sessionLoaded':
        next = emptyCache();
        break;
      case 'cacheReport': {
        const x = draft();
        x.reports.push({ turn: e.turn, hit: e.hit, reusedTokens: e.reusedTokens, recomputedTokens: e.recomputedTokens });
        const t = x.kvTotals;
        x.kvTotals = { turns: t.turns + 1, reusedTokens: t.reusedTokens + e.reusedTokens, recomputedTokens: t.recomputedTokens + e.recomputedTokens };
        break;
      }
      case 'embeddingCache':
        addEmbeddingPoint(draft().embeddings, e);
        break;
      case 'chatDone':
        // a server's turn: its prompt-cache hits when it reports them (a local model's KV reuse comes as cacheReport)
        if (e.backend === 'openai') {
          const x = draft();
          x.serverTotals = addServerTurn(x.serverTurns, x.serverTotals, e);
        }
        break;
      default:
        assertNever(e, 'event');
    }
  }
  if (next) next.version = state.version + 1;
  return next;
}

/** A hit rate from the cumulative counters' deltas since the previous point. */
function addEmbeddingPoint(ring: Ring<EmbeddingPoint>, e: EventOf<'embeddingCache'>): void {
  const prev = ring.newest(0);
  const hits = e.hits - (prev?.hits ?? 0);
  const misses = e.misses - (prev?.misses ?? 0);
  ring.push({ turn: e.turn, hits: e.hits, misses: e.misses, hitRate: hits + misses > 0 ? (100 * hits) / (hits + misses) : 100, embedder: e.embedder });
}
