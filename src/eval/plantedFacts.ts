/** Chooses the facts to plant and their look-alikes (other people, near-miss values, same values). */
import { FACT_PREFIXES, factSentence, sameValueSentence, typoSentence } from './filler.js';
import { ATTRIBUTES, EXTRA_NAMES, NAME_PAIRS, makeValue, nearMiss, pick, shuffle, type Attribute, type Next } from './people.js';

export type LookalikeKind = 'other-person' | 'near-miss' | 'same-value';

export interface FactSpec {
  sentence: string;
  person: string;
  attribute: Attribute;
  value: string;
  lookalikes: { sentence: string; kind: LookalikeKind }[];
}

/** Every name that may show up in ordinary sentences: fact people, their look-alikes and others. */
export const ALL_NAMES: readonly string[] = [...NAME_PAIRS.flat(), ...EXTRA_NAMES];

/** `count` facts about distinct people, each with one look-alike of every kind; fact values never repeat. */
export function chooseFacts(next: Next, count: number): FactSpec[] {
  if (count > NAME_PAIRS.length) throw new Error(`at most ${NAME_PAIRS.length} facts (got ${count})`);
  const pairs = shuffle(next, NAME_PAIRS).slice(0, count);
  const attributes = shuffle(next, ATTRIBUTES);
  const used = new Set<string>();
  const fresh = (make: () => string): string => {
    for (;;) {
      const v = make();
      if (!used.has(v)) {
        used.add(v);
        return v;
      }
    }
  };
  return pairs.map(([a, b], i) => {
    const [person, other] = next() < 0.5 ? [a, b] : [b, a];
    const attribute = attributes[i % attributes.length];
    const value = fresh(() => makeValue(next, attribute.kind));
    const otherValue = nearMiss(next, attribute.kind, value);
    const typoValue = nearMiss(next, attribute.kind, value);
    const bystander = pick(next, EXTRA_NAMES);
    return {
      sentence: factSentence(pick(next, FACT_PREFIXES), person, attribute, value),
      person,
      attribute,
      value,
      lookalikes: [
        { kind: 'other-person', sentence: factSentence(pick(next, FACT_PREFIXES), other, attribute, otherValue) },
        { kind: 'near-miss', sentence: typoSentence(person, attribute, typoValue) },
        { kind: 'same-value', sentence: sameValueSentence(next, bystander, value) },
      ],
    };
  });
}

/** Where each third's facts go: evenly spaced inside the middle 80% of the third, as chat fractions. */
export function factFractions(count: number): number[] {
  const out: number[] = [];
  for (let third = 0; third < 3; third++) {
    const n = Math.floor(count / 3) + (third < count % 3 ? 1 : 0);
    for (let i = 0; i < n; i++) out.push((third + 0.1 + (0.8 * (i + 0.5)) / n) / 3);
  }
  return out;
}
