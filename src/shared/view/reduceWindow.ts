import { assertNever, type HostEvent } from '../protocol.js';
import { Draft, eventsOf, RESETS, type EventOf } from './draft.js';
import { emptySeries, type WindowState } from './viewState.js';
import { windowFromSnapshot } from './snapshot.js';

export const WINDOW_EVENTS = [...RESETS, 'windowSnapshot', 'contextBuilt', 'stats', 'configChanged'] as const;

/**
 * The window store: config, the latest snapshot, context and stats, and the per-turn series: rings
 * pushed to in place (a batch costs its own turns, never a copy of a series); a loaded session
 * starts new ones.
 */
export function reduceWindow(state: WindowState, events: readonly HostEvent[]): Partial<WindowState> {
  const d = new Draft<WindowState>(state);
  let seriesChanged = false;
  for (const e of eventsOf(events, WINDOW_EVENTS)) {
    switch (e.type) {
      case 'helloAck':
        d.set({ ...windowFromSnapshot(e.snapshot), config: e.session.config }); // the session's config is current also before any session loaded
        seriesChanged = true;
        break;
      case 'sessionLoaded':
        d.set({ config: e.session.config, snapshot: undefined, context: undefined, stats: undefined, ...emptySeries() });
        seriesChanged = true;
        break;
      case 'windowSnapshot':
        d.set({ snapshot: e });
        break;
      case 'contextBuilt':
        d.set({ context: e });
        break;
      case 'stats':
        d.set({ stats: e.stats });
        if (e.turn) {
          addTurn(d, e, d.get('config')?.maxTokens ?? 0);
          seriesChanged = true;
        }
        break;
      case 'configChanged':
        d.set({ config: e.config });
        break;
      default:
        assertNever(e, 'event');
    }
  }
  return seriesChanged ? { ...d.patch, seriesVersion: state.seriesVersion + 1 } : d.patch;
}

/** One point per turn: tokens used by role, the turn's stats, and the anchor cache's hit rate from the counters' deltas. */
function addTurn(d: Draft<WindowState>, e: EventOf<'stats'>, maxTokens: number): void {
  const turn = e.turn!;
  const anchors = d.get('anchorHistory');
  d.get('turns').push(turn);
  d.get('history').push({ turn: turn.turn, used: turn.used, maxTokens, ...(e.byRole ?? { system: 0, user: 0, assistant: 0, tool: 0 }) });
  const prev = anchors.newest(0);
  const hits = e.stats.anchorCacheHits - (prev?.hits ?? 0);
  const misses = e.stats.anchorCacheMisses - (prev?.misses ?? 0);
  anchors.push({ turn: turn.turn, hits: e.stats.anchorCacheHits, misses: e.stats.anchorCacheMisses, hitRate: hits + misses > 0 ? (100 * hits) / (hits + misses) : 100 });
}
