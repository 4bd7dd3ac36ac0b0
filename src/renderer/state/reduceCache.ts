import { assertNever, type HostEvent } from '../../shared/protocol.js';
import { eventsOf, RESETS, type EventOf } from './draft.js';
import type { CacheState } from './stores.js';

const MAX_EMBEDDING_POINTS = 2000;

export const CACHE_EVENTS = [...RESETS, 'cacheReport', 'embeddingCache'] as const;

/** The cache store: KV-cache reuse per turn, and the embedding cache's hit rate per policy call (bounded). */
export function reduceCache(state: CacheState, events: readonly HostEvent[]): CacheState | undefined {
  let next: CacheState | undefined; // its lists copied once per batch
  const draft = () => (next ??= { reports: [...state.reports], embeddings: [...state.embeddings] });
  for (const e of eventsOf(events, CACHE_EVENTS)) {
    switch (e.type) {
      case 'helloAck':
      case 'sessionLoaded':
        next = { reports: [], embeddings: [] };
        break;
      case 'cacheReport':
        draft().reports.push({ turn: e.turn, hit: e.hit, reusedTokens: e.reusedTokens, recomputedTokens: e.recomputedTokens });
        break;
      case 'embeddingCache':
        addEmbeddingPoint(draft().embeddings, e);
        break;
      default:
        assertNever(e, 'event');
    }
  }
  if (next && next.embeddings.length > MAX_EMBEDDING_POINTS) next.embeddings = next.embeddings.slice(-MAX_EMBEDDING_POINTS);
  return next;
}

/** A hit rate from the cumulative counters' deltas since the previous point. */
function addEmbeddingPoint(list: CacheState['embeddings'], e: EventOf<'embeddingCache'>): void {
  const prev = list.at(-1);
  const hits = e.hits - (prev?.hits ?? 0);
  const misses = e.misses - (prev?.misses ?? 0);
  list.push({ turn: e.turn, hits: e.hits, misses: e.misses, hitRate: hits + misses > 0 ? (100 * hits) / (hits + misses) : 100, embedder: e.embedder });
}
