/** Names, attributes and values for planted facts, with near-miss variants that look alike. */
export type Next = () => number;

export const pick = <T>(next: Next, xs: readonly T[]): T => xs[Math.floor(next() * xs.length)];

export function shuffle<T>(next: Next, xs: readonly T[]): T[] {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

/** Pairs of names that look alike: a fact is planted about one, a look-alike fact about the other. */
export const NAME_PAIRS: readonly (readonly [string, string])[] = [
  ['Priya Raman', 'Priyanka Rao'],
  ['Tomas Berg', 'Thomas Burg'],
  ['Ana Lima', 'Anna Lina'],
  ['Marcus Webb', 'Markus Weber'],
  ['Chen Wei', 'Chen Wen'],
  ['Fatima Noor', 'Fatma Nour'],
  ['Jonas Keller', 'Jonah Kellar'],
  ['Sofia Marin', 'Sonia Martin'],
  ['Liam Doyle', 'Liam Boyle'],
  ['Amara Obi', 'Amara Obeng'],
  ['Yuki Tanaka', 'Yuko Tanaka'],
  ['Elena Petrova', 'Elena Petrov'],
  ['Diego Alvarez', 'Diego Alvares'],
  ['Nadia Haddad', 'Nadia Hadid'],
  ['Oskar Lind', 'Oscar Lund'],
  ['Grace Mwangi', 'Gracie Mwangi'],
];

/** Names that only ever appear in ordinary sentences. */
export const EXTRA_NAMES = ['Maria Gonzalez', 'Kenji Sato', 'Ruth Adler', 'Samir Khan', 'Ines Costa', 'Paul Novak'];

export type ValueKind = 'number' | 'date' | 'code' | 'quoted';

export interface Attribute {
  name: string;
  /** Words between the attribute and the value: "is", "is on". */
  link: string;
  kind: ValueKind;
  /** The question asked about it, `{p}` standing for the person. */
  question: string;
  /** A thing a team decides together: the user may state it as "We decided the project codename is …". */
  shared?: boolean;
}

export const ATTRIBUTES: readonly Attribute[] = [
  { name: 'badge number', link: 'is', kind: 'number', question: "what is {p}'s badge number?" },
  { name: 'desk extension', link: 'is', kind: 'number', question: "what is {p}'s desk extension?" },
  { name: 'parking spot', link: 'is', kind: 'number', question: "which parking spot is {p}'s?" },
  { name: 'locker code', link: 'is', kind: 'code', question: "what is {p}'s locker code?" },
  { name: 'flight number', link: 'is', kind: 'code', question: "what is {p}'s flight number?" },
  { name: 'employee ID', link: 'is', kind: 'code', question: "what is {p}'s employee ID?" },
  { name: 'birthday', link: 'is on', kind: 'date', question: "when is {p}'s birthday?" },
  { name: 'dentist appointment', link: 'is on', kind: 'date', question: "when is {p}'s dentist appointment?" },
  { name: 'visa renewal', link: 'is due on', kind: 'date', question: "when is {p}'s visa renewal due?" },
  { name: 'Wi-Fi password', link: 'is', kind: 'quoted', question: "what is {p}'s Wi-Fi password?", shared: true },
  { name: 'project codename', link: 'is', kind: 'quoted', question: "what is {p}'s project codename?", shared: true },
  { name: 'favorite book', link: 'is', kind: 'quoted', question: "what is {p}'s favorite book?" },
];

/**
 * The question about an attribute, for a named person or (no person) the user: "what is my locker
 * code?", "which parking spot is mine?".
 */
export function questionFor(attribute: Attribute, person?: string): string {
  if (person !== undefined) return attribute.question.replaceAll('{p}', person);
  return attribute.question.replaceAll("{p}'s?", 'mine?').replaceAll("{p}'s", 'my');
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const ADJECTIVES = ['Silver', 'Quiet', 'Amber', 'Hollow', 'Crimson', 'Northern', 'Paper', 'Velvet'];
const NOUNS = ['Finch', 'Orchard', 'Harbor', 'Lantern', 'Falcon', 'Meadow', 'Anchor', 'Comet', 'Willow', 'Ember'];

const digits = (next: Next, n: number): string => Array.from({ length: n }, () => String(Math.floor(next() * 10))).join('');

/** A fresh value of that kind; digits and letters are never all the same, so a swap changes it. */
export function makeValue(next: Next, kind: ValueKind): string {
  switch (kind) {
    case 'number': {
      const v = `${1 + Math.floor(next() * 9)}${digits(next, 3)}`;
      return new Set(v).size > 1 ? v : makeValue(next, kind);
    }
    case 'date':
      return `${pick(next, MONTHS)} ${1 + Math.floor(next() * 28)}`;
    case 'code': {
      const a = pick(next, [...LETTERS]);
      const b = pick(next, [...LETTERS].filter((c) => c !== a));
      return `${a}${b}-${1 + Math.floor(next() * 9)}${digits(next, 2)}`;
    }
    case 'quoted':
      return `"${pick(next, ADJECTIVES)} ${pick(next, NOUNS)}"`;
    default: {
      const never: never = kind;
      throw new Error(`unknown value kind ${String(never)}`);
    }
  }
}

/** A value of the same shape that differs by one small edit: swapped digits, a day off, another noun. */
export function nearMiss(next: Next, kind: ValueKind, value: string): string {
  if (kind === 'date') {
    const [month, day] = value.split(' ');
    const d = Number(day);
    return next() < 0.5 ? `${month} ${d < 28 ? d + 1 : d - 1}` : `${pick(next, MONTHS.filter((m) => m !== month))} ${d}`;
  }
  if (kind === 'quoted') {
    const [adj, noun] = value.slice(1, -1).split(' ');
    return `"${adj} ${pick(next, NOUNS.filter((n) => n !== noun))}"`;
  }
  const chars = [...value];
  const swappable = (i: number): boolean =>
    /\w/.test(chars[i]) && /\w/.test(chars[i + 1] ?? '') && chars[i] !== chars[i + 1] && !(i === 0 && chars[1] === '0');
  const swaps = chars.flatMap((_, i) => (swappable(i) ? [i] : []));
  if (swaps.length === 0) return `${value.slice(0, -1)}${(Number(value.at(-1)) + 1) % 10}`;
  const i = pick(next, swaps);
  [chars[i], chars[i + 1]] = [chars[i + 1], chars[i]];
  return chars.join('');
}
