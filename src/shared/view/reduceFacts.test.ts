import { describe, expect, it } from 'vitest';
import { FactsEventSchema, type FactRow, type FactsEvent } from '../protocol.js';
import { reduceFacts } from './reduceFacts.js';
import { factRow } from '../testing/factRow.js';
import { batch, hello, helloFrom, loaded as loadedAs } from '../testing/viewEvents.js';
import { emptySnapshot, toSnapshot } from './snapshot.js';
import { ViewModel } from './viewModel.js';
import { emptyFacts } from './viewState.js';

const row = factRow;
const facts = (rows: FactRow[], turn = 6): FactsEvent => ({ type: 'facts', turn, rows, total: rows.length, superseded: rows.reduce((n, r) => n + r.history.length, 0), heldTokens: 12, shareTokens: 204 });
const loaded = loadedAs('rerun');

describe('reduceFacts', () => {
  it('keeps the batch’s last facts event (last value wins)', () => {
    const a = facts([row({ value: '5521', history: [] })], 2);
    const b = facts([row()], 6);
    expect(FactsEventSchema.parse(b)).toEqual(b);
    expect(reduceFacts(emptyFacts(), [a, b])?.ledger).toBe(b);
    expect(reduceFacts({ ledger: b }, [a])?.ledger).toBe(a);
  });

  it('changes nothing for batches without facts, and for the same event again', () => {
    const b = facts([row()]);
    expect(reduceFacts({ ledger: b }, [{ type: 'replayProgress', done: 1, total: 2 }])).toBeUndefined();
    expect(reduceFacts({ ledger: b }, [b])).toBeUndefined();
    expect(reduceFacts(emptyFacts(), [loaded])).toBeUndefined();
  });

  it('starts over with a loaded session, and takes a hello’s snapshot (with or without facts)', () => {
    const b = facts([row()]);
    expect(reduceFacts({ ledger: b }, [loaded])).toEqual({ ledger: undefined });
    expect(reduceFacts({ ledger: b }, [hello()])).toEqual({ ledger: undefined });
    expect(reduceFacts(emptyFacts(), [hello({ ...emptySnapshot(), facts: b })])?.ledger).toBe(b);
    // a loaded session followed by its first facts in the same batch: the facts stand
    expect(reduceFacts({ ledger: b }, [loaded, facts([row({ id: 9 })])])?.ledger?.rows[0].id).toBe(9);
  });
});

describe('the view model’s facts', () => {
  it('keeps the last facts event, and its snapshot rebuilds the same ledger in a late client', () => {
    const model = new ViewModel();
    expect(toSnapshot(model).snapshot.facts).toBeUndefined(); // absent, not undefined: the schema is strict
    expect('facts' in toSnapshot(model).snapshot).toBe(false);
    const last = facts([row({ pinned: true, state: 'held' }), row({ id: 2, holder: 'Priya Raman', attribute: 'badge number', label: 'Priya Raman’s badge number', value: '88', history: [] })]);
    model.apply(batch([facts([row({ value: '5521', history: [] })], 2)]));
    model.apply(batch([last]));
    expect(model.facts.ledger).toBe(last);
    const late = new ViewModel();
    late.apply(batch([helloFrom(model)]));
    expect(late.facts.ledger).toEqual(last);
    late.apply(batch([loaded]));
    expect(late.facts.ledger).toBeUndefined();
  });
});
