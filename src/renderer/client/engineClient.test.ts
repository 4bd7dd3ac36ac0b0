import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../../shared/config.js';
import { PROTOCOL_VERSION, type ClientCommand, type EventBatch } from '../../shared/protocol.js';
import { emptySnapshot } from '../../shared/view/snapshot.js';
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
    expect(p.sent).toEqual([{ type: 'ack', seq: 0, ms: expect.any(Number) }]); // with the commit's time, which sizes the host's batches
  });

  it('with deferAck, acks only when the deferred callback runs (after the frame), so the host coalesces meanwhile', () => {
    const p = pair();
    const pending: (() => void)[] = [];
    new EngineClient(p.transport, { onBatch: () => undefined, deferAck: (ack) => pending.push(ack) });
    p.deliver(batch(3));
    expect(p.sent).toEqual([]);
    pending.shift()!();
    expect(p.sent).toEqual([{ type: 'ack', seq: 3, ms: expect.any(Number) }]);
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

describe('EngineClient sequence', () => {
  const hello = (seq: number): EventBatch => ({
    type: 'batch',
    seq,
    events: [{ type: 'helloAck', protocolVersion: PROTOCOL_VERSION, host: 'h', session: { title: 't', messages: 0, config: DEFAULT_CONFIG, tokenizer: 'x' }, snapshot: emptySnapshot(), backend: { kind: 'none' } }],
    merged: 0,
    sentAt: 0,
  });

  it('applies batches in sequence from the hello answer; on a gap it skips the batch, says hello again, and goes on from the next answer', () => {
    const p = pair();
    const committed: number[] = [];
    const gaps: [number, number][] = [];
    const client = new EngineClient(p.transport, { onBatch: (b) => committed.push(b.seq), onResync: (expected, got) => gaps.push([expected, got]) });
    client.hello();
    p.deliver(batch(2)); // before the answer (the old client's): applied, the snapshot replaces it
    p.deliver(hello(3));
    p.deliver(batch(4));
    p.deliver(batch(6)); // 5 was lost
    p.deliver(batch(7)); // still waiting for the new answer: applied, replaced by it
    p.deliver(hello(8));
    p.deliver(batch(9));
    expect(committed).toEqual([2, 3, 4, 7, 8, 9]);
    expect(gaps).toEqual([[5, 6]]);
    expect(p.sent.filter((c) => c.type === 'hello')).toHaveLength(2);
    expect(p.sent.filter((c) => c.type === 'ack').map((c) => (c as { seq: number }).seq)).toEqual([2, 3, 4, 6, 7, 8, 9]); // skipped batches are acked too: the host never stalls
  });

  it('a batch that fails validation after the answer is a gap: the client asks for a new snapshot', () => {
    const p = pair();
    const gaps: [number, number][] = [];
    const client = new EngineClient(p.transport, { onBatch: () => undefined, onProtocolError: () => undefined, onResync: (expected, got) => gaps.push([expected, got]) });
    client.hello();
    p.deliver(hello(0));
    p.deliver({ type: 'batch', seq: 1, events: [{ type: 'nope' }], merged: 0, sentAt: 0 });
    expect(gaps).toEqual([[1, 1]]);
    expect(p.sent.filter((c) => c.type === 'hello')).toHaveLength(2);
  });
});
