/**
 * Generated phrasings: every holder form x attribute x link x value x framing the extractor claims to read
 * gives exactly that fact; the same statements asked, hedged or called a typo give none.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { extractFacts, type FactRole } from './extract.js';

type Kind = 'number' | 'code' | 'date' | 'quoted';

/** Attributes as written, the key each is recorded under, and the kind of value it takes. */
const ATTRIBUTES: readonly [string, string, Kind][] = [
  ['locker code', 'locker code', 'number'],
  ['badge number', 'badge number', 'number'],
  ['desk extension', 'desk extension', 'number'],
  ['parking spot', 'parking spot', 'number'],
  ['gym PIN', 'gym pin', 'number'],
  ['flight number', 'flight number', 'code'],
  ['employee ID', 'employee id', 'code'],
  ['license plate', 'license plate', 'code'],
  ['passport number', 'passport number', 'code'],
  ['birthday', 'birthday', 'date'],
  ['dentist appointment', 'dentist appointment', 'date'],
  ['visa renewal', 'visa renewal', 'date'],
  ['Wi-Fi password', 'wifi password', 'quoted'],
  ['project codename', 'project codename', 'quoted'],
  ['favorite book', 'favorite book', 'quoted'],
];

/** Links by kind: [words, whether they say the value changed]. */
const LINKS: Readonly<Record<Kind, readonly [string, boolean][]>> = {
  number: [['is', false], ['is now', true], ['changed to', true], ['has changed to', true], ['switched to', true], ['is still', false]],
  code: [['is', false], ['is now', true], ['changed to', true], ['was changed to', true]],
  date: [['is', false], ['is on', false], ['is due on', false], ['is scheduled for', false], ['is now on', true], ['moved to', true]],
  quoted: [['is', false], ['is now', true], ['changed to', true]],
};

const MONTHS = ['January', 'March', 'May', 'June', 'September', 'December', 'Sept.', 'Jan'];
const digits = (n: number) => fc.stringMatching(new RegExp(`^[1-9][0-9]{${n - 1}}$`));
const VALUES: Readonly<Record<Kind, fc.Arbitrary<string>>> = {
  number: fc.oneof(digits(3), digits(4), digits(6), digits(4).map((d) => `#${d}`)),
  code: fc.oneof(fc.stringMatching(/^[A-Z]{2}-[1-9][0-9]{2}$/), fc.stringMatching(/^[A-Z][0-9]{2}[A-Z]$/), fc.stringMatching(/^[A-Z]{3} [1-9][0-9]{2}$/)),
  date: fc.oneof(
    fc.tuple(fc.constantFrom(...MONTHS), fc.integer({ min: 1, max: 28 })).map(([m, d]) => `${m} ${d}`),
    fc.tuple(fc.constantFrom(...MONTHS), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 2024, max: 2030 })).map(([m, d, y]) => `${m} ${d}, ${y}`),
    fc.tuple(fc.integer({ min: 1, max: 28 }), fc.constantFrom(...MONTHS)).map(([d, m]) => `${d} ${m}`),
    fc.constantFrom('2026-05-03', 'Friday', 'next Tuesday', '5/3'),
  ),
  quoted: fc.tuple(fc.constantFrom('Amber', 'Quiet', 'Paper', 'Velvet'), fc.constantFrom('Falcon', 'Harbor', 'Comet', 'Willow')).map(([a, b]) => `"${a} ${b}"`),
};

/** How the holder is written, by role: [words, holder, role]. */
const HOLDERS: readonly [string, string, FactRole][] = [
  ['My', 'user', 'user'],
  ['my', 'user', 'user'],
  ['Our', 'user', 'user'],
  ['Your', 'user', 'assistant'],
  ['My', 'assistant', 'assistant'],
  ["The user's", 'user', 'system'],
  ["Priya Raman's", 'Priya Raman', 'user'],
  ["Tomas's", 'Tomas', 'assistant'],
  ["Zoë Müller's", 'Zoë Müller', 'user'],
  ["Dr. Okafor's", 'Dr. Okafor', 'user'],
  ["James'", 'James', 'user'],
];

/** Framings: [words, cue, update]. */
const FRAMES: readonly [string, boolean, boolean][] = [
  ['', false, false],
  ['Remember:', true, false],
  ['Remember that', true, false],
  ['Please remember,', true, false],
  ['For the record,', true, false],
  ['For the record:', true, false],
  ['Note that', true, false],
  ['Please note:', true, false],
  ["Don't forget:", true, false],
  ['FYI,', true, false],
  ['Update:', false, true],
  ['Actually,', false, true],
  ['Correction —', false, true],
  ['Scratch that,', false, true],
  ['Update: remember that', true, true],
  ['By the way,', false, false],
  ['Also,', false, false],
  ['Btw', false, false],
  ['Oh, and', false, false],
  ['PS:', false, false],
];

const statement = fc.record({
  attr: fc.constantFrom(...ATTRIBUTES),
  holder: fc.constantFrom(...HOLDERS),
  frame: fc.constantFrom(...FRAMES),
  end: fc.constantFrom('.', '!', '', ' '),
  keyValue: fc.constantFrom<false | ':' | ' -' | ' =' | ' —'>(false, false, ':', ' -', ' =', ' —'),
  pick: fc.nat(),
}).chain((s) => fc.record({ s: fc.constant(s), value: VALUES[s.attr[2]], link: fc.constantFrom(...LINKS[s.attr[2]]) }));

