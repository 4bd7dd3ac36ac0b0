import { describe, expect, it } from 'vitest';
import { decodeWire, encodeWire } from './wire.js';

describe('wire codec', () => {
  it('round-trips batches with span columns as Float64Array', () => {
    const batch = { type: 'batch', seq: 3, merged: 1, sentAt: 5, events: [{ type: 'replayProgress', done: 1, total: 2 }], spans: { names: ['a'], data: new Float64Array([0.5, 1.25, 0, 7]) } };
    const back = decodeWire(encodeWire(batch)) as typeof batch;
    expect(back.spans.data).toBeInstanceOf(Float64Array);
    expect(Array.from(back.spans.data)).toEqual([0.5, 1.25, 0, 7]);
    expect(back.events).toEqual(batch.events);
  });

  it('leaves commands and other values alone', () => {
    const cmd = { type: 'chat', id: 'x', content: 'data: {"$f64": [1]}' };
    expect(decodeWire(encodeWire(cmd))).toEqual(cmd);
  });
});
