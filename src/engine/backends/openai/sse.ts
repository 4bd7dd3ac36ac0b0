/** One server-sent event: its type ('message' unless an `event:` field set it) and its data lines joined by "\n". */
export interface SseEvent {
  event: string;
  data: string;
}

/**
 * An incremental text/event-stream parser (WHATWG HTML "server-sent events" rules): feed it bytes as
 * they arrive, in chunks cut anywhere (inside a line, a CRLF pair or a UTF-8 character), and it returns
 * each event once its terminating blank line has arrived. Lines end with LF, CR or CRLF; lines starting
 * with ":" are comments; "data:" with or without one following space; several data lines make one event.
 */
export class SseParser {
  #decoder = new TextDecoder('utf-8');
  #buffer = '';
  #data: string[] = [];
  #event = '';

  /** Events completed by this chunk, in order. */
  push(chunk: Uint8Array | string): SseEvent[] {
    this.#buffer += typeof chunk === 'string' ? chunk : this.#decoder.decode(chunk, { stream: true });
    return this.#drain(false);
  }

  /**
   * Call once when the stream has ended. Returns the events still pending, including a last event whose
   * blank line never came (the spec drops it; servers that omit the final blank line are common enough
   * that we keep it).
   */
  end(): SseEvent[] {
    this.#buffer += this.#decoder.decode();
    const out = this.#drain(true);
    if (this.#buffer !== '') this.#line(this.#buffer, out);
    this.#buffer = '';
    this.#dispatch(out);
    return out;
  }

  #drain(final: boolean): SseEvent[] {
    const out: SseEvent[] = [];
    let start = 0;
    const buf = this.#buffer;
    for (let i = 0; i < buf.length; i++) {
      const c = buf.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      // A CR at the very end may be the first half of a CRLF split across chunks: wait for the next chunk.
      if (c === 13 && i === buf.length - 1 && !final) break;
      this.#line(buf.slice(start, i), out);
      if (c === 13 && buf.charCodeAt(i + 1) === 10) i++;
      start = i + 1;
    }
    this.#buffer = buf.slice(start);
    return out;
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
    if (field === 'data') this.#data.push(value);
    else if (field === 'event') this.#event = value;
    // "id" and "retry" matter only to EventSource reconnection, which a POST stream never does.
  }

  #dispatch(out: SseEvent[]): void {
    if (this.#data.length > 0) out.push({ event: this.#event || 'message', data: this.#data.join('\n') });
    this.#data = [];
    this.#event = '';
  }
}
