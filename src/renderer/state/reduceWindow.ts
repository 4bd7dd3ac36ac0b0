import { assertNever, type HostEvent } from '../../shared/protocol.js';
import { Draft, eventsOf, RESETS, type EventOf } from './draft.js';
import type { WindowState } from './stores.js';

const MAX_HISTORY = 5000;
const MAX_TURNS = 5000;

export const WINDOW_EVENTS = [...RESETS, 'windowSnapshot', 'contextBuilt', 'stats', 'configChanged'] as const;

type Series = Pick<WindowState, 'history' | 'turns' | 'anchorHistory'>;

/** The window store: config, the latest snapshot, context and stats, and the per-turn series (bounded). */
export function reduceWindow(state: WindowState, events: readonly HostEvent[]): Partial<WindowState> {
  const d = new Draft<WindowState>(state);
  let series: Series | undefined; // copied once per batch, on the first turn
  for (const e of eventsOf(events, WINDOW_EVENTS)) {
    switch (e.type) {
      case 'helloAck':
      case 'sessionLoaded':
        d.set({ config: e.session.config, snapshot: undefined, context: undefined, stats: undefined });
        series = { history: [], turns: [], anchorHistory: [] };
        break;
      case 'windowSnapshot':
        d.set({ snapshot: e });
        break;
      case 'contextBuilt':
        d.set({ context: e });
        break;
      case 'stats':
        d.set({ stats: e.stats });
        if (e.turn) addTurn((series ??= copySeries(state)), e, d.get('config')?.maxTokens ?? 0);
        break;
      case 'configChanged':
        d.set({ config: e.config });
        break;
      default:
        assertNever(e, 'event');
    }
  }
  return series ? { ...d.patch, ...capSeries(series) } : d.patch;
}

/** One point per turn: tokens used by role, the turn's stats, and the anchor cache's hit rate from the counters' deltas. */
function addTurn(series: Series, e: EventOf<'stats'>, maxTokens: number): void {
  const turn = e.turn!;
  series.turns.push(turn);
  series.history.push({ turn: turn.turn, used: turn.used, maxTokens, ...(e.byRole ?? { system: 0, user: 0, assistant: 0, tool: 0 }) });
  const prev = series.anchorHistory.at(-1);
  const hits = e.stats.anchorCacheHits - (prev?.hits ?? 0);
  const misses = e.stats.anchorCacheMisses - (prev?.misses ?? 0);
  series.anchorHistory.push({ turn: turn.turn, hits: e.stats.anchorCacheHits, misses: e.stats.anchorCacheMisses, hitRate: hits + misses > 0 ? (100 * hits) / (hits + misses) : 100 });
}

function copySeries(state: WindowState): Series {
  return { history: [...state.history], turns: [...state.turns], anchorHistory: [...state.anchorHistory] };
}

function capSeries({ history, turns, anchorHistory }: Series): Series {
  return { history: newest(history, MAX_HISTORY), turns: newest(turns, MAX_TURNS), anchorHistory: newest(anchorHistory, MAX_HISTORY) };
}

const newest = <T>(list: T[], max: number): T[] => (list.length > max ? list.slice(-max) : list);
