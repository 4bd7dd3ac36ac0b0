import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunDeque } from './runDeque.js';

/** The reference: the deque's tokens one by one, (message, position), in order. */
type Token = [msg: number, pos: number];

function runsOf(tokens: Token[]): [number, number, number][] {
  const runs: [number, number, number][] = [];
  for (const [msg, pos] of tokens) {
    const last = runs[runs.length - 1];
    if (last && last[0] === msg && last[1] + last[2] === pos) last[2]++;
    else runs.push([msg, pos, 1]);
  }
  return runs;
}

function runsIn(d: RunDeque): [number, number, number][] {
  const out: [number, number, number][] = [];
  for (let i = 0; i < d.length; i++) out.push([d.msg(i), d.start(i), d.count(i)]);
  return out;
}

const op = fc.oneof(
  fc.record({ kind: fc.constant('push' as const), n: fc.integer({ min: 1, max: 6 }), newMsg: fc.boolean(), gap: fc.boolean() }),
  fc.record({ kind: fc.constant('shrink' as const), n: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('cut' as const), picks: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 5 })), { minLength: 1, maxLength: 6 }) }),
  fc.record({ kind: fc.constant('tag' as const) }),
);

describe('RunDeque', () => {
  it('keeps the runs of its tokens through pushes, front shrinks and cuts, and a run keeps its tag until it changes', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 300 }), (ops) => {
        const d = new RunDeque();
        let tokens: Token[] = [];
        let msg = 0;
        let pos = 0;
        let tagged = new Map<string, unknown>();
        const key = (r: [number, number, number]): string => r.join(':');
        for (const o of ops) {
          if (o.kind === 'push') {
            if (o.newMsg) msg++;
            if (o.gap) pos += 3;
            d.pushRun(msg, pos, o.n);
            for (let k = 0; k < o.n; k++) tokens.push([msg, pos++]);
          } else if (o.kind === 'shrink') {
            if (d.length === 0) continue;
            const n = Math.min(o.n, d.count(0));
            d.shrinkFirst(n);
            tokens = tokens.slice(n);
          } else if (o.kind === 'cut') {
            if (tokens.length === 0) continue;
            // ascending, disjoint position intervals over the tokens held
            const at = [...new Set(o.picks.map(([i]) => i % tokens.length))].sort((a, b) => a - b);
            const cuts: number[] = [];
            let end = -1;
            for (let j = 0; j < at.length; j++) {
              const a = tokens[at[j]][1];
              if (a < end) continue;
              const b = a + o.picks[j % o.picks.length][1];
              cuts.push(a, b);
              end = b;
            }
            d.cut(cuts);
            tokens = tokens.filter(([, p]) => !cuts.some((c, k) => k % 2 === 0 && p >= c && p < cuts[k + 1]));
          } else {
            d.ensureTags((i) => ({ run: key([d.msg(i), d.start(i), d.count(i)]) }));
            const next = new Map<string, unknown>();
            for (let i = 0; i < d.length; i++) {
              const r: [number, number, number] = [d.msg(i), d.start(i), d.count(i)];
              // a run unchanged since it was last tagged keeps that very tag object
              if (tagged.has(key(r))) expect(d.tag(i)).toBe(tagged.get(key(r)));
              expect(d.tag(i)).toEqual({ run: key(r) });
              next.set(key(r), d.tag(i));
            }
            tagged = next;
          }
          expect(runsIn(d)).toEqual(runsOf(tokens));
          const copied: unknown[] = [];
          d.copyTags(copied, 0);
          expect(copied.length).toBe(d.length);
        }
      }),
      { numRuns: 400 },
    );
  });
});
