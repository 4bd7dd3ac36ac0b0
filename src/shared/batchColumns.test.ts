import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkColumns, toColumns, expandColumns, STATS_LAYOUT, STATS_STRIDE, type BatchColumns } from './batchColumns.js';
import { EventBatchSchema, HostEventSchema, type HostEvent } from './protocol.js';
import { decodeWire, encodeBatchFrame, encodeWire, expandBatch } from './wire.js';

/** JSON has no -0 (it reads back as 0), as for any number on that path. */
const plusZero = (x: number) => (x === 0 ? 0 : x);
const nat = fc.nat({ max: 1_000_000 });
const text = fc.string({ maxLength: 40, unit: 'grapheme' });
const role = fc.constantFrom('system', 'user', 'assistant', 'tool' as const);
const budget = fc.record({ maxTokens: nat, usedBefore: nat, usedAfter: nat });
const message = fc.record(
  { type: fc.constant('messageAppended' as const), turn: nat, messageId: nat, role, pinned: fc.boolean(), startPos: nat, tokens: nat, content: text, summary: fc.boolean() },
  { requiredKeys: ['type', 'turn', 'messageId', 'role', 'pinned', 'startPos', 'tokens', 'content'] },
);
const eviction = fc.record({
  type: fc.constant('eviction' as const),
  turn: nat,
  seq: nat,
  startPos: nat,
  endPos: nat,
  tokens: nat,
  ranges: fc.array(fc.record({ messageId: nat, from: nat, to: nat }), { maxLength: 4 }),
  preview: text,
  reason: fc.record(
    { policy: text, kind: fc.constantFrom('budget', 'sentence-align', 'recall-expired', 'span-value', 'summarized' as const), detail: text, score: fc.double({ noNaN: true, noDefaultInfinity: true }).map(plusZero), cluster: fc.integer({ min: -5, max: 50 }), budget },
    { requiredKeys: ['policy', 'kind', 'detail', 'budget'] },
  ),
});
const amount = fc.double({ min: 0, max: 1e9, noNaN: true, noDefaultInfinity: true }).map(plusZero);
const stats = fc.record(
  {
    type: fc.constant('stats' as const),
    stats: fc.record({ tokensSeen: amount, tokensRetained: amount, tokensPinned: amount, tokensEvicted: amount, evictions: amount, compressionRatio: amount, policyLatencyMs: amount, policyLatencyMsTotal: amount, policyCalls: amount, fallbackCount: amount, anchorCacheHits: amount, anchorCacheMisses: amount, contextBuilds: amount, turns: amount }),
    turn: fc.record(
      { turn: amount, tokensIn: amount, tokenizeMs: amount, policyMs: amount, buildMs: amount, engineMs: amount, evictedTokens: amount, evictionEvents: amount, contextTokens: amount, used: amount, modelMs: amount },
      { requiredKeys: ['turn', 'tokensIn', 'tokenizeMs', 'policyMs', 'buildMs', 'engineMs', 'evictedTokens', 'evictionEvents', 'contextTokens', 'used'] },
    ),
    byRole: fc.record({ system: nat, user: nat, assistant: nat, tool: nat }),
  },
  { requiredKeys: ['type', 'stats'] },
);
const other = fc.oneof(fc.record({ type: fc.constant('replayProgress' as const), done: nat, total: nat }), fc.record({ type: fc.constant('chatToken' as const), id: text, text }));
const events = fc.array(fc.oneof(message, eviction, stats, other), { maxLength: 30 }) as fc.Arbitrary<HostEvent[]>;

const batchOf = (evs: HostEvent[]) => {
  const { events: rest, columns } = toColumns(evs);
  return { type: 'batch' as const, seq: 1, merged: 0, sentAt: 2, events: rest as HostEvent[], ...(columns ? { columns } : {}) };
};

