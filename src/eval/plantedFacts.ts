/** Chooses the facts to plant, their look-alikes (other people, near-miss values, same values) and their updates. */
import { factSentence, FACT_PREFIXES, sameValueSentence, typoSentence } from './filler.js';
import { ATTRIBUTES, EXTRA_NAMES, NAME_PAIRS, makeValue, nearMiss, pick, shuffle, type Attribute, type Next } from './people.js';
import { updateSentence, userFactSentence, type Phrased } from './phrasing.js';

export type LookalikeKind = 'other-person' | 'near-miss' | 'same-value';

export interface FactSpec extends Phrased {
  /** Absent: the user's own fact. */
  person?: string;
  attribute: Attribute;
  value: string;
  lookalikes: { sentence: string; kind: LookalikeKind }[];
  /** Later restatements with new values, in order (empty unless updates were planned). */
  updates: (Phrased & { value: string })[];
}

/** Every name that may show up in ordinary sentences: fact people, their look-alikes and others. */
export const ALL_NAMES: readonly string[] = [...NAME_PAIRS.flat(), ...EXTRA_NAMES];

/** Fact `i` (chat order) is a named third person's every third fact, the user's own otherwise: about two thirds the user's. */
export const isPersonFact = (i: number): boolean => i % 3 === 2;

interface ValuePool {
  /** A value unlike every value used or reserved so far. */
  fresh(make: () => string): string;
  /** Keeps later fresh values away from a look-alike's value. */
  reserve(value: string): string;
}

/** Fact values never repeat and none is the start of another ("May 3" and "May 31" are not both used). */
function valuePool(): ValuePool {
  const used = new Set<string>();
  const clashes = (v: string): boolean => [...used].some((u) => u.startsWith(v) || v.startsWith(u));
  return {
    fresh(make) {
      for (;;) {
        const v = make();
        if (!clashes(v)) return this.reserve(v);
      }
    },
    reserve(value) {
      used.add(value);
      return value;
    },
  };
}

/**
 * `count` facts, each with one look-alike of every kind: the user's facts each on its own attribute,
 * a third person's facts each about another person of NAME_PAIRS (whose look-alike name gets the
 * look-alike fact). With `updateNext`, about half the facts are restated later with a new value, a
 * third of those twice (chosen and phrased from that stream, so the facts are the same either way).
 */
export function chooseFacts(next: Next, count: number, updateNext?: Next): FactSpec[] {
  if (count > NAME_PAIRS.length) throw new Error(`at most ${NAME_PAIRS.length} facts (got ${count})`);
  const pairs = shuffle(next, NAME_PAIRS);
  const attributes = shuffle(next, ATTRIBUTES);
  const pool = valuePool();
  const users = Array.from({ length: count }, (_, i) => i).filter((i) => !isPersonFact(i)).length;
  const persons = count - users;
  let userAt = 0, personAt = 0;
  const specs = Array.from({ length: count }, (_, i): FactSpec => {
    let attribute: Attribute, holder: string | undefined, other: string;
    if (isPersonFact(i)) {
      attribute = attributes[(users + personAt) % attributes.length];
      const [a, b] = pairs[personAt++];
      [holder, other] = next() < 0.5 ? [a, b] : [b, a];
    } else {
      // each user fact on its own attribute; its look-alike names someone from a pair no third-person fact uses
      attribute = attributes[userAt];
      other = pick(next, pairs[persons + userAt++]);
    }
    const value = pool.fresh(() => makeValue(next, attribute.kind));
    const otherValue = pool.reserve(nearMiss(next, attribute.kind, value));
    const typoValue = pool.reserve(nearMiss(next, attribute.kind, value));
    const bystander = pick(next, EXTRA_NAMES);
    const phrased = holder === undefined ? userFactSentence(next, attribute, value) : { sentence: factSentence(pick(next, FACT_PREFIXES), holder, attribute, value), line: false };
    return {
      ...phrased,
      ...(holder === undefined ? {} : { person: holder }),
      attribute,
      value,
      lookalikes: [
        { kind: 'other-person', sentence: factSentence(pick(next, FACT_PREFIXES), other, attribute, otherValue) },
        { kind: 'near-miss', sentence: typoSentence(holder, attribute, typoValue) },
        { kind: 'same-value', sentence: sameValueSentence(next, bystander, value) },
      ],
      updates: [],
    };
  });
  if (updateNext) planUpdates(updateNext, specs, pool);
  return specs;
}

function planUpdates(next: Next, specs: FactSpec[], pool: ValuePool): void {
  const updated = shuffle(next, specs.map((_, i) => i)).slice(0, Math.round(specs.length / 2));
  const twice = Math.round(updated.length / 3);
  updated.forEach((i, k) => {
    const spec = specs[i];
    for (let u = 0; u < (k < twice ? 2 : 1); u++) {
      const value = pool.fresh(() => makeValue(next, spec.attribute.kind));
      spec.updates.push({ ...updateSentence(next, spec, spec.attribute, value), value });
    }
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

/** Where a fact's updates go: each somewhere after the statement before it, before the chat's last 2%. */
export function updateFractions(next: Next, factAt: number, updates: number): number[] {
  const out: number[] = [];
  let at = factAt;
  for (let u = 0; u < updates; u++) {
    at += (0.98 - at) * (0.15 + 0.55 * next());
    out.push(at);
  }
  return out;
}
