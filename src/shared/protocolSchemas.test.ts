import { describe, expect, expectTypeOf, it } from 'vitest';
import type { z } from 'zod';
import type { EngineCommand, EventBatch, HostEvent } from './protocol.js';
import { EngineCommandSchema, EventBatchSchema, HostEventSchema } from './protocolSchemas.js';

describe('protocol schemas', () => {
  it('match the TypeScript contract exactly', () => {
    // mutual assignability, checked by tsc (the test run fails on a type error via `npm test`'s typecheck)
    expectTypeOf<z.infer<typeof EngineCommandSchema>>().toExtend<EngineCommand>();
    expectTypeOf<EngineCommand>().toExtend<z.infer<typeof EngineCommandSchema>>();
    expectTypeOf<z.infer<typeof HostEventSchema>>().toExtend<HostEvent>();
    expectTypeOf<HostEvent>().toExtend<z.infer<typeof HostEventSchema>>();
    const toTs = (b: z.infer<typeof EventBatchSchema>): EventBatch => b;
    const toZod = (b: EventBatch): z.infer<typeof EventBatchSchema> => b;
    expect([toTs, toZod]).toHaveLength(2);
  });

  it('reject unknown types, unknown keys and bad values', () => {
    expect(EngineCommandSchema.safeParse({ type: 'hello', protocolVersion: 1, client: 'x' }).success).toBe(true);
    expect(EngineCommandSchema.safeParse({ type: 'launchMissiles' }).success).toBe(false);
    expect(EngineCommandSchema.safeParse({ type: 'ack', seq: 1, extra: true }).success).toBe(false);
    expect(EngineCommandSchema.safeParse({ type: 'setConfig', config: { maxTokens: -5 } }).success).toBe(false);
    expect(EngineCommandSchema.safeParse({ type: 'replay', messages: [] }).success).toBe(false);
    const batch = { type: 'batch', seq: 0, merged: 0, sentAt: 1, events: [{ type: 'replayProgress', done: 1, total: 2 }], spans: { names: ['a'], data: new Float64Array(4) } };
    expect(EventBatchSchema.safeParse(batch).success).toBe(true);
    expect(EventBatchSchema.safeParse({ ...batch, spans: { names: ['a'], data: [1, 2, 3, 4] } }).success).toBe(false);
  });
});
