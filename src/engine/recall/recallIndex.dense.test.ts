import { describe, expect, it } from 'vitest';
import { RecallIndex, type RecallSpan } from './recallIndex.js';

const vec = (...xs: number[]): Float32Array => Float32Array.from(xs);
const span = (id: number, text: string, embedding?: Float32Array): RecallSpan => ({
  id, text, tokens: 5, messageId: id, startPos: id * 10, endPos: id * 10 + 5, embedding,
});

/** Three axes: x ~ "work", y ~ "pets", z ~ "travel"; span 5 has no embedding. */
function fixture(): RecallIndex {
  const index = new RecallIndex();
  index.add(span(1, 'alpha report', vec(1, 0, 0)));
  index.add(span(2, 'beta notes', vec(0.8, 0.6, 0)));
  index.add(span(3, 'gamma summary', vec(0, 1, 0)));
  index.add(span(4, 'delta plan', vec(0, 0, 3))); // not unit length on purpose
  index.add(span(5, 'no vector span about alpha'));
  return index;
}

describe('RecallIndex: dense retrieval', () => {
  it('ranks by cosine alone when the query text matches nothing', () => {
    const hits = fixture().search('what about it?', { queryEmbedding: vec(2, 0, 0) });
    expect(hits.map((h) => [h.id, h.denseRank, h.bm25Rank])).toEqual([
      [1, 1, undefined], [2, 2, undefined], [3, 3, undefined], [4, 4, undefined], // 3 and 4 tie at cosine 0: by id
    ]);
    expect(hits.map((h) => h.cosine)).toEqual([1, expect.closeTo(0.8, 6), 0, 0]);
    expect(hits.map((h) => h.score)).toEqual([1 / 61, 1 / 62, 1 / 63, 1 / 64]);
  });
  it('normalizes span and query vectors defensively', () => {
    const hits = fixture().search('', { queryEmbedding: vec(0, 0, 0.25) });
    expect(hits[0]).toMatchObject({ id: 4, denseRank: 1, cosine: 1 });
  });
  it('applies minCosine and k to the dense ranking', () => {
    const index = fixture();
    expect(index.search('', { queryEmbedding: vec(1, 0, 0), minCosine: 0.5 }).map((h) => h.id)).toEqual([1, 2]);
    expect(index.search('', { queryEmbedding: vec(-1, 0, 0), k: 2 }).map((h) => [h.id, h.cosine])).toEqual([[3, 0], [4, 0]]);
  });
  it('fuses BM25 and dense ranks with RRF (hand-computed)', () => {
    // BM25 "alpha": 1 (short span), 5. Dense to y: 3 (1), 2 (0.6), 1 (0), 4 (0).
    const hits = fixture().search('alpha', { queryEmbedding: vec(0, 1, 0) });
    expect(hits.map((h) => [h.id, h.bm25Rank, h.denseRank])).toEqual([
      [1, 1, 3], [3, undefined, 1], [2, undefined, 2], [5, 2, undefined], [4, undefined, 4],
    ]);
    expect(hits.map((h) => h.score)).toEqual([1 / 61 + 1 / 63, 1 / 61, 1 / 62, 1 / 62, 1 / 64]);
  });
  it('lets agreement between rankings beat a single first place', () => {
    const index = new RecallIndex();
    index.add(span(1, 'the train to Porto leaves at 9')); // no embedding: BM25 only
    index.add(span(2, 'Porto trip budget 400 euros, train tickets booked', vec(0.9, 0.1)));
    index.add(span(3, 'we should plan the holiday budget', vec(1, 0)));
    const hits = index.search('train Porto', { queryEmbedding: vec(1, 0) });
    // 2: 1/62 + 1/62 beats 1: 1/61 (BM25 first) and 3: 1/61 (dense first), which tie and go by id.
    expect(hits.map((h) => [h.id, h.bm25Rank, h.denseRank])).toEqual([[2, 2, 2], [1, 1, undefined], [3, undefined, 1]]);
  });
  it('ignores embeddings without a query embedding, and zero or NaN vectors', () => {
    const index = fixture();
    expect(index.search('alpha').map((h) => [h.id, h.denseRank])).toEqual([[1, undefined], [5, undefined]]);
    index.add(span(6, 'zero vector', vec(0, 0, 0)));
    index.add(span(7, 'nan vector', vec(Number.NaN, 1, 0)));
    expect(index.get(6)?.embedding).toBeUndefined();
    const ids = index.search('', { queryEmbedding: vec(1, 1, 1), k: 10 }).map((h) => h.id);
    expect(ids).not.toContain(6);
    expect(ids).not.toContain(7);
    expect(index.search('', { queryEmbedding: vec(0, 0, 0) })).toEqual([]);
  });
  it('copies embeddings: mutating the caller vector afterwards changes nothing', () => {
    const index = new RecallIndex();
    const e = vec(1, 0);
    index.add(span(1, 'one', e));
    index.add(span(2, 'two', vec(0, 1)));
    e.set([0, 1]);
    expect(index.search('', { queryEmbedding: vec(1, 0) })[0]).toMatchObject({ id: 1, cosine: 1 });
  });
  it('forgets the vector of a removed or replaced span', () => {
    const index = fixture();
    index.remove(1);
    index.add(span(3, 'gamma summary', vec(0, 0, -1)));
    const hits = index.search('', { queryEmbedding: vec(1, 0, 0) });
    expect(hits.map((h) => h.id)).toEqual([2, 3, 4]);
    expect(hits.find((h) => h.id === 3)?.cosine).toBe(0);
  });
  it('keeps one dimension: mismatches throw and change nothing', () => {
    const index = fixture();
    expect(() => index.add(span(9, 'four dims', vec(1, 0, 0, 0)))).toThrow(/dimension 4.*3-dimensional/);
    expect(index.has(9)).toBe(false);
    expect(() => index.add(span(1, 'alpha report', vec(1, 0)))).toThrow(RangeError);
    expect(index.get(1)?.text).toBe('alpha report');
    expect(index.search('alpha').map((h) => h.id)).toEqual([1, 5]);
    expect(() => index.search('alpha', { queryEmbedding: vec(1, 0) })).toThrow(/query embedding has dimension 2/);
  });
  it('accepts a new dimension once no embedded span is left', () => {
    const index = new RecallIndex();
    index.add(span(1, 'one', vec(1, 0, 0)));
    index.add(span(1, 'one', vec(1, 0))); // replacing the only vector
    index.add(span(2, 'two', vec(0, 1)));
    index.remove(1);
    index.remove(2);
    index.add(span(3, 'three', vec(0, 0, 0, 1)));
    expect(index.search('', { queryEmbedding: vec(0, 0, 0, 1) })).toEqual([{ id: 3, score: 1 / 61, denseRank: 1, cosine: 1 }]);
  });
});
