import { describe, expect, it } from 'vitest';
import { BackendError } from '../../backend.js';
import { SseParser, type SseEvent, type SseParserOptions } from './sse.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Feeds `bytes` cut at the given offsets and collects every event, including those end() flushes. */
function parseCut(bytes: Uint8Array, cuts: number[], options?: SseParserOptions): SseEvent[] {
  const p = new SseParser(options);
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

describe('SseParser on long lines', () => {
  const MiB = 2 ** 20;

  it('parses a 20 MB line delivered in 64 KiB chunks into its one event', () => {
    const content = 'abcdefghij'.repeat(2_000_000);
    const bytes = utf8(`data: {"c":"${content}"}\n\n`);
    const events = parseCut(bytes, Array.from({ length: Math.floor(bytes.length / 65536) }, (_, k) => (k + 1) * 65536), { maxLineBytes: 32 * MiB, maxEventBytes: 32 * MiB });
    expect(events).toHaveLength(1);
    expect(events[0].event).toBe('message');
    expect(events[0].data.length).toBe(content.length + 8);
    expect(events[0].data === `{"c":"${content}"}`).toBe(true); // not toEqual: a failing diff of 20 MB strings
  });

  it('throws bad-stream once a line passes the default 16 MiB without a line break', () => {
    const p = new SseParser();
    const chunk = utf8('x'.repeat(65536));
    expect(p.push('data: ')).toEqual([]);
    let pushed = 6;
    while (pushed + chunk.length <= 16 * MiB) {
      expect(p.push(chunk)).toEqual([]);
      pushed += chunk.length;
    }
    expect(() => p.push(chunk)).toThrow(new BackendError('bad-stream', 'a stream line exceeded 16 MiB without a line break'));
  });

  it('accepts a line at maxLineBytes and rejects one past it, in one chunk or many, however it ends', () => {
    const line = 'data: ' + 'y'.repeat(1018); // 1024 characters
    for (const end of ['\n', '\r', '\r\n']) {
      expect(parseCut(utf8(`${line}${end}${end}`), [], { maxLineBytes: 1024 })).toEqual([{ event: 'message', data: 'y'.repeat(1018) }]);
      expect(parseCut(utf8(`${line}${end}${end}`), [500, 1000, 1023, 1024], { maxLineBytes: 1024 })).toHaveLength(1);
      expect(() => parseCut(utf8(`${line}y${end}${end}`), [], { maxLineBytes: 1024 })).toThrow(/exceeded 1 KiB without a line break/);
      expect(() => parseCut(utf8(`${line}y${end}${end}`), [700], { maxLineBytes: 1024 })).toThrow(/exceeded 1 KiB without a line break/);
    }
    expect(() => parseCut(utf8(line + 'y'), [], { maxLineBytes: 1024 })).toThrow(BackendError); // at end() too
  });

  it('throws bad-stream when one event gathers more data lines than maxEventBytes', () => {
    const p = new SseParser({ maxEventBytes: 1000 });
    expect(p.push('data: 123456789\n'.repeat(100))).toEqual([]); // 100 * 9 + 99 newlines = 999
    expect(() => p.push('data: 123456789\n')).toThrow(new BackendError('bad-stream', "a stream event's data exceeded 1000 characters without a blank line to end it"));
    const q = new SseParser({ maxEventBytes: 1000 });
    expect(q.push('data: 123456789\n'.repeat(100) + '\n' + 'data: 123456789\n'.repeat(100) + '\n')).toHaveLength(2);
  });
});
