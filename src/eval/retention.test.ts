import { describe, expect, it } from 'vitest';
import { addRetention, emptyRetention, percent, retainedFacts, retention, type FactLike } from './retention.js';

const PEOPLE = ['Priya Raman', 'Priyanka Rao', 'Tomas Berg', 'Ana Lima'];
const fact = (sentence: string, value: string, attribute: string, position: FactLike['position'], person?: string, updates: FactLike['updates'] = []): FactLike => ({
  sentence,
  value,
  attribute,
  position,
  updates,
  ...(person === undefined ? {} : { person }),
});
const PRIYA = fact("Remember: Priya Raman's badge number is 4471.", '4471', 'badge number', 'early', 'Priya Raman');
const TOMAS = fact('Tomas Berg\'s Wi-Fi password is "Quiet Harbor".', '"Quiet Harbor"', 'Wi-Fi password', 'late', 'Tomas Berg');
const MINE = fact('My locker code is 5521.', '5521', 'locker code', 'mid', undefined, [{ sentence: 'Update: my locker code is now 7731.', value: '7731' }]);
const wrap = (body: string): string => `<|im_start|>system\nBe careful.<|im_end|>\n<|im_start|>user\nSome text. ${body}\nMore text.<|im_end|>\n`;

describe('retainedFacts', () => {
  it('counts a fact whose whole sentence is in the context, never a cut one, a look-alike or an empty one', () => {
    expect(retainedFacts(wrap(PRIYA.sentence), [PRIYA, TOMAS])).toEqual([PRIYA]);
    for (const l of ["Priya Raman's badge number is 4471.", "Remember: Priyanka Rao's badge number is 4471.", "Remember: Priya Raman's badge number is 447"]) {
      expect(retainedFacts(wrap(l), [PRIYA])).toEqual([]);
    }
    expect(retainedFacts('anything', [{ sentence: '' }])).toEqual([]);
  });
});

describe('retention', () => {
  it("counts each fact's latest statement per third, per holder and among updated facts, cards and stale apart", () => {
    const r = retention(wrap(`${TOMAS.sentence}\nmy locker code: 5521 (#4)\nPriya Raman's badge number: 4471 (#2)`), [PRIYA, MINE, TOMAS], PEOPLE);
    expect(r.overall).toEqual({ kept: 2, card: 1, stale: 1, total: 3 });
    expect(r.early).toEqual({ kept: 1, card: 1, stale: 0, total: 1 });
    expect(r.mid).toEqual({ kept: 0, card: 0, stale: 1, total: 1 });
    expect(r.late).toEqual({ kept: 1, card: 0, stale: 0, total: 1 });
    expect(r.user).toEqual({ kept: 0, card: 0, stale: 1, total: 1 });
    expect(r.person).toEqual({ kept: 2, card: 1, stale: 0, total: 2 });
    expect(r.updated).toEqual({ kept: 0, card: 0, stale: 1, total: 1 });
    const latest = retention(wrap('Update: my locker code is now 7731. My locker code is 5521.'), [MINE], PEOPLE);
    expect(latest.updated).toEqual({ kept: 1, card: 0, stale: 0, total: 1 });
  });

  it('adds up across runs', () => {
    const sum = emptyRetention();
    addRetention(sum, retention(wrap(PRIYA.sentence), [PRIYA, MINE, TOMAS], PEOPLE));
    addRetention(sum, retention('', [PRIYA, MINE, TOMAS], PEOPLE));
    expect(sum.overall).toEqual({ kept: 1, card: 0, stale: 0, total: 6 });
    expect(sum.updated.total).toBe(2);
    expect(percent(sum.overall.kept, sum.overall.total)).toBeCloseTo(100 / 6);
    expect(percent(0, emptyRetention().early.total)).toBeUndefined();
  });
});
