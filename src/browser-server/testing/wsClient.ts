// A well-behaved browser-mode client for tests: acks every batch, records batches' events and the
// server's notices, and waits for events themselves (no polling timers; the test's timeout bounds it).
import WebSocket from 'ws';
import { PROTOCOL_VERSION, type HostEvent } from '../../shared/protocol.js';
import { encodeWire, readServerMessage } from '../../shared/wire.js';

export function wsClient(s: { port: number; token: string }) {
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/engine?token=${s.token}`, { headers: { Origin: `http://127.0.0.1:${s.port}` } });
  const events: HostEvent[] = [];
  const notices: HostEvent[] = [];
  const wake: (() => void)[] = [];
  let closeCode: number | undefined;
  const woken = () => wake.splice(0).forEach((w) => w());
  ws.on('message', (data, isBinary) => {
    const msg = readServerMessage(isBinary ? (data as Buffer) : String(data));
    if (msg.type === 'notice') notices.push(...msg.events);
    else {
      events.push(...msg.events);
      ws.send(encodeWire({ type: 'ack', seq: msg.seq }));
    }
    woken();
  });
  ws.on('close', (code) => {
    closeCode = code;
    woken();
  });
  const opened = new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  /** Resolves once `pred` holds, re-checked on every message and on close. */
  const waitFor = (pred: () => boolean) =>
    new Promise<void>((resolve) => {
      const check = () => (pred() ? resolve() : wake.push(check));
      check();
    });
  /** A command object (encoded) or raw text, sent as one text frame. */
  const send = (cmd: unknown) => ws.send(typeof cmd === 'string' ? cmd : encodeWire(cmd));
  const hello = async () => {
    await opened;
    send({ type: 'hello', protocolVersion: PROTOCOL_VERSION, client: 'test' });
    await waitFor(() => events.some((e) => e.type === 'helloAck'));
  };
  const of = <T extends HostEvent['type']>(type: T, list = events) => list.filter((e) => e.type === type) as Extract<HostEvent, { type: T }>[];
  return { ws, events, notices, opened, waitFor, send, hello, of, closed: () => closeCode, close: () => ws.close() };
}
