// Raw loopback clients for the attack tests: HTTP requests and WebSocket frames written byte by byte,
// so malformed input reaches the server exactly as an attacker would send it.
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';

/** Sends raw bytes and resolves with everything the server answered once it closes the connection. */
export function rawRequest(port: number, bytes: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d) => chunks.push(d));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.write(bytes);
  });
}

/** The status code of a raw HTTP answer (0 when the server closed without one). */
export const statusOf = (answer: string): number => Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0);

export interface RawWebSocket {
  socket: Socket;
  /** Bytes received after the handshake. */
  received(): Buffer;
  /** Resolves when the server has closed the connection. */
  closed: Promise<void>;
}

/** Opens a WebSocket by hand (valid handshake with the token), to write arbitrary frames. */
export function rawWebSocket(port: number, token: string): Promise<RawWebSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let head = Buffer.alloc(0);
    let body: Buffer[] = [];
    let upgraded = false;
    const closed = new Promise<void>((r) => socket.on('close', () => r()));
    socket.on('error', () => undefined); // a reset after the server's close is expected
    socket.on('data', (d) => {
      if (upgraded) return void body.push(d);
      head = Buffer.concat([head, d]);
      const end = head.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!head.subarray(0, 12).toString().includes('101')) return reject(new Error(`handshake refused: ${head.toString().split('\r\n')[0]}`));
      upgraded = true;
      body = [head.subarray(end + 4)];
      resolve({ socket, received: () => Buffer.concat(body), closed });
    });
    socket.write(
      [
        `GET /engine?token=${token} HTTP/1.1`,
        `Host: 127.0.0.1:${port}`,
        `Origin: http://127.0.0.1:${port}`,
        'Upgrade: websocket',
        'Connection: Upgrade',
        `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
        'Sec-WebSocket-Version: 13',
        '',
        '',
      ].join('\r\n'),
    );
  });
}

export interface FrameOptions {
  opcode?: number;
  fin?: boolean;
  /** RSV1..3 bits (0-7). */
  rsv?: number;
  mask?: boolean;
  /** A length to declare instead of the payload's (the payload is not padded). */
  declaredLength?: number;
}

/** One WebSocket frame, as a client would send it (masked unless told otherwise). */
export function frame(payload: Buffer | string, o: FrameOptions = {}): Buffer {
  const data = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const length = o.declaredLength ?? data.length;
  const mask = o.mask ?? true;
  const head: number[] = [((o.fin ?? true) ? 0x80 : 0) | ((o.rsv ?? 0) << 4) | (o.opcode ?? 1)];
  const m = mask ? 0x80 : 0;
  if (length < 126) head.push(m | length);
  else if (length < 65536) head.push(m | 126, length >> 8, length & 255);
  else {
    head.push(m | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(...big);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), data]);
  const key = randomBytes(4);
  const masked = Buffer.from(data.map((b, i) => b ^ key[i % 4]));
  return Buffer.concat([Buffer.from(head), key, masked]);
}
