import { describe, expect, it } from 'vitest';
import { MAX_TUNE_RUNS, type HostEvent, type TuneRun } from '../protocol.js';
import { batch, hello, helloFrom, loaded } from '../testing/viewEvents.js';
import { reduceTune } from './reduceTune.js';
import { toSnapshot } from './snapshot.js';
import { ViewModel } from './viewModel.js';
import { emptyTune, type TuneViewState } from './viewState.js';

const run = (index: number, maxTokens = 512): TuneRun => ({ index, settings: { maxTokens }, contextTokens: 480 - index, factsKept: 2, factsTotal: 3, evictions: 40 + index, engineMsTotal: 12.5 });
const axes = { maxTokens: [512, 1024], recall: [true, false] };
const started = (id: string, total: number): HostEvent => ({ type: 'tuneStarted', id, total, axes });
const progress = (id: string, done: number, total: number, r: TuneRun): HostEvent => ({ type: 'tuneProgress', id, done, total, run: r });
const done = (id: string, n: number, total: number): HostEvent => ({ type: 'tuneDone', id, done: n, total, cancelled: n < total });
const fold = (events: HostEvent[], state: TuneViewState = emptyTune()): TuneViewState => reduceTune(state, events) ?? state;

describe('reduceTune', () => {
  it('follows a grid from its start through each run to its end', () => {
    const s = fold([started('a', 3), progress('a', 1, 3, run(1)), progress('a', 2, 3, run(0))]);
    expect(s.grid).toEqual({ id: 'a', axes, total: 3, done: 2, finished: false, cancelled: false, runs: [run(1), run(0)] });
    expect(fold([done('a', 2, 3)], s).grid).toMatchObject({ done: 2, finished: true, cancelled: true });
    expect(fold([progress('a', 3, 3, run(2)), done('a', 3, 3)], s).grid).toMatchObject({ done: 3, finished: true, cancelled: false });
  });

  it('ignores another grid’s reports, a run reported twice, and batches without tune events', () => {
    const s = fold([started('a', 2), progress('a', 1, 2, run(0))]);
    expect(reduceTune(s, [progress('b', 1, 2, run(1)), done('b', 1, 2)])).toBeUndefined();
    expect(reduceTune(s, [progress('a', 1, 2, run(0))])).toBeUndefined();
    expect(reduceTune(s, [{ type: 'replayProgress', done: 1, total: 2 }])).toBeUndefined();
    expect(reduceTune(emptyTune(), [progress('a', 1, 2, run(0))])).toBeUndefined(); // its start not seen: not shown
  });

  it('keeps the grid through a re-run under a point’s settings; another session, or a new grid, starts over', () => {
    const s = fold([started('a', 1), progress('a', 1, 1, run(0)), done('a', 1, 1)]);
    expect(reduceTune(s, [loaded('rerun')])).toBeUndefined();
    expect(fold([loaded('open')], s).grid).toBeUndefined();
    expect(fold([loaded('new')], s).grid).toBeUndefined();
    expect(fold([started('b', 4)], s).grid).toEqual({ id: 'b', axes, total: 4, done: 0, finished: false, cancelled: false, runs: [] });
  });

  it('holds at most MAX_TUNE_RUNS runs', () => {
    const events: HostEvent[] = [started('a', MAX_TUNE_RUNS + 5)];
    for (let i = 0; i < MAX_TUNE_RUNS + 5; i++) events.push(progress('a', i + 1, MAX_TUNE_RUNS + 5, run(i)));
    expect(fold(events).grid?.runs).toHaveLength(MAX_TUNE_RUNS);
  });
});

describe('the view model’s Tune grid', () => {
  it('travels in the snapshot: a late client shows the same grid, running or done, and can tell it apart from the next', () => {
    const model = new ViewModel();
    expect('tune' in toSnapshot(model).snapshot).toBe(false); // absent, not undefined: the schema is strict
    model.apply(batch([started('a', 3), progress('a', 1, 3, run(2, 1024))]));
    const late = new ViewModel();
    late.apply(batch([helloFrom(model)]));
    expect(late.tune).toEqual(model.tune);
    // the rest of the grid reaches both the same way
    const rest = batch([progress('a', 2, 3, run(0)), progress('a', 3, 3, run(1)), done('a', 3, 3)]);
    model.apply(rest);
    late.apply(rest);
    expect(late.tune).toEqual(model.tune);
    expect(late.tune.grid?.runs.map((r) => r.index)).toEqual([2, 0, 1]);
    // a hello without a grid (another session on the host) clears it
    late.apply(batch([hello()]));
    expect(late.tune.grid).toBeUndefined();
  });
});
