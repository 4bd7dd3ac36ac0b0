import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ContextSegment, Role } from '../../shared/protocol.js';
import { buildContext, segmentTokens } from './contextBuilder.js';
import { Ledger } from './ledger.js';
import type { TokenRing } from './tokenRing.js';

const OVERHEAD = { perRole: { system: 3, user: 4, assistant: 5, tool: 6 }, generationPrompt: 2, trailingAssistant: 1 };

/** The segments, token by token: runs of consecutive positions of one message in each ring, merged by position. */
function reference(ledger: Ledger): ContextSegment[] {
  const runs: { pos: number; seg: ContextSegment }[] = [];
  const walk = (ring: TokenRing, pinned: boolean): void => {
    for (let i = 0; i < ring.length; ) {
      let j = i + 1;
      while (j < ring.length && ring.msg(j) === ring.msg(i) && ring.pos(j) === ring.pos(j - 1) + 1) j++;
      const messageId = ring.msg(i);
      const from = ring.pos(i) - ledger.messageStart(messageId);
      runs.push({ pos: ring.pos(i), seg: { messageId, from, to: from + j - i, role: ledger.messageRole(messageId), pinned } });
      i = j;
    }
  };
  walk(ledger.pinned, true);
  walk(ledger.window, false);
  return runs.sort((a, b) => a.pos - b.pos).map((r) => r.seg);
}

type Op = { op: 'add'; role: Role; pinned: boolean; n: number } | { op: 'front'; k: number } | { op: 'range'; a: number; b: number } | { op: 'many'; cuts: number[] } | { op: 'build' };
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('add' as const), role: fc.constantFrom<Role>('system', 'user', 'assistant'), pinned: fc.boolean(), n: fc.integer({ min: 0, max: 30 }) }),
  fc.record({ op: fc.constant('front' as const), k: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ op: fc.constant('range' as const), a: fc.nat(), b: fc.nat() }),
  fc.record({ op: fc.constant('many' as const), cuts: fc.array(fc.nat(), { minLength: 2, maxLength: 8 }) }),
  fc.constant({ op: 'build' as const }),
);

describe('buildContext', () => {
  it('gives the runs of the rings as they are now, sharing the segments of runs that did not change', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 60 }), (ops) => {
        const ledger = new Ledger(OVERHEAD, 16);
        let prev: ContextSegment[] = [];
        let next = 1;
        for (const o of ops) {
          if (o.op === 'add') {
            const ids = Int32Array.from({ length: o.n }, () => next++);
            ledger.addMessage(o.role, 1, o.pinned, ids, new Uint8Array(o.n));
          } else if (o.op === 'front') ledger.evictFront(Math.min(o.k, ledger.window.length));
          else if (o.op === 'range' && ledger.window.length > 1) {
            const a = 1 + (o.a % (ledger.window.length - 1));
            const b = a + 1 + (o.b % (ledger.window.length - a));
            ledger.evictRange(a, b);
          } else if (o.op === 'many' && ledger.window.length > 1) {
            // disjoint ascending ranges anywhere in the window, released then compacted in one pass
            const at = [...new Set(o.cuts.map((c) => c % (ledger.window.length + 1)))].sort((x, y) => x - y);
            const ranges: { from: number; to: number }[] = [];
            for (let k = 0; k + 1 < at.length; k += 2) ranges.push({ from: at[k], to: at[k + 1] });
            for (const r of ranges) ledger.releaseRange(r.from, r.to);
            ledger.compact(ranges);
          }
          const built = buildContext(ledger, 1 << 20);
          expect(built.segments).toEqual(reference(ledger));
          built.segments.forEach((seg, i) => {
            const ring = seg.pinned ? ledger.pinned : ledger.window;
            const { ids } = segmentTokens(ledger, built, i);
            const at = ring.indexOfPos(ledger.messageStart(seg.messageId) + seg.from);
            expect(Array.from(ids)).toEqual(Array.from(ring.ids(at, at + seg.to - seg.from)));
          });
          // a segment made before is reused only while it still describes its run
          for (const seg of built.segments) if (prev.includes(seg)) expect(reference(ledger)).toContainEqual(seg);
          prev = built.segments;
        }
      }),
    );
  });

  it('trims a copy of the last segment when pinned tokens alone exceed the budget', () => {
    const ledger = new Ledger(OVERHEAD, 16);
    ledger.addMessage('system', 0, true, Int32Array.from({ length: 50 }, (_, i) => i), new Uint8Array(50));
    const whole = buildContext(ledger, 1000);
    const trimmed = buildContext(ledger, 30);
    expect(trimmed.tokens).toBe(30);
    expect(trimmed.segments[0].to).toBe(50 - (50 + 3 + 2 - 30));
    expect(whole.segments[0].to).toBe(50);
    expect(buildContext(ledger, 1000).segments[0]).toBe(whole.segments[0]);
  });
});