describe('batch columns', () => {
  it('turn back into the same events, in order, through a port (structured clone), a binary frame and JSON; each one schema-valid', () => {
    fc.assert(
      fc.property(events, (evs) => {
        for (const e of evs) expect(HostEventSchema.safeParse(e).success).toBe(true);
        const wire = batchOf(evs);
        for (const carried of [structuredClone(wire), decodeWire(encodeBatchFrame(wire)), decodeWire(encodeWire(wire))]) {
          const parsed = EventBatchSchema.parse(carried);
          expect(expandBatch(parsed).events).toEqual(evs);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('texts with lone surrogates cross a binary frame unchanged (they stay in its JSON header)', () => {
    const evs: HostEvent[] = [
      { type: 'messageAppended', turn: 1, messageId: 2, role: 'user', pinned: false, startPos: 0, tokens: 3, content: 'half \ud83d pair' },
      { type: 'messageAppended', turn: 1, messageId: 3, role: 'user', pinned: false, startPos: 3, tokens: 3, content: 'whole 😀' },
    ];
    expect(expandBatch(EventBatchSchema.parse(decodeWire(encodeBatchFrame(batchOf(evs))))).events).toEqual(evs);
  });

  it('an object-only batch has no columns', () => {
    expect(toColumns([{ type: 'replayProgress', done: 1, total: 2 } as HostEvent]).columns).toBeUndefined();
  });

  it('refuses columns that would not expand into valid events', () => {
    const ok = toColumns([
      { type: 'messageAppended', turn: 1, messageId: 2, role: 'user', pinned: false, startPos: 0, tokens: 3, content: 'hi' },
      { type: 'eviction', turn: 1, seq: 0, startPos: 0, endPos: 2, tokens: 2, ranges: [{ messageId: 2, from: 0, to: 2 }], preview: 'p', reason: { policy: 's', kind: 'budget', detail: 'd', budget: { maxTokens: 1, usedBefore: 3, usedAfter: 1 } } },
    ] as HostEvent[]).columns!;
    expect(checkColumns(ok, 0)).toBeUndefined();
    const bad = (f: (c: BatchColumns) => void): string | undefined => {
      const c = structuredClone(ok);
      f(c);
      return checkColumns(c, 0);
    };
    expect(bad((c) => (c.messages!.num[4] = 9))).toMatch(/role/); // no such role
    expect(bad((c) => (c.messages!.num[0] = -1))).toMatch(/count/);
    expect(bad((c) => (c.messages!.num[7] = 1))).toMatch(/text/);
    expect(bad((c) => (c.evictions!.num[5] = 99))).toMatch(/kind/);
    expect(bad((c) => (c.evictions!.num[12] = 2))).toMatch(/ranges/);
    expect(bad((c) => (c.evictions!.ranges[0] = 0.5))).toMatch(/range/);
    expect(bad((c) => (c.order[0] = 3))).toMatch(/rows/);
    expect(bad((c) => (c.order[1] = 7))).toMatch(/order/);
    expect(checkColumns(ok, 1)).toMatch(/events/);
    expect(expandColumns([], ok)).toHaveLength(2);
  });

  it('a malformed binary frame decodes to something the schema refuses, never a throw', () => {
    const frame = encodeBatchFrame(batchOf([{ type: 'messageAppended', turn: 1, messageId: 2, role: 'user', pinned: false, startPos: 0, tokens: 3, content: 'hi' }]));
    const cut = (n: number) => decodeWire(frame.slice(0, n));
    for (const n of [0, 4, 8, 20, frame.length - 8]) expect(EventBatchSchema.safeParse(cut(n)).success).toBe(false);
    const garbled = frame.slice();
    garbled[9] = 0xff; // inside the header's JSON
    expect(EventBatchSchema.safeParse(decodeWire(garbled)).success).toBe(false);
    expect(EventBatchSchema.safeParse(decodeWire(frame)).success).toBe(true);
  });
});

describe('stats rows', () => {
  it('follow the schemas key by key (the unrolled reads and writes of batchColumns.ts assume this layout)', () => {
    expect(STATS_LAYOUT).toEqual([
      ...['tokensSeen', 'tokensRetained', 'tokensPinned', 'tokensEvicted', 'evictions', 'compressionRatio', 'policyLatencyMs', 'policyLatencyMsTotal', 'policyCalls', 'fallbackCount', 'anchorCacheHits', 'anchorCacheMisses', 'contextBuilds', 'turns'],
      'flags',
      ...['turn', 'tokensIn', 'tokenizeMs', 'policyMs', 'buildMs', 'engineMs', 'evictedTokens', 'evictionEvents', 'contextTokens', 'used'],
      'modelMs',
      ...['system', 'user', 'assistant', 'tool'],
    ]);
    expect(STATS_LAYOUT).toHaveLength(STATS_STRIDE);
  });
});
