import { beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../engine/engine.js';
import type { Tokenizer } from '../engine/core/tokenizer.js';
import { syntheticChat } from '../engine/testing/syntheticChat.js';
import { testTokenizer } from '../engine/testing/testTokenizer.js';
import { SessionFiles } from './sessionFiles.js';

let tok: Tokenizer;
beforeAll(async () => {
  tok = await testTokenizer();
});

/** A clock that moves a minute on every reading. */
function minutes(): () => Date {
  let t = Date.parse('2026-11-30T10:00:00.000Z');
  return () => new Date((t += 60_000));
}
const metadata = (text: string) => (JSON.parse(text) as { metadata: { createdAt: string; savedAt: string } }).metadata;

describe('SessionFiles', () => {
  it('keeps savedAt while the session is unchanged (the same bytes), and stamps a save that changed it', () => {
    const files = new SessionFiles({ now: minutes() });
    const engine = createEngine({ tokenizer: tok });
    const chat = syntheticChat({ seed: 3, turns: 2 });
    engine.ingest(chat[0]);
    const first = files.snapshot(engine, 'kept').text;
    expect(files.snapshot(engine, 'kept').text).toBe(first);
    engine.ingest(chat[1]);
    const changed = files.snapshot(engine, 'kept').text;
    expect(metadata(changed).savedAt > metadata(first).savedAt).toBe(true);
    expect(metadata(changed).createdAt).toBe(metadata(first).createdAt);
    // the title is part of the session: a new title is a change
    expect(metadata(files.snapshot(engine, 'renamed').text).savedAt > metadata(changed).savedAt).toBe(true);
  });

  it('a session opened from a file saves to the same bytes until it changes; a new session starts new dates', () => {
    const engine = createEngine({ tokenizer: tok });
    for (const m of syntheticChat({ seed: 5, turns: 3 })) engine.ingest(m);
    const text = new SessionFiles({ now: minutes() }).snapshot(engine, 'opened').text;
    const files = new SessionFiles({ now: () => new Date('2030-01-01T00:00:00.000Z') });
    const opened = files.parseText(text, 'opened.json');
    files.opened(opened);
    expect(files.snapshot(engine, 'opened').text).toBe(text);
    expect(files.snapshot(engine, 'other title').text).toMatch(/"savedAt": "2030-01-01T00:00:00.000Z"/);
    files.opened(undefined);
    expect(metadata(files.snapshot(engine, 'opened').text)).toEqual({ title: 'opened', app: expect.any(String), createdAt: '2030-01-01T00:00:00.000Z', savedAt: '2030-01-01T00:00:00.000Z' });
  });

  it("counts a session's conversation messages, not the rolling summaries the engine made", () => {
    const engine = createEngine({ tokenizer: tok, policy: 'rolling_summary', maxTokens: 300, window: 48, summaryInterval: 96, maxPolicyMs: 0 });
    const chat = syntheticChat({ seed: 12, turns: 14 });
    for (const m of chat) engine.ingest(m);
    const { session, messages } = new SessionFiles().snapshot(engine, 'summaries');
    expect(session.messages.filter((m) => m.summary).length).toBeGreaterThan(0);
    expect(messages).toBe(chat.length);
  });
});
