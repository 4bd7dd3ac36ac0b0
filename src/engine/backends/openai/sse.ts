import { BackendError } from '../../backend.js';

/** One server-sent event: its type ('message' unless an `event:` field set it) and its data lines joined by "\n". */
export interface SseEvent {
  event: string;
  data: string;
}

export interface SseParserOptions {
  /**
   * Longest line accepted, counted in UTF-16 code units of the decoded text (characters; the same as
   * bytes for ASCII, which JSON event data nearly always is, and never more than the line's UTF-8 bytes).
   * Default 16 MiB.
   */
  maxLineBytes?: number;
  /** Longest data of one event (its data lines joined by "\n"), counted like maxLineBytes. Default 16 MiB. */
  maxEventBytes?: number;
}

export const DEFAULT_MAX_LINE_BYTES = 16 * 2 ** 20;

/**
 * An incremental text/event-stream parser (WHATWG HTML "server-sent events" rules): feed it bytes as
 * they arrive, in chunks cut anywhere (inside a line, a CRLF pair or a UTF-8 character), and it returns
 * each event once its terminating blank line has arrived. Lines end with LF, CR or CRLF; lines starting
 * with ":" are comments; "data:" with or without one following space; several data lines make one event.
 * Each chunk is scanned once: the pieces of an unfinished line are kept and joined when its end arrives.
 * push() and end() throw a BackendError 'bad-stream' (message naming no server) past the size limits.
 */
export class SseParser {
  readonly #maxLine: number;
  readonly #maxEvent: number;
  #decoder = new TextDecoder('utf-8');
  /** The unfinished line: its pieces and their total length. */
  #pending: string[] = [];
  #pendingLength = 0;
  /** The last line ended with CR: an LF starting the next chunk is the rest of a CRLF, not a blank line. */
  #afterCr = false;
  #data: string[] = [];
  #dataLength = 0;
  #event = '';

  constructor(options: SseParserOptions = {}) {
    this.#maxLine = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.#maxEvent = options.maxEventBytes ?? DEFAULT_MAX_LINE_BYTES;
  }

  /** Events completed by this chunk, in order. */
  push(chunk: Uint8Array | string): SseEvent[] {
    const out: SseEvent[] = [];
    this.#scan(typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true }), out);
    return out;
  }

  /**
   * Call once when the stream has ended. Returns the events still pending, including a last event whose
   * blank line never came (the spec drops it; servers that omit the final blank line are common enough
   * that we keep it).
   */
  end(): SseEvent[] {
    const out: SseEvent[] = [];
    this.#scan(this.#decoder.decode(), out);
    if (this.#pendingLength > 0) this.#line(this.#takeLine('', 0, 0), out);
    this.#afterCr = false;
    this.#dispatch(out);
    return out;
  }

  #scan(text: string, out: SseEvent[]): void {
    let start = 0;
    if (this.#afterCr && text !== '') {
      this.#afterCr = false;
      if (text.charCodeAt(0) === 10) start = 1;
    }
    // indexOf runs natively and far faster than a charCodeAt loop; CR is rare, so look for each separately.
    let lf = text.indexOf('\n', start);
    let cr = text.indexOf('\r', start);
    while (lf >= 0 || cr >= 0) {
      const isCr = cr >= 0 && (lf < 0 || cr < lf);
      const end = isCr ? cr : lf;
      this.#line(this.#takeLine(text, start, end), out);
      start = end + 1;
      if (isCr) {
        if (start === text.length) this.#afterCr = true;
        else if (text.charCodeAt(start) === 10) start++;
        cr = text.indexOf('\r', start);
      }
      if (lf >= 0 && lf < start) lf = text.indexOf('\n', start); // -1 stays: no LF in the rest
    }
    if (start < text.length) {
      this.#pendingLength = this.#checkLine(this.#pendingLength + text.length - start);
      this.#pending.push(start === 0 ? text : text.slice(start));
    }
  }

  /** The line ending at text[end]: the pending pieces and text[start, end). */
  #takeLine(text: string, start: number, end: number): string {
    this.#checkLine(this.#pendingLength + end - start);
    if (this.#pendingLength === 0) return text.slice(start, end);
    if (end > start) this.#pending.push(text.slice(start, end));
    const line = this.#pending.join('');
    this.#pending = [];
    this.#pendingLength = 0;
    return line;
  }

  #checkLine(length: number): number {
    if (length > this.#maxLine) throw new BackendError('bad-stream', `a stream line exceeded ${size(this.#maxLine)} without a line break`);
    return length;
  }

  #line(line: string, out: SseEvent[]): void {
    if (line === '') {
      this.#dispatch(out);
      return;
    }
    if (line.charCodeAt(0) === 58) return; // ":" comment (keep-alives)
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') {
      this.#dataLength += value.length + (this.#data.length > 0 ? 1 : 0);
      if (this.#dataLength > this.#maxEvent) {
        throw new BackendError('bad-stream', `a stream event's data exceeded ${size(this.#maxEvent)} without a blank line to end it`);
      }
      this.#data.push(value);
    } else if (field === 'event') this.#event = value;
    // "id" and "retry" matter only to EventSource reconnection, which a POST stream never does.
  }

  #dispatch(out: SseEvent[]): void {
    if (this.#data.length > 0) out.push({ event: this.#event || 'message', data: this.#data.length === 1 ? this.#data[0] : this.#data.join('\n') });
    this.#data = [];
    this.#dataLength = 0;
    this.#event = '';
  }
}

/** "16 MiB", "64 KiB" or "1000 characters". */
function size(n: number): string {
  if (n >= 2 ** 20 && n % 2 ** 20 === 0) return `${n / 2 ** 20} MiB`;
  if (n >= 1024 && n % 1024 === 0) return `${n / 1024} KiB`;
  return `${n} characters`;
}
