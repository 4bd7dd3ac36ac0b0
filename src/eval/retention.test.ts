import { describe, expect, it } from 'vitest';
import type { FactPosition } from './plantedChat.js';
import { addRetention, emptyRetention, percent, retainedFacts, retentionByPosition } from './retention.js';

const fact = (sentence: string, position: FactPosition = 'early') => ({ sentence, position });
const PRIYA = fact("Remember: Priya Raman's badge number is 4471.");
const TOMAS = fact('Please note: Tomas Berg\'s Wi-Fi password is "Quiet Harbor".', 'late');
const wrap = (body: string): string => `<|im_start|>system\nBe careful.<|im_end|>\n<|im_start|>user\nSome text. ${body} More text.<|im_end|>\n`;

describe('retainedFacts', () => {
  it('counts a fact whose whole sentence is in the context', () => {
    expect(retainedFacts(wrap(PRIYA.sentence), [PRIYA, TOMAS])).toEqual([PRIYA]);
    expect(retainedFacts(wrap(`${PRIYA.sentence} ${TOMAS.sentence}`), [PRIYA, TOMAS])).toEqual([PRIYA, TOMAS]);
  });

  it('does not count a partial sentence or the bare value', () => {
    expect(retainedFacts(wrap("Priya Raman's badge number is 4471."), [PRIYA])).toEqual([]);
    expect(retainedFacts(wrap("Remember: Priya Raman's badge number is 447"), [PRIYA])).toEqual([]);
    expect(retainedFacts(wrap("Remember: Priya Raman's badge number is"), [PRIYA])).toEqual([]);
    expect(retainedFacts(wrap('Ticket 4471 is closed. Priya Raman has a badge.'), [PRIYA])).toEqual([]);
  });

  it('does not count look-alikes: another person, a near-miss value, another framing', () => {
    const lookalikes = [
      "Remember: Priyanka Rao's badge number is 4471.",
      "Remember: Priya Raman's badge number is 4417.",
      "Someone wrote 4417 for Priya Raman's badge number, but that was a typo.",
      "Remember: Priya Raman's desk extension is 4471.",
      "remember: priya raman's badge number is 4471.",
    ];
    for (const l of lookalikes) expect(retainedFacts(wrap(l), [PRIYA])).toEqual([]);
  });

  it('never counts an empty sentence', () => {
    expect(retainedFacts('anything', [fact('')])).toEqual([]);
  });
});

describe('retentionByPosition', () => {
  it('counts kept and total per third and overall, and adds up across runs', () => {
    const mid = fact("For the record: Ana Lima's birthday is on March 14.", 'mid');
    const r = retentionByPosition(wrap(`${TOMAS.sentence} ${mid.sentence}`), [PRIYA, mid, TOMAS]);
    expect(r).toEqual({
      overall: { kept: 2, total: 3 },
      early: { kept: 0, total: 1 },
      mid: { kept: 1, total: 1 },
      late: { kept: 1, total: 1 },
    });
    const sum = emptyRetention();
    addRetention(sum, r);
    addRetention(sum, retentionByPosition('', [PRIYA, mid, TOMAS]));
    expect(sum.overall).toEqual({ kept: 2, total: 6 });
    expect(percent(sum.overall)).toBeCloseTo(100 / 3);
    expect(percent(emptyRetention().early)).toBeUndefined();
  });
});
