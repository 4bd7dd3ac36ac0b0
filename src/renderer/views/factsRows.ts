import type { FactRow, FactState, FactsEvent, FactValue } from '../../shared/protocol.js';
import { formatCount } from '../lib/formatNumber';

/** What the Facts view shows of the ledger: its rows in order, filtered, and the text of each part. */

/** The state badge's words. */
export const STATE_LABEL: Record<FactState, string> = {
  context: 'in context',
  held: 'held',
  evicted: 'evicted',
  recalled: 'recalled',
  forgotten: 'forgotten',
};

export interface FactFilter {
  /** Matched, case-insensitive, against the holder, the attribute (its key and label), the value and older values. */
  text: string;
}

const n = formatCount;
const plural = (x: number, one: string, many: string) => `${n(x)} ${x === 1 ? one : many}`;

/** "N facts · M superseded · held T / S tokens of the facts share". */
export function headerText(ledger: Pick<FactsEvent, 'total' | 'superseded' | 'heldTokens' | 'shareTokens'>): string {
  return `${plural(ledger.total, 'fact', 'facts')} · ${n(ledger.superseded)} superseded · held ${n(ledger.heldTokens)} / ${n(ledger.shareTokens)} tokens of the facts share`;
}

/** The state badge's text: the state, and "pinned" beside it when the user pinned the fact. */
export const stateText = (r: Pick<FactRow, 'state' | 'pinned'>): string => (r.pinned ? `${STATE_LABEL[r.state]} · pinned` : STATE_LABEL[r.state]);

/** An older value, as the history column says it: "was 5521 (#34)". */
export const historyText = (h: Pick<FactValue, 'value' | 'messageId'>): string => `was ${h.value} (#${h.messageId})`;

/** The row's one-line summary (its accessible name, the context map's hover): "my locker code = 7731". */
export const factText = (r: Pick<FactRow, 'label' | 'value'>): string => `${r.label} = ${r.value}`;

/** Newest statement first: a later turn, then a later statement of the same turn. */
const newestFirst = (a: FactRow, b: FactRow) => b.turn - a.turn || b.id - a.id;

/**
 * The rows the filter matches, newest statement first (the event's rows are left as they came). The
 * table renders only those in sight (the event carries at most a few hundred).
 */
export function factRows(ledger: Pick<FactsEvent, 'rows'> | undefined, filter: FactFilter): FactRow[] {
  if (!ledger) return [];
  const q = filter.text.trim().toLowerCase();
  const matched = q ? ledger.rows.filter((r) => matches(r, q)) : [...ledger.rows];
  return matched.sort(newestFirst);
}

/**
 * What the table holds: the rows the filter matched, or all the engine sent, saying when the engine
 * sent only its newest rows of a larger ledger.
 */
export function shownText(shown: number, ledger: Pick<FactsEvent, 'rows' | 'total'>, filtered: boolean): string {
  const n = formatCount;
  if (filtered) return `${n(shown)} matching, newest first`;
  if (ledger.rows.length < ledger.total) return `the newest ${n(ledger.rows.length)} of ${n(ledger.total)}, newest first`;
  return 'newest first';
}

function matches(r: FactRow, q: string): boolean {
  const has = (s: string) => s.toLowerCase().includes(q);
  return has(r.holder) || has(r.attribute) || has(r.label) || has(r.value) || r.history.some((h) => has(h.value));
}

/** What the table shows of a row is the same (a new facts event carries new objects for unchanged rows). */
export function sameFact(a: FactRow, b: FactRow): boolean {
  if (a === b) return true;
  if (a.id !== b.id || a.value !== b.value || a.state !== b.state || a.pinned !== b.pinned || a.messageId !== b.messageId) return false;
  if (a.holder !== b.holder || a.label !== b.label || a.attribute !== b.attribute || a.source !== b.source || a.text !== b.text) return false;
  if (a.history.length !== b.history.length) return false;
  return a.history.every((h, i) => h.id === b.history[i].id && h.value === b.history[i].value && h.messageId === b.history[i].messageId);
}

/**
 * The fact whose latest statement holds the token at `offset` (tokens from the start of message
 * `messageId`): its sentence is [from, to) of the message.
 */
export function factAt(ledger: Pick<FactsEvent, 'rows'> | undefined, messageId: number, offset: number): FactRow | undefined {
  return ledger?.rows.find((r) => r.messageId === messageId && r.from <= offset && offset < r.to);
}

/** The context map's hover line for a fact: "fact: my locker code = 7731 (held · pinned)". */
export const factHoverText = (r: FactRow): string => `fact: ${factText(r)} (${stateText(r)})`;
