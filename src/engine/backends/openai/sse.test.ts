import { describe, expect, it } from 'vitest';
import { SseParser, type SseEvent } from './sse.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Feeds `bytes` cut at the given offsets and collects every event, including those end() flushes. */
function parseCut(bytes: Uint8Array, cuts: number[]): SseEvent[] {
  const p = new SseParser();
  const out: SseEvent[] = [];
  let start = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...p.push(bytes.subarray(start, cut)));
    start = cut;
  }
  out.push(...p.end());
  return out;
}

describe('SseParser', () => {
  it('parses data lines with and without the space, skips comments, keeps event names', () => {
    const p = new SseParser();
    const events = p.push(': ping\n\ndata: one\n\ndata:two\n\nevent: error\ndata:  three\n\n');
    expect(events).toEqual([
      { event: 'message', data: 'one' },
      { event: 'message', data: 'two' },
      { event: 'error', data: ' three' },
    ]);
  });

  it('joins several data lines of one event with newlines', () => {
    expect(new SseParser().push('data: {"a":\ndata: 1}\n\n')).toEqual([{ event: 'message', data: '{"a":\n1}' }]);
  });

  it('accepts CRLF and lone CR line endings', () => {
    expect(new SseParser().push('data: a\r\n\r\ndata: b\r\rdata: c\n\n').map((e) => e.data)).toEqual(['a', 'b', 'c']);
  });

  it('holds an event back until its blank line arrives', () => {
    const p = new SseParser();
    expect(p.push('data: par')).toEqual([]);
    expect(p.push('tial\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ event: 'message', data: 'partial' }]);
  });

  it('does not treat a CRLF split across chunks as two line ends', () => {
    const p = new SseParser();
    expect(p.push('data: x\r')).toEqual([]);
    // Were "\r" and "\n" taken as two lines, the empty second line would dispatch here.
    expect(p.push('\ndata: y\r')).toEqual([]);
    expect(p.push('\n\r\n')).toEqual([{ event: 'message', data: 'x\ny' }]);
  });

  it('ignores blank lines with no data and fields it does not know', () => {
    expect(new SseParser().push('\n\nid: 7\nretry: 10\n\nfoo\ndata: z\n\n')).toEqual([{ event: 'message', data: 'z' }]);
  });

  it('flushes an unterminated last event at end()', () => {
    const p = new SseParser();
    expect(p.push('data: a\n\ndata: [DONE]')).toEqual([{ event: 'message', data: 'a' }]);
    expect(p.end()).toEqual([{ event: 'message', data: '[DONE]' }]);
  });

  it('gives the same events for every single cut and many double cuts of a stream, UTF-8 included', () => {
    const text = ': hi\r\ndata: {"c":"héllo 世界 🙂"}\r\n\r\ndata:x\ndata: y\n\nevent: e\rdata: z\r\r';
    const bytes = utf8(text);
    const expected = parseCut(bytes, []);
    expect(expected).toEqual([
      { event: 'message', data: '{"c":"héllo 世界 🙂"}' },
      { event: 'message', data: 'x\ny' },
      { event: 'e', data: 'z' },
    ]);
    for (let i = 0; i <= bytes.length; i++) {
      expect(parseCut(bytes, [i]), `cut at ${i}`).toEqual(expected);
      for (let j = i; j <= bytes.length; j += 3) expect(parseCut(bytes, [i, j]), `cuts at ${i},${j}`).toEqual(expected);
    }
    expect(parseCut(bytes, Array.from({ length: bytes.length }, (_, k) => k))).toEqual(expected);
  });
});
