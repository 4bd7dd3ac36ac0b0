import { describe, expect, it } from 'vitest';
import { RecallIndex, type RecallHit, type RecallSpan } from './recallIndex.js';
import { LOCKER_ID, PRIYA_ID, PRIYANKA_ID, syntheticSpans } from './syntheticChat.js';

const corpus = syntheticSpans();

function build(spans: readonly RecallSpan[], index = new RecallIndex()): RecallIndex {
  for (const span of spans) index.add(span);
  return index;
}

const top = (index: RecallIndex, query: string): number | undefined => index.search(query)[0]?.id;
const span = (id: number, text: string): RecallSpan => ({ id, text, tokens: 4, messageId: 1, startPos: 0, endPos: 4 });

describe('RecallIndex: planted facts among a few hundred chat spans', () => {
  const index = build(corpus);
  it('holds the whole corpus, with distractors for every query word', () => {
    expect(index.size).toBe(300);
    for (const word of ['locker', 'code', 'manager', 'ines', 'priya', 'badge']) {
      expect(index.search(word, { k: 300 }).length, word).toBeGreaterThan(3);
    }
  });
  it('ranks the locker fact first for its questions', () => {
    for (const q of ['what is my locker code?', 'who is my manager Ines?', 'Ines Duarte', 'my locker 5521', '5521']) {
      expect(top(index, q), q).toBe(LOCKER_ID);
    }
  });
  it('reports BM25 rank and score, BM25-only without embeddings', () => {
    const [first, second] = index.search('what is my locker code?');
    expect(first).toMatchObject({ id: LOCKER_ID, bm25Rank: 1, score: 1 / 61 });
    expect(first.bm25Score).toBeGreaterThan(second.bm25Score ?? Infinity);
    expect(first.denseRank).toBeUndefined();
    expect(first.cosine).toBeUndefined();
  });
  it('tells look-alike facts apart by the exact number or name', () => {
    expect(top(index, "what is Priya's badge number?")).toBe(PRIYA_ID);
    expect(top(index, 'Priyanka badge')).toBe(PRIYANKA_ID);
    expect(top(index, 'whose badge is 4417?')).toBe(PRIYANKA_ID);
    expect(top(index, 'badge 4471')).toBe(PRIYA_ID);
    expect(index.search('4417').map((h) => h.id)).toEqual([PRIYANKA_ID]);
    expect(index.search('4471').map((h) => h.id)).toEqual([PRIYA_ID]);
  });
  it('matches exactly: no prefix or fuzzy matches by default', () => {
    expect(index.search('Priyanka').map((h) => h.id)).toEqual([PRIYANKA_ID]);
    expect(index.search('552')).toEqual([]);
    expect(index.search('Inez Duartes lockers')).toEqual([]);
  });
  it('opt-in prefix search extends words but never numbers', () => {
    const prefixed = build(corpus, new RecallIndex({ prefix: true }));
    expect(top(prefixed, 'lock code')).toBe(LOCKER_ID);
    expect(prefixed.search('Priy').map((h) => h.id)).toContain(PRIYANKA_ID);
    expect(prefixed.search('552')).toEqual([]);
  });
  it('applies k and minBm25Score', () => {
    const all = index.search('locker code', { k: 300 });
    expect(all.length).toBeGreaterThan(8);
    expect(index.search('locker code')).toEqual(all.slice(0, 8));
    expect(index.search('locker code', { k: 2 })).toEqual(all.slice(0, 2));
    const cut = ((all[0].bm25Score ?? 0) + (all[1].bm25Score ?? 0)) / 2;
    expect(index.search('locker code', { minBm25Score: cut }).map((h) => h.id)).toEqual([LOCKER_ID]);
    expect(index.search('locker code', { k: 0 })).toEqual([]);
    expect(() => index.search('x', { k: -1 })).toThrow(RangeError);
    expect(() => index.search('x', { k: 1.5 })).toThrow(RangeError);
    expect(() => index.search('x', { rrfK: -1 })).toThrow(RangeError);
  });
  it('returns nothing for stopword-only or empty queries', () => {
    expect(index.search('what is it?')).toEqual([]);
    expect(index.search('')).toEqual([]);
  });
});

