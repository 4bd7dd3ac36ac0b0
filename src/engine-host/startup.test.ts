import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostEvent } from '../shared/protocol.js';
import { syntheticChat } from '../engine/testing/syntheticChat.js';
import { testTokenizer } from '../engine/testing/testTokenizer.js';
import { createContext } from './context.js';
import { CommandError } from './errors.js';
import { restoreAtStart } from './startup.js';
import { hostPair } from './testing/harness.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-startup-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const chat = syntheticChat({ seed: 7, turns: 4 });
/** A saved session of five messages, as the host writes it. */
let savedText: string;

beforeAll(async () => {
  const h = await hostPair();
  h.client.hello();
  h.client.send({ type: 'appendMessages', messages: chat.slice(0, 5) });
  h.client.send({ type: 'saveSession' });
  savedText = (await h.waitFor('sessionSaved')).text!;
  await h.close();
});

/** A new folder holding only an autosave with this text; returns the autosave's path. */
function autosaveWith(name: string, text: string): string {
  const file = path.join(dir, name, 'autosave.json');
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}
const setAside = (file: string) => readdirSync(path.dirname(file)).filter((f) => f.startsWith('autosave.unrestored-'));

describe('restoring the autosave at startup', () => {
  it('an autosave whose settings do not validate is reported and kept aside byte for byte; the host starts fresh and goes on', async () => {
    const bad = JSON.parse(savedText) as { config: { window: number; maxTokens: number } };
    bad.config.window = bad.config.maxTokens; // window must be smaller than max tokens
    const badText = JSON.stringify(bad, undefined, 2);
    const autosavePath = autosaveWith('bad-settings', badText);
    const h = await hostPair({ autosavePath, restartReason: 'the engine crashed (exit code 1)' });
    h.client.hello();
    const error = await h.waitFor('error', (e) => e.code === 'bad-session');
    expect(error.message).toMatch(/^the autosave could not be restored: .*window \(\d+\) must be smaller than max tokens.*a new session was started, and the file was kept as .*autosave\.unrestored-.*\.json$/);
    expect((await h.waitFor('hostRestarted')).restoredMessages).toBe(0);
    const ack = await h.waitFor('helloAck');
    expect(ack.snapshot.messages).toEqual([]);
    expect(ack.session.title).toBe('Untitled session');
    const [aside] = setAside(autosavePath);
    expect(readFileSync(path.join(path.dirname(autosavePath), aside), 'utf8')).toBe(badText);
    // the fresh session autosaves beside it; the kept file is never overwritten
    h.client.send({ type: 'appendMessages', messages: chat.slice(0, 2) });
    await h.waitFor('autosaved', (e) => e.messages === 2);
    expect(setAside(autosavePath)).toEqual([aside]);
    expect(readFileSync(path.join(path.dirname(autosavePath), aside), 'utf8')).toBe(badText);
    expect(JSON.parse(readFileSync(autosavePath, 'utf8')).messages).toHaveLength(2);
    await h.close();
  });

  it('settings refused after the file was read (the seam: merged() throws) never take startup down', async () => {
    const autosavePath = autosaveWith('merged-throws', savedText);
    const events: HostEvent[] = [];
    const transport = { send: () => undefined, onMessage: () => undefined };
    const ctx = { ...createContext({ transport, tokenizer: await testTokenizer(), autosavePath }), emit: (e: HostEvent) => void events.push(e) };
    ctx.state.merged = () => {
      throw new CommandError('bad-config', 'a rule the session schema does not know');
    };
    await expect(restoreAtStart(ctx, { autosavePath, restartReason: 'the engine was killed (SIGKILL)' })).resolves.toBeUndefined();
    expect(events.filter((e) => e.type === 'error')).toEqual([
      expect.objectContaining({ code: 'bad-session', message: expect.stringMatching(/could not be restored: a rule the session schema does not know; a new session was started/) }),
    ]);
    expect(events.at(-1)).toEqual({ type: 'hostRestarted', reason: 'the engine was killed (SIGKILL)', restoredMessages: 0 });
    expect(ctx.state.engine.messages()).toEqual([]);
    expect(ctx.state.title).toBe('Untitled session');
    expect(readFileSync(path.join(path.dirname(autosavePath), setAside(autosavePath)[0]), 'utf8')).toBe(savedText);
  });

  it('no autosave yet is not a problem: nothing is reported and nothing renamed', async () => {
    const autosavePath = path.join(dir, 'none', 'autosave.json');
    const h = await hostPair({ autosavePath, restartReason: 'the engine crashed (exit code 1)' });
    h.client.hello();
    expect((await h.waitFor('hostRestarted')).restoredMessages).toBe(0);
    await h.waitFor('helloAck');
    expect(h.of('error')).toEqual([]);
    await h.close();
  });
});
