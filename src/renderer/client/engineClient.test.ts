import { describe, expect, it } from 'vitest';
import type { ClientCommand, EventBatch } from '../../shared/protocol.js';
import { EngineClient, type ClientTransport } from './engineClient.js';

function pair() {
  const sent: ClientCommand[] = [];
  let deliver: (data: unknown) => void = () => undefined;
  const transport: ClientTransport = { send: (c) => sent.push(c), onMessage: (h) => (deliver = h), close: () => undefined };
  return { sent, deliver: (d: unknown) => deliver(d), transport };
}

const batch = (seq: number): EventBatch => ({ type: 'batch', seq, events: [], merged: 0, sentAt: 0 });

describe('EngineClient acks', () => {
  it('acks each batch right after its commit by default', () => {
    const p = pair();
    const committed: number[] = [];
    new EngineClient(p.transport, { onBatch: (b) => committed.push(b.seq) });
    p.deliver(batch(0));
    expect(committed).toEqual([0]);
    expect(p.sent).toEqual([{ type: 'ack', seq: 0 }]);
  });

  it('with deferAck, acks only when the deferred callback runs (after the frame), so the host coalesces meanwhile', () => {
    const p = pair();
    const pending: (() => void)[] = [];
    new EngineClient(p.transport, { onBatch: () => undefined, deferAck: (ack) => pending.push(ack) });
    p.deliver(batch(3));
    expect(p.sent).toEqual([]);
    pending.shift()!();
    expect(p.sent).toEqual([{ type: 'ack', seq: 3 }]);
  });

  it('still acks (deferred) when the commit throws, so the host is never stalled', () => {
    const p = pair();
    const pending: (() => void)[] = [];
    new EngineClient(p.transport, {
      onBatch: () => {
        throw new Error('render failed');
      },
      deferAck: (ack) => pending.push(ack),
    });
    expect(() => p.deliver(batch(7))).toThrow('render failed');
    pending.shift()!();
    expect(p.sent).toEqual([{ type: 'ack', seq: 7 }]);
  });
});
