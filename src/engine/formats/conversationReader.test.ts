import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, TooLargeError } from '../../shared/limits.js';
import { createEngine } from '../engine.js';
import { syntheticChat } from '../testing/syntheticChat.js';
import { testTokenizer } from '../testing/testTokenizer.js';
import { z } from 'zod';
import { ROLES } from '../../shared/roles.js';
import { ConversationReader, isDocumentHead, lineProblem } from './conversationReader.js';
import { serializeSession } from './sessionCodec.js';
import { parseSessionText } from './sessionText.js';
import { engineToSession } from './sessionState.js';

const jsonl = (n: number) => Array.from({ length: n }, (_, i) => JSON.stringify({ role: i % 2 ? 'assistant' : 'user', content: `message ${i} — ünïcode ✓ "quoted"` })).join('\n');

function read(chunks: string[], limits = DEFAULT_LIMITS) {
  const r = new ConversationReader('chat.jsonl', limits);
  for (const c of chunks) r.push(c);
  return r.end({ session: parseSessionText });
}

/** Cuts text at the given fractions (anywhere: inside lines, escapes, multi-unit characters). */
const cut = (text: string, points: number[]) => {
  const at = [...new Set(points.map((p) => Math.floor(p * text.length)))].sort((a, b) => a - b);
  return [0, ...at].map((p, i, all) => text.slice(p, all[i + 1] ?? text.length));
};

