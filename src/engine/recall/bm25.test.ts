import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25.js';
import { LexicalIndex } from './lexical.js';
import { RecallIndex, reciprocalRankFusion } from './recallIndex.js';
import { MiniSearchLexical } from './testing/miniSearchOracle.js';
import { syntheticChat } from '../testing/syntheticChat.js';

const WORDS = ['lock', 'locker', 'locked', 'code', 'codes', 'alpha-7', 'alpha', '7', '4417', '4471', 'blue', 'bluey', 'Inês', 'ines', 'v2.1', 'door', 'doors', 'red', 'room', '10:30', '1,200', 'the', 'and', 'train', 'trains'];
const text = fc.array(fc.constantFrom(...WORDS), { minLength: 0, maxLength: 14 }).map((w) => w.join(' '));
const op = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), id: fc.integer({ min: 0, max: 40 }), text }),
  fc.record({ kind: fc.constant('remove' as const), id: fc.integer({ min: 0, max: 40 }) }),
);

function applyOps(ops: ({ kind: 'add'; id: number; text: string } | { kind: 'remove'; id: number })[], prefix: boolean) {
  const ours = new LexicalIndex({ prefix });
  const oracle = new MiniSearchLexical({ prefix });
  const live = new Set<number>();
  for (const o of ops) {
    if (o.kind === 'add') {
      if (live.has(o.id)) {
        ours.remove(o.id);
        oracle.remove(o.id);
      }
      ours.add(o.id, o.text);
      oracle.add(o.id, o.text);
      live.add(o.id);
    } else {
      ours.remove(o.id);
      oracle.remove(o.id);
      live.delete(o.id);
    }
  }
  return { ours, oracle };
}

