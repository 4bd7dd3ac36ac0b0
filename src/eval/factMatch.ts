/**
 * Whether a statement of a fact is in a rendered context: its whole sentence verbatim, or a fact card
 * the engine put there in its place. A card is one line `<label>: <value> (#<messageId>)`; it counts
 * only when its label ends in the fact's attribute words (case-insensitive) and names the fact's
 * person (a whole name: "Elena Petrov" is not in "Elena Petrova's"), or, for the user's own fact,
 * names none of the chat's people.
 */
import { hasSentence } from '../engine/sweep/runFigures.js';

/** The parts of a planted fact the matcher reads. */
export interface MatchFact {
  attribute: string;
  /** Absent: the user's own fact. */
  person?: string;
  sentence: string;
  value: string;
  updates: readonly { sentence: string; value: string }[];
}

export type KeptBy = 'sentence' | 'card';

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const namesIn = (text: string, name: string): boolean => new RegExp(`(?<![A-Za-z])${escape(name)}(?![A-Za-z])`).test(text);

/** The labels of every card line in `context` that states `value`. */
export function cardLabels(context: string, value: string): string[] {
  const needle = `: ${value} (#`;
  const out: string[] = [];
  for (let at = context.indexOf(needle); at >= 0; at = context.indexOf(needle, at + 1)) {
    out.push(context.slice(context.lastIndexOf('\n', at) + 1, at));
  }
  return out;
}

/** Whether `context` holds a card for this holder and attribute with this value. */
export function hasCard(context: string, fact: Pick<MatchFact, 'attribute' | 'person'>, value: string, people: readonly string[]): boolean {
  const values = value.startsWith('"') && value.endsWith('"') ? [value, value.slice(1, -1)] : [value];
  const attribute = fact.attribute.toLowerCase();
  return values.some((v) =>
    cardLabels(context, v).some((label) => {
      if (!label.toLowerCase().endsWith(attribute)) return false;
      if (fact.person !== undefined) return namesIn(label, fact.person);
      return !people.some((p) => namesIn(label, p));
    }),
  );
}

/** Whether the whole sentence is in `context` verbatim, not as the start of a card (the sweep counts facts with the same test). */
export { hasSentence };

/** How a statement is kept: its sentence first, else a card; undefined when neither is in the context. */
export function statementKept(context: string, fact: Pick<MatchFact, 'attribute' | 'person'>, statement: { sentence: string; value: string }, people: readonly string[]): KeptBy | undefined {
  if (hasSentence(context, statement.sentence)) return 'sentence';
  return hasCard(context, fact, statement.value, people) ? 'card' : undefined;
}

export interface FactState {
  /** How the latest statement is kept, if it is. */
  latest?: KeptBy;
  /** The latest is not kept but an older statement is: an answer from this context would be stale. */
  stale: boolean;
}

/** The state of a fact in a context: its latest statement kept (and how), or only an older one (stale). */
export function factState(context: string, fact: MatchFact, people: readonly string[]): FactState {
  const statements = [fact, ...fact.updates];
  const latest = statementKept(context, fact, statements[statements.length - 1], people);
  if (latest) return { latest, stale: false };
  return { stale: statements.slice(0, -1).some((s) => statementKept(context, fact, s, people) !== undefined) };
}
