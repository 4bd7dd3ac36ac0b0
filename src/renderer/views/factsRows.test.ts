import { describe, expect, it } from 'vitest';
import type { FactRow } from '../../shared/protocol.js';
import { factRow } from '../../shared/testing/factRow.js';
import { factAt, factHoverText, factRows, headerText, historyText, sameFact, shownText, stateText } from './factsRows';

const row = (over: Partial<FactRow> = {}): FactRow => factRow({ from: 3, to: 12, ...over });

const priya = row({ id: 9, holder: 'Priya Raman', attribute: 'badge number', label: 'Priya Raman’s badge number', value: '4410', messageId: 20, turn: 10, from: 0, to: 8, history: [] });
const city = row({ id: 2, attribute: 'city', label: 'I moved to', value: 'Lisbon', messageId: 3, turn: 1, state: 'recalled', history: [{ id: 1, value: 'Porto', messageId: 1, turn: 1 }] });

describe('the Facts view’s rows', () => {
  it('says the ledger’s totals and the facts share', () => {
    expect(headerText({ total: 1234, superseded: 5, heldTokens: 180, shareTokens: 2048 })).toBe('1,234 facts · 5 superseded · held 180 / 2,048 tokens of the facts share');
    expect(headerText({ total: 1, superseded: 0, heldTokens: 0, shareTokens: 204 })).toBe('1 fact · 0 superseded · held 0 / 204 tokens of the facts share');
  });

  it('shows states, pins and older values in words', () => {
    expect(stateText(row())).toBe('in context');
    expect(stateText(row({ state: 'held', pinned: true }))).toBe('held · pinned');
    expect(stateText(row({ state: 'forgotten' }))).toBe('forgotten');
    expect(historyText(row().history[0])).toBe('was 5521 (#4)');
  });

  it('orders rows newest statement first and filters them by holder, attribute, value or an older value', () => {
    const ledger = { rows: [row(), priya, city] };
    const ids = (text: string) => factRows(ledger, { text }).map((r) => r.id);
    expect(ids('')).toEqual([9, 7, 2]);
    expect(ids(' priya ')).toEqual([9]);
    expect(ids('LOCKER')).toEqual([7]);
    expect(ids('porto')).toEqual([2]); // an older value finds its fact
    expect(ids('lisbon')).toEqual([2]);
    expect(ids('nothing like it')).toEqual([]);
    expect(factRows(undefined, { text: '' })).toEqual([]);
    expect(ledger.rows.map((r) => r.id)).toEqual([7, 9, 2]); // the event's rows are left as they came
    // the same turn: the later statement first
    expect(factRows({ rows: [row({ id: 3, turn: 4 }), row({ id: 5, turn: 4 })] }, { text: '' }).map((r) => r.id)).toEqual([5, 3]);
  });

  it('says what the table holds: the matches, or the engine’s newest rows of a larger ledger', () => {
    const rows = [row(), priya];
    expect(shownText(2, { rows, total: 2 }, false)).toBe('newest first');
    expect(shownText(2, { rows, total: 1500 }, false)).toBe('the newest 2 of 1,500, newest first');
    expect(shownText(1, { rows, total: 1500 }, true)).toBe('1 matching, newest first');
  });

  it('tells a changed row from the same row in a new event', () => {
    expect(sameFact(row(), row())).toBe(true);
    expect(sameFact(row(), row({ pinned: true }))).toBe(false);
    expect(sameFact(row(), row({ state: 'evicted' }))).toBe(false);
    expect(sameFact(row(), row({ value: '9999' }))).toBe(false);
    expect(sameFact(row(), row({ history: [] }))).toBe(false);
    expect(sameFact(row(), row({ history: [{ id: 3, value: '5520', messageId: 4, turn: 2 }] }))).toBe(false);
  });

  it('finds the fact whose sentence holds a token of a message, for the context map’s hover', () => {
    const ledger = { rows: [row(), priya] };
    expect(factAt(ledger, 12, 3)?.id).toBe(7);
    expect(factAt(ledger, 12, 11)?.id).toBe(7);
    expect(factAt(ledger, 12, 12)).toBeUndefined(); // [from, to)
    expect(factAt(ledger, 12, 2)).toBeUndefined();
    expect(factAt(ledger, 20, 0)?.id).toBe(9);
    expect(factAt(ledger, 4, 5)).toBeUndefined(); // an older statement is history, not a fact of the ledger
    expect(factAt(undefined, 12, 5)).toBeUndefined();
    expect(factHoverText(row({ state: 'held', pinned: true }))).toBe('fact: my locker code = 7731 (held · pinned)');
  });
});