describe('ConversationReader', () => {
  it('parses JSONL the same however the text is cut into chunks', () => {
    const text = `${jsonl(40)}\n`;
    const whole = read([text]);
    expect(whole.messages).toHaveLength(40);
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 30 }), (points) => {
      expect(read(cut(text, points))).toEqual(whole);
    }));
  });

  it("reads a saved session's conversation: its messages as written (pins kept), without the engine's rolling summaries", async () => {
    const engine = createEngine({ tokenizer: await testTokenizer(), policy: 'rolling_summary', maxTokens: 300, window: 48, summaryInterval: 96 });
    engine.ingest({ role: 'user', content: 'Pin this: the code is 4417.', pinned: true });
    for (const m of syntheticChat({ seed: 12, turns: 14 })) engine.ingest(m);
    const at = '2026-11-30T10:00:00.000Z';
    const saved = read([serializeSession(engineToSession(engine, { title: 't', app: 'a', createdAt: at, savedAt: at }))]);
    expect(saved.kind === 'session' && saved.session.messages.some((m) => m.summary)).toBe(true);
    // pins the pinSystem setting gives are left to it
    expect(saved.messages).toEqual(engine.conversation().map(({ pinned, ...m }) => (pinned === (m.role === 'system') ? m : { ...m, pinned })));
    expect(saved.messages[0]).toEqual({ role: 'user', content: 'Pin this: the code is 4417.', pinned: true });
  });

  it('recognises a saved session however it is cut, and parses it at the end', () => {
    const session = '{\n  "format": "finite-memory-studio/session"\n}';
    expect(() => read(cut(session, [0.01, 0.3]))).toThrow(/chat\.jsonl: /); // a session (not JSONL), invalid as a session
    expect(() => read(['{"role":"user"'])).toThrow(/chat\.jsonl:1: not valid JSON/);
  });

  it("checks a line as zod's schema for it would, with zod's own first message", () => {
    const LineSchema = z.object({ role: z.enum(ROLES), content: z.string() });
    const zodProblem = (v: unknown) => {
      const r = LineSchema.safeParse(v);
      return r.success ? undefined : `${r.error.issues[0].path.join('.') || 'message'}: ${r.error.issues[0].message}`;
    };
    const field = fc.oneof(fc.constantFrom(...ROLES), fc.string(), fc.jsonValue(), fc.constant(undefined));
    const line = fc.oneof(fc.jsonValue(), fc.record({ role: field, content: field, extra: fc.jsonValue() }, { requiredKeys: [] }));
    fc.assert(
      fc.property(line, (v) => {
        expect(lineProblem(v)).toBe(zodProblem(v));
      }),
      { numRuns: 2000 },
    );
  });

  it('names the line of a bad message, and skips blank lines', () => {
    expect(read(['\n\n{"role":"user","content":"a"}\r\n\n']).messages).toEqual([{ role: 'user', content: 'a' }]);
    expect(() => read(['{"role":"user","content":"a"}\n{"role":"wizard","content":"b"}\n'])).toThrow(/chat\.jsonl:2: role: /);
    expect(() => read(['\n  \n'])).toThrow(/chat\.jsonl: no messages/);
  });

  it('refuses a line, a message or a file over its limit, naming the limit and its flag', () => {
    const limits = { ...DEFAULT_LIMITS, lineBytes: 100, messageBytes: 60, fileBytes: 1000 };
    const big = JSON.stringify({ role: 'user', content: 'x'.repeat(70) });
    expect(() => read([`${big}\n`], limits)).toThrow(TooLargeError);
    expect(() => read([`${big}\n`], limits)).toThrow(/chat\.jsonl:1: the message is too large \(\d+ bytes; the limit for one chat message is 60 bytes, set with --max-message-bytes\)/);
    // a line that never ends is refused as soon as it passes the limit, before the rest arrives
    const r = new ConversationReader('chat.jsonl', limits);
    r.push('{"role":"user","content":"');
    expect(() => r.push('y'.repeat(200))).toThrow(/the line is too large .* --max-line-bytes/);
    expect(() => read(Array.from({ length: 40 }, () => '{"role":"user","content":"z"}\n'), limits)).toThrow(/--max-file-bytes/);
  });

  it('counts bytes as UTF-8, not characters', () => {
    const limits = { ...DEFAULT_LIMITS, messageBytes: 10 };
    expect(read([JSON.stringify({ role: 'user', content: 'ééééé' })], limits).messages).toHaveLength(1); // 10 bytes
    expect(() => read([JSON.stringify({ role: 'user', content: 'éééééé' })], limits)).toThrow(/12 bytes/);
    expect(() => read([JSON.stringify({ role: 'user', content: '😀😀😀' })], limits)).toThrow(/12 bytes/);
  });

  it('tells JSONL of messages from one JSON document (a session, another tool\'s chat) by the head, however it is cut', () => {
    for (const head of ['{"role":"user","content":"a"}\n', '  {"content":"a","role":"user"}', '{"id": 3, "role": "user", "content": "a"}\n{"role"', '{"role":"user"', 'not json', ''])
      expect(isDocumentHead(head), head).toBe(false);
    for (const head of ['[{"title":"x"', '{\n  "model": "gpt-4o",', '{"model": "gpt-4o",\n', '{"messages":[{"role":"user","content":"a"}]}\n', '{"conversations":[', '{\n  "format": "finite-memory-studio.session"'])
      expect(isDocumentHead(head), head).toBe(true);
    // a document goes to the import parser whole, however the text was cut
    const doc = JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }, null, 2);
    const seen: string[] = [];
    const imported = (chunks: string[]) => {
      const r = new ConversationReader('req.json');
      for (const c of chunks) r.push(c);
      return r.end({ import: (text, name) => (seen.push(text), { messages: [{ role: 'user', content: `${name}: ${text.length}` }], imported: { format: 'x', formatName: 'X', chosen: 1, title: '', conversations: [] } }) });
    };
    fc.assert(fc.property(fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 10 }), (points) => {
      expect(imported(cut(doc, points))).toMatchObject({ kind: 'import', messages: [{ role: 'user', content: `req.json: ${doc.length}` }] });
    }));
    expect(seen.every((t) => t === doc)).toBe(true);
    // a session is still a session
    expect(() => read(['{\n  "format": "finite-memory-studio.session",\n  "version": 99\n}'])).toThrow(/chat\.jsonl: /);
  });
});
