import type { RawData, WebSocket } from 'ws';
import type { ClientCommand, HostEvent, Notice } from '../shared/protocol.js';
import { checkCommandText } from '../shared/commandCheck.js';
import type { Limits } from '../shared/limits.js';
import { encodeWire } from '../shared/wire.js';

/** Error notices per second at most; the rest are counted and reported in one notice. */
const NOTICES_PER_SECOND = 10;
/** Notices are skipped (and counted) while this much is waiting to be sent to a client that does not read. */
const MAX_BUFFERED_NOTICES = 1 << 20;

export interface ConnectionOptions {
  limits: Limits;
  /** A checked command, with its size in bytes. */
  onCommand: (command: ClientCommand, bytes: number) => void;
  onClose: () => void;
  log: (line: string) => void;
  now?: () => number;
}

type ErrorEvent = Extract<HostEvent, { type: 'error' }>;

/**
 * One browser client on browser mode's WebSocket: every frame is checked before anything acts on it
 * (text only, size, nesting, JSON, schema, message sizes); a refused frame gets an error notice,
 * rate-limited so a flood costs a counter; socket errors (malformed frames, bad UTF-8, oversized
 * lengths) close this connection and nothing else.
 */
export class ClientConnection {
  readonly ws: WebSocket;
  readonly #o: ConnectionOptions;
  #windowStart = 0;
  #sentInWindow = 0;
  #suppressed: ErrorEvent | undefined;
  #suppressedCount = 0;
  #flushTimer: ReturnType<typeof setTimeout> | undefined;
  #paused = false;

  constructor(ws: WebSocket, options: ConnectionOptions) {
    this.ws = ws;
    this.#o = options;
    ws.on('message', (data, isBinary) => this.#receive(data, isBinary));
    ws.on('error', (err) => {
      options.log(`closed a client connection: ${err.message}`);
      ws.terminate();
    });
    ws.on('close', () => {
      clearTimeout(this.#flushTimer);
      options.onClose();
    });
  }

  get open(): boolean {
    return this.ws.readyState === this.ws.OPEN;
  }

  /** Stops reading the socket (the engine is behind) or reads again. */
  setPaused(paused: boolean): void {
    if (paused === this.#paused) return;
    this.#paused = paused;
    if (paused) this.ws.pause();
    else this.ws.resume();
  }

  get paused(): boolean {
    return this.#paused;
  }

  /** A JSON text frame (a notice) or a binary frame (a batch). */
  send(data: string | Uint8Array): void {
    if (this.open) this.ws.send(data);
  }

  /** Events from the server itself (not the engine): unsequenced, not acked. Errors are rate-limited. */
  notice(event: HostEvent): void {
    if (event.type === 'error' && !this.#allowError()) {
      this.#suppressed = event;
      this.#suppressedCount++;
      // once the flood stops, one notice says how many were refused
      this.#flushTimer ??= setTimeout(() => {
        this.#flushTimer = undefined;
        this.#flushSuppressed();
      }, 1000);
      return;
    }
    this.#flushSuppressed();
    this.#sendNotice([event]);
  }

  close(code: number, reason: string): void {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) this.ws.close(code, reason);
  }

  #receive(data: RawData, isBinary: boolean): void {
    const buffer = Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
    if (isBinary) {
      this.notice({ type: 'error', code: 'bad-command', message: 'commands are JSON text frames; a binary frame was refused' });
      return;
    }
    const bytes = buffer.length;
    const text = buffer.toString('utf8'); // ws has checked the frame is valid UTF-8
    const checked = checkCommandText(text, bytes, this.#o.limits);
    if (!checked.ok) return this.notice({ type: 'error', ...checked.error });
    this.#o.onCommand(checked.command, bytes);
  }

  #allowError(): boolean {
    const now = (this.#o.now ?? Date.now)();
    if (now - this.#windowStart >= 1000) {
      this.#windowStart = now;
      this.#sentInWindow = 0;
    }
    if (this.#sentInWindow >= NOTICES_PER_SECOND || this.ws.bufferedAmount > MAX_BUFFERED_NOTICES) return false;
    this.#sentInWindow++;
    return true;
  }

  /** Reports the errors that were counted instead of sent, as one error with `repeated`. */
  #flushSuppressed(): void {
    if (!this.#suppressed) return;
    const event: ErrorEvent = { ...this.#suppressed, repeated: this.#suppressedCount };
    this.#suppressed = undefined;
    this.#suppressedCount = 0;
    this.#sendNotice([event]);
  }

  #sendNotice(events: HostEvent[]): void {
    const notice: Notice = { type: 'notice', events };
    this.send(encodeWire(notice));
  }
}
