import { describe, expect, it } from 'vitest';
import { framedBatch } from '../shared/wire.js';
import { Backpressure } from './backpressure.js';
import { ClientSlot } from './clientSlot.js';
import type { ClientConnection } from './connection.js';

/** A stand-in for a browser connection: records what the server did to it. */
function fakeConnection(open = true) {
  const log = { paused: false, sent: [] as string[], closed: [] as number[] };
  const conn = {
    open,
    get paused() {
      return log.paused;
    },
    setPaused: (p: boolean) => void (log.paused = p),
    send: (text: string) => void log.sent.push(text),
    close: (code: number) => void log.closed.push(code),
    notice: () => undefined,
  };
  return { conn: conn as unknown as ClientConnection, log };
}

const batch = (seq: number) => framedBatch({ type: 'batch', seq, events: [], merged: 0, sentAt: 0 });

describe('Backpressure', () => {
  it('pauses the client once the host is behind, counts the pause once, and reads again on credit or a new host', () => {
    const client = new ClientSlot();
    const flow = new Backpressure({ maxCommands: 2, maxBytes: 1000, client });
    const { conn, log } = fakeConnection();
    client.attach(conn);
    flow.sent(10);
    expect(log.paused).toBe(false);
    flow.sent(10);
    flow.sent(10);
    expect(log.paused).toBe(true);
    expect(flow.pauses).toBe(1);
    flow.credit(2);
    expect(log.paused).toBe(false);
    flow.sent(10);
    expect([log.paused, flow.pauses]).toEqual([true, 2]);
    flow.reset();
    expect(log.paused).toBe(false);
  });

  it('a client that connects while the host is behind starts paused', () => {
    const client = new ClientSlot();
    const flow = new Backpressure({ maxCommands: 10, maxBytes: 100, client });
    flow.sent(100); // no client yet: nothing to pause, nothing counted
    expect(flow.pauses).toBe(0);
    const { conn, log } = fakeConnection();
    flow.admit(conn);
    expect(log.paused).toBe(true);
  });
});

describe('ClientSlot', () => {
  it('closes the client a second one replaces, and hands back only the holder\'s unacked batch', () => {
    const slot = new ClientSlot();
    const first = fakeConnection();
    const second = fakeConnection();
    slot.attach(first.conn);
    expect(slot.deliver(batch(1))).toBe(true);
    slot.attach(second.conn);
    expect(first.log.closed).toEqual([4000]);
    expect(slot.detach(first.conn)).toBeUndefined(); // no longer the holder
    expect(slot.deliver(batch(2))).toBe(true);
    expect(slot.detach(second.conn)).toBe(2);
    expect(slot.current).toBeUndefined();
  });

  it('an acked batch is not acked again when the client leaves; no open client means the server acks', () => {
    const slot = new ClientSlot();
    const { conn } = fakeConnection();
    slot.attach(conn);
    slot.deliver(batch(5));
    slot.acked(5);
    expect(slot.detach(conn)).toBeUndefined();
    slot.attach(fakeConnection(false).conn);
    expect(slot.deliver(batch(6))).toBe(false);
  });

  it('with two batches in flight, an ack of the first leaves the second to be acked for a client that leaves', () => {
    const slot = new ClientSlot();
    const { conn } = fakeConnection();
    slot.attach(conn);
    slot.deliver(batch(7));
    slot.deliver(batch(8));
    slot.acked(7);
    expect(slot.detach(conn)).toBe(8);
  });
});