describe('extractFacts on generated phrasings', () => {
  it('reads every holder x attribute x link x value x framing as exactly that fact', () => {
    fc.assert(
      fc.property(statement, ({ s, value, link }) => {
        const [written, key] = s.attr;
        const [holderWords, holder, role] = s.holder;
        const [frame, cue, frameUpdate] = s.frame;
        const holderText = frame !== '' && holderWords === 'My' ? 'my' : holderWords;
        const body = s.keyValue ? `${holderText} ${written}${s.keyValue} ${value}` : `${holderText} ${written} ${link[0]} ${value}`;
        const text = `${frame ? `${frame} ` : ''}${body}${s.end}`;
        const facts = extractFacts(text, role).map((f) => ({ holder: f.holder, attribute: f.attribute, value: f.value, cue: f.cue, update: f.update, retracts: f.retracts }));
        // trailing punctuation is not part of a value ("1 Sept." reads as "1 Sept")
        expect(facts, text).toEqual([{ holder, attribute: key, value: value.replace(/\.$/, ''), cue, update: frameUpdate || (!s.keyValue && link[1]), retracts: false }]);
      }),
      { numRuns: 3000, seed: 14 },
    );
  });

  it('reads first-person phrasings, retractions and decisions in every framing', () => {
    const CITIES = ['Lisbon', 'Porto', 'New York', 'São Paulo', 'Zürich'];
    const COMPANIES = ['Acme', 'Acme Corp', 'Globex', 'Initech'];
    const NAMES = ['Sam', 'Ana Lima', 'José'];
    /** [sentence, key, value, update, retracts] */
    type Said = [string, string, string, boolean, boolean];
    const said: fc.Arbitrary<Said> = fc.oneof(
      fc.constantFrom(...CITIES).chain((c) =>
        fc.constantFrom<Said>(
          [`I live in ${c}`, 'city', c, false, false],
          [`I moved to ${c}`, 'city', c, true, false],
          [`I'm based in ${c}`, 'city', c, false, false],
          [`I live in ${c} now`, 'city', c, true, false],
          [`I no longer live in ${c}`, 'city', c, true, true],
          [`I don't live in ${c} anymore`, 'city', c, true, true],
          [`I'm from ${c}`, 'hometown', c, false, false],
        ),
      ),
      fc.constantFrom(...COMPANIES).chain((c) =>
        fc.constantFrom<Said>([`I work at ${c}`, 'employer', c, false, false], [`I work for ${c}`, 'employer', c, false, false], [`I no longer work at ${c}`, 'employer', c, true, true]),
      ),
      fc.constantFrom(...NAMES).chain((n) =>
        fc.constantFrom<Said>(
          [`Call me ${n}`, 'name', n, false, false],
          [`My name is ${n}`, 'name', n, false, false],
          [`I'm called ${n}`, 'name', n, false, false],
          [`I have a dog named ${n}`, 'dog name', n, false, false],
        ),
      ),
      VALUES.date.chain((d) =>
        fc.constantFrom<Said>([`I was born on ${d}`, 'birthday', d, false, false], [`We agreed to ship on ${d}`, 'ship date', d, false, false]),
      ),
      VALUES.quoted.map((q): Said => [`We decided the project codename is ${q}`, 'project codename', q, false, false]),
    );
    fc.assert(
      fc.property(said, fc.constantFrom(...FRAMES), fc.constantFrom('.', '!', ''), ([body, key, value, update, retracts], [frame, cue, frameUpdate], end) => {
        const text = `${frame ? `${frame} ` : ''}${body}${end}`;
        const facts = extractFacts(text, 'user').map((f) => ({ holder: f.holder, attribute: f.attribute, value: f.value, cue: f.cue, update: f.update, retracts: f.retracts }));
        expect(facts, text).toEqual([{ holder: 'user', attribute: key, value: value.replace(/\.$/, ''), cue, update: update || frameUpdate, retracts }]);
      }),
      { numRuns: 2000, seed: 17 },
    );
  });

  it('reads none of them asked, hedged or called a typo', () => {
    const wrap = fc.constantFrom(
      (h: string, a: string, v: string) => `Is ${h} ${a} ${v}?`,
      (h: string, a: string) => `What is ${h} ${a}?`,
      (h: string, a: string, v: string) => `Is ${h} ${a} still ${v}`,
      (h: string, a: string, v: string) => `If ${h} ${a} were ${v}, that would help.`,
      (h: string, a: string, v: string) => `I think ${h} ${a} is ${v}.`,
      (h: string, a: string, v: string) => `Maybe ${h} ${a} is ${v}.`,
      (h: string, a: string, v: string) => `Someone wrote ${v} for ${h} ${a}, but that was a typo.`,
      (h: string, a: string, v: string) => `${h} ${a} is not ${v}.`,
      (h: string, a: string, v: string) => `${h} ${a} might be ${v}.`,
      (h: string, a: string, v: string) => `Suppose ${h} ${a} is ${v}.`,
    );
    fc.assert(
      fc.property(statement, wrap, ({ s, value }, make) => {
        const text = make(s.holder[0] === 'My' ? 'my' : s.holder[0], s.attr[0], value);
        expect(extractFacts(text, s.holder[2]), text).toEqual([]);
      }),
      { numRuns: 2000, seed: 15 },
    );
  });

  it('is deterministic and never throws on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 120 }), fc.constantFrom<FactRole>('user', 'assistant', 'system', 'tool'), (text, role) => {
        expect(extractFacts(text, role)).toEqual(extractFacts(text, role));
      }),
      { numRuns: 2000, seed: 16 },
    );
  });
});