describe('Bm25Index', () => {
  it('ranks exactly as MiniSearch did (same ids, same scores, same order) after any adds and removes', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 80 }), fc.array(text, { minLength: 1, maxLength: 6 }), fc.integer({ min: 1, max: 12 }), (ops, queries, limit) => {
        const { ours, oracle } = applyOps(ops, false);
        expect(ours.size).toBe(oracle.size);
        for (const q of queries) {
          expect(ours.rank(q)).toEqual(oracle.rank(q));
          expect(ours.rank(q, -Infinity, limit)).toEqual(oracle.rank(q, -Infinity, limit));
          const cut = oracle.rank(q)[1]?.score ?? 0;
          expect(ours.rank(q, cut)).toEqual(oracle.rank(q, cut));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('with prefix matching, matches the same spans with the same scores (to rounding)', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.array(text, { minLength: 1, maxLength: 5 }), (ops, queries) => {
        const { ours, oracle } = applyOps(ops, true);
        for (const q of queries) {
          const a = ours.rank(q);
          const b = oracle.rank(q);
          expect(a.map((h) => h.id).sort((x, y) => x - y)).toEqual(b.map((h) => h.id).sort((x, y) => x - y));
          const want = new Map(b.map((h) => [h.id, h.score]));
          for (const h of a) expect(h.score).toBeCloseTo(want.get(h.id) as number, 9);
          for (let i = 1; i < a.length; i++) expect(a[i - 1].score >= a[i].score).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('agrees with MiniSearch on a synthetic chat: a sliding 1,500 sentence spans, every user message as a query', () => {
    const chat = syntheticChat({ seed: 7, turns: 250, sentencesPerMessage: 6 });
    const ours = new LexicalIndex();
    const oracle = new MiniSearchLexical();
    let id = 0;
    const queries: string[] = [];
    for (const m of chat) {
      if (m.role === 'user') queries.push(m.content);
      for (const sentence of m.content.split(/(?<=[.!?])\s+/u)) {
        ours.add(id, sentence);
        oracle.add(id, sentence);
        if (id >= 1500) {
          ours.remove(id - 1500);
          oracle.remove(id - 1500);
        }
        id++;
      }
    }
    for (const q of queries) expect(ours.rank(q, -Infinity, 128)).toEqual(oracle.rank(q, -Infinity, 128));
  });

  it('counts a repeated query term once, at its first occurrence', () => {
    const term = fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f');
    fc.assert(
      fc.property(fc.array(fc.array(term, { maxLength: 12 }), { minLength: 1, maxLength: 40 }), fc.array(term, { minLength: 1, maxLength: 10 }), (docs, query) => {
        const index = new Bm25Index();
        docs.forEach((d, id) => index.add(id, d));
        expect(index.search(query)).toEqual(index.search([...new Set(query)]));
        expect(index.search(query, 3)).toEqual(index.search([...new Set(query)], 3));
      }),
      { numRuns: 200 },
    );
  });

  it('ranks as MiniSearch does past the length table: documents of 1,000+ distinct terms, terms repeated in them', () => {
    const ours = new LexicalIndex();
    const oracle = new MiniSearchLexical();
    const words = (from: number, n: number) => Array.from({ length: n }, (_, i) => `w${from + i}`).join(' ');
    const docs = [`${words(0, 1030)} lock lock code`, `${words(500, 1100)} lock door`, 'lock code code', 'door red room lock', `${words(0, 20)} code`, 'red red red door'];
    docs.forEach((d, id) => {
      ours.add(id, d);
      oracle.add(id, d);
    });
    for (const q of ['lock code', 'door lock red', 'w7 code lock', 'w600 w1099 door', 'red room']) expect(ours.rank(q)).toEqual(oracle.rank(q));
    ours.remove(0);
    oracle.remove(0);
    for (const q of ['lock code', 'w7 code lock', 'w600 red']) expect(ours.rank(q)).toEqual(oracle.rank(q));
  });

  it('reuses slots and term ids: memory follows the documents held, not the documents ever added', () => {
    const index = new Bm25Index();
    for (let i = 0; i < 5000; i++) {
      index.add(i, [`unique${i}`, 'shared', `n${i % 7}`]);
      if (i >= 100) index.remove(i - 100);
    }
    expect(index.size).toBe(100);
    expect(index.vocabulary).toBe(100 + 1 + 7);
    index.remove(4999);
    expect(index.has(4999)).toBe(false);
    expect(index.remove(4999)).toBe(false);
    expect(index.search(['shared']).length).toBe(99);
  });

  it('refuses a duplicate id and answers nothing when empty or asked for no hits', () => {
    const index = new Bm25Index();
    expect(index.search(['a'])).toEqual([]);
    index.add(1, ['a']);
    expect(() => index.add(1, ['b'])).toThrow(/duplicate/u);
    expect(index.search(['a'], 0)).toEqual([]);
    index.clear();
    expect(index.size).toBe(0);
    index.add(1, ['b']);
    expect(index.search(['b'])).toEqual([{ id: 1, score: expect.any(Number) as number }]);
  });
});

describe('RecallIndex on BM25 alone', () => {
  it('gives what fusing the whole BM25 ranking gives: the same hits, fused scores, ranks and BM25 scores', () => {
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 60 }), text, fc.integer({ min: 1, max: 20 }), (docs, q, k) => {
        const index = new RecallIndex();
        const lexical = new LexicalIndex();
        docs.forEach((t, id) => {
          index.add({ id, text: t, tokens: 1, messageId: 0, startPos: id, endPos: id + 1 });
          lexical.add(id, t);
        });
        const ranked = lexical.rank(q);
        const fused = reciprocalRankFusion([ranked.map((h) => h.id)], 60).slice(0, k);
        const want = fused.map(({ id, score }) => {
          const i = ranked.findIndex((h) => h.id === id);
          return { id, score, bm25Rank: i + 1, bm25Score: ranked[i].score };
        });
        expect(index.search(q, { k })).toEqual(want);
      }),
      { numRuns: 200 },
    );
  });
});