describe('RecallIndex: remove, re-add, clear', () => {
  it('search on an empty index returns []', () => {
    const index = new RecallIndex();
    expect(index.search('locker', { queryEmbedding: new Float32Array([1, 0]) })).toEqual([]);
    expect(index.size).toBe(0);
  });
  it('forgets a removed span and finds only the new text after re-adding its id', () => {
    const index = build([span(1, 'My locker code is 5521.'), span(2, 'The lab code is 7731.')]);
    expect(index.remove(1)).toBe(true);
    expect(index.remove(1)).toBe(false);
    expect(index.has(1)).toBe(false);
    expect(index.size).toBe(1);
    expect(index.search('5521')).toEqual([]);
    index.add(span(1, 'My bike lock code is 9090.'));
    expect(index.search('5521')).toEqual([]);
    expect(index.search('9090').map((h) => h.id)).toEqual([1]);
    expect(index.get(1)?.text).toBe('My bike lock code is 9090.');
  });
  it('add replaces a span with the same id', () => {
    const index = build([span(1, 'alpha-7 reports'), span(1, 'beta-9 reports')]);
    expect(index.size).toBe(1);
    expect(index.search('alpha-7')).toEqual([]);
    expect(index.search('beta-9').map((h) => h.id)).toEqual([1]);
  });
  it('after removals and re-adds scores like an index built fresh from the final spans', () => {
    const index = build(corpus);
    const final = new Map(corpus.map((s) => [s.id, s]));
    for (const s of corpus.filter((s) => s.id % 4 === 0)) {
      index.remove(s.id);
      final.delete(s.id);
    }
    for (const s of corpus.filter((s) => s.id % 8 === 0)) {
      const changed = { ...s, text: `${s.text} Update ${s.id}: the locker code moved.` };
      index.add(changed);
      final.set(s.id, changed);
    }
    const fresh = build([...final.values()].sort((a, b) => a.id - b.id));
    expect(index.size).toBe(fresh.size);
    for (const q of ['what is my locker code?', 'manager Ines', 'badge 4417', 'code moved', 'Update 16']) {
      const [a, b] = [index.search(q, { k: 50 }), fresh.search(q, { k: 50 })];
      expect(a.map((h) => [h.id, h.bm25Rank]), q).toEqual(b.map((h) => [h.id, h.bm25Rank]));
      a.forEach((h, i) => expect(h.bm25Score).toBeCloseTo(b[i].bm25Score ?? NaN, 9));
    }
  });
  it('clear empties everything and the index stays usable', () => {
    const index = build(corpus);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.has(LOCKER_ID)).toBe(false);
    expect(index.search('locker code')).toEqual([]);
    index.add(span(LOCKER_ID, 'locker again'));
    expect(index.search('locker').map((h) => h.id)).toEqual([LOCKER_ID]);
  });
  it('rejects a non-integer id without changing the index', () => {
    const index = build([span(1, 'one')]);
    expect(() => index.add(span(1.5, 'x'))).toThrow(RangeError);
    expect(index.size).toBe(1);
  });
});

describe('RecallIndex: determinism', () => {
  const queries = ['what is my locker code?', 'manager', 'the code', 'Priya booked a table', 'Ines slides about tax forms'];
  const run = (spans: readonly RecallSpan[]): RecallHit[][] => {
    const index = build(spans);
    return queries.map((q) => index.search(q, { k: 40 }));
  };
  it('gives identical results for identical inputs', () => {
    expect(run(syntheticSpans())).toEqual(run(syntheticSpans()));
  });
  it('orders ties by id and does not depend on insertion order', () => {
    const forward = run(corpus);
    const backward = run([...corpus].reverse());
    expect(backward.map((hits) => hits.map((h) => h.id))).toEqual(forward.map((hits) => hits.map((h) => h.id)));
    for (const hits of forward) {
      for (let i = 1; i < hits.length; i++) {
        expect(hits[i - 1].score > hits[i].score || hits[i - 1].id < hits[i].id).toBe(true);
      }
    }
    // "manager" alone: equal-length distractor templates tie on BM25 and must come out by id.
    const tied = forward[1].filter((h) => h.bm25Score === forward[1][1].bm25Score);
    expect(tied.length).toBeGreaterThan(1);
    expect(tied.map((h) => h.id)).toEqual([...tied.map((h) => h.id)].sort((a, b) => a - b));
  });
});
