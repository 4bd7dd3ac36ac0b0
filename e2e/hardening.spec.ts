/// <reference types="node" />
/**
 * The UI when input is big or hostile and the engine dies: a multi-megabyte chat streamed in chunks,
 * limits refused before anything is sent, the autosave's "Saved" state, and an engine that crashed too
 * often restarted from the banner. Browser mode with small limits and no automatic restarts.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS } from '../src/shared/limits';
import { openStudio, ROOT, type Studio } from './harness';

let s: Studio;
const region = (name: string) => s.page.getByRole('region', { name, exact: true });
const limits = { ...DEFAULT_LIMITS, messageBytes: 128 * 1024, fileBytes: 12 * 2 ** 20, lineBytes: 256 * 1024 };

beforeAll(async () => {
  // maxCrashes 0: the first crash stops the engine, as the sixth in a minute would
  s = await openStudio({ serve: { limits, restart: { maxCrashes: 0 } } });
});
afterAll(async () => s?.close());
afterEach(() => {
  // refused input is reported in the UI, never as a console error
  expect(s.consoleErrors).toEqual([]);
});

describe('Finite Memory Studio with big input and a failing engine', () => {
  it('opens a 9 MB chat by streaming it in chunks, and shows when it is saved', async () => {
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 60_000 }).toMatch(/Demo/);
    const lines: string[] = [];
    for (let i = 0; i < 90; i++) lines.push(JSON.stringify({ role: i % 2 ? 'assistant' : 'user', content: `Part ${i}. ${'A long pasted paragraph that keeps going. '.repeat(2400)}` }));
    const file = path.join(s.dataDir, 'big-export.jsonl');
    writeFileSync(file, lines.join('\n'));
    await s.page.getByLabel('Open session').setInputFiles(file);
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 90_000 }).toMatch(/big-export · 90 messages/);
    await expect.poll(() => s.page.getByLabel('Autosave').innerText(), { timeout: 60_000 }).toBe('Saved · 90 messages');
    expect(await s.page.getByLabel('Opening file').count()).toBe(0); // the progress pill is gone
  });

  it('refuses a file over the engine limit and a message over its limit before sending, keeping the text', async () => {
    const file = path.join(s.dataDir, 'too-big.jsonl');
    writeFileSync(file, JSON.stringify({ role: 'user', content: 'x'.repeat(13 * 2 ** 20) }));
    await s.page.getByLabel('Open session').setInputFiles(file);
    await expect.poll(() => s.page.getByRole('alert').filter({ hasText: /too-big\.jsonl is too large \(13 MiB; the limit for one opened file is 12 MiB, set with --max-file-bytes\)/ }).count(), { timeout: 10_000 }).toBe(1);
    const box = region('Chat').getByRole('textbox');
    const long = 'word '.repeat(30_000);
    await box.fill(long);
    await box.press('Enter');
    await expect.poll(() => s.page.getByRole('alert').filter({ hasText: /Not sent: the message is too large .*--max-message-bytes/ }).count(), { timeout: 10_000 }).toBe(1);
    expect(await box.inputValue()).toBe(long);
    expect(await s.page.getByLabel('Session title').innerText()).toMatch(/90 messages/);
  });

  it('says when the engine stopped after crashing, and restarts it from the banner with the session restored', async () => {
    s.server.supervisor.current!.child.kill('SIGKILL');
    const banner = s.page.getByLabel('Engine stopped');
    await expect.poll(() => banner.innerText(), { timeout: 60_000 }).toMatch(/The engine stopped: the engine was killed \(SIGKILL\).*not restarted/);
    await s.page.getByLabel('Header').screenshot({ path: path.join(ROOT, 'docs/screenshots/engine-stopped.png') });
    await banner.getByRole('button', { name: 'Restart engine' }).click();
    await expect.poll(() => s.page.getByLabel('Engine connection').innerText(), { timeout: 60_000 }).toBe('Engine connected');
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 60_000 }).toMatch(/big-export · 90 messages/);
    expect(await banner.count()).toBe(0);
  });
});
