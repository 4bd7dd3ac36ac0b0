import { assertNever, MAX_TUNE_RUNS, type HostEvent } from '../protocol.js';
import { eventsOf, RESETS } from './draft.js';
import { tuneFromSnapshot } from './snapshot.js';
import type { TuneViewState } from './viewState.js';

export const TUNE_EVENTS = [...RESETS, 'tuneStarted', 'tuneProgress', 'tuneDone'] as const;

/**
 * The Tune view's store: the session's last grid, as the host reports it to every client (so a reload, a
 * second tab or a restarted page shows a running grid's progress and every run it ended, and can cancel
 * it). A re-run under a point's settings keeps the grid (it is about the same chat); another session
 * clears it. Reports of another grid than the current one are ignored. Undefined when the batch changes nothing.
 */
export function reduceTune(state: TuneViewState, events: readonly HostEvent[]): TuneViewState | undefined {
  let grid = state.grid;
  for (const e of eventsOf(events, TUNE_EVENTS)) {
    switch (e.type) {
      case 'helloAck':
        grid = tuneFromSnapshot(e.snapshot).grid;
        break;
      case 'sessionLoaded':
        if (e.reason !== 'rerun') grid = undefined;
        break;
      case 'tuneStarted':
        grid = { id: e.id, axes: e.axes, total: e.total, done: 0, finished: false, cancelled: false, runs: [] };
        break;
      case 'tuneProgress':
        if (grid?.id !== e.id || grid.runs.length >= MAX_TUNE_RUNS || grid.runs.some((r) => r.index === e.run.index)) break;
        grid = { ...grid, done: e.done, total: e.total, runs: [...grid.runs, e.run] };
        break;
      case 'tuneDone':
        if (grid?.id === e.id) grid = { ...grid, done: e.done, total: e.total, finished: true, cancelled: e.cancelled };
        break;
      default:
        assertNever(e, 'event');
    }
  }
  return grid === state.grid ? undefined : { grid };
}

