/// <reference types="node" />
/**
 * Chat imports in the app (browser mode): a ChatGPT data export dropped on the window opens its first
 * conversation (the branch its current node shows), the Sessions view names the format and offers the
 * others, and picking one opens it from the same file; the views show the engine's numbers for it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { region, ROOT, useStudio } from './harness';

const studio = useStudio();
const EXPORT = readFileSync(path.join(ROOT, 'src/engine/formats/imports/fixtures/chatgpt-conversations.json'), 'utf8');

/** Drops a file with this text on the app's window, as the OS would. */
async function drop(page: Page, name: string, text: string): Promise<void> {
  const transfer = await page.evaluateHandle(([n, t]) => {
    const d = new DataTransfer();
    d.items.add(new File([t], n, { type: 'application/json' }));
    return d;
  }, [name, text] as const);
  await page.locator('.app').dispatchEvent('dragover', { dataTransfer: transfer });
  await page.locator('.app').dispatchEvent('drop', { dataTransfer: transfer });
}


describe('chat imports', () => {
  it('opens a dropped ChatGPT export: the current branch of its first conversation, and names the format', async () => {
    const s = studio();
    // the first run opens the bundled demo: wait for it, so the drop replaces a real session
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toMatch(/Demo/);
    await drop(s.page, 'conversations.json', EXPORT);
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toMatch(/Lisbon trip plan · 4 messages/);
    const chat = region(s.page, 'Chat');
    await expect.poll(() => chat.textContent()).toContain('Try Time Out Market for lunch.');
    // the edited-away branch is not part of the conversation
    expect(await chat.textContent()).not.toContain('Sintra');
    const picker = region(s.page, 'Sessions').getByLabel('Imported conversations');
    expect(await picker.innerText()).toMatch(/of 3 in this ChatGPT data export/);
    expect(await picker.getByLabel('Conversation').inputValue()).toBe('1');
    expect(await picker.getByRole('option').allInnerTexts()).toEqual(['1. Lisbon trip plan (4 messages)', '2. Sales chart (4 messages)', '3. Haiku (2 messages)']);
    await region(s.page, 'Sessions').screenshot({ path: path.join(ROOT, 'docs/screenshots/import.png') });
  });

  it('opens another conversation of the same file from the picker, with the engine\'s numbers for it', async () => {
    const s = studio();
    const picker = region(s.page, 'Sessions').getByLabel('Imported conversations');
    await picker.getByLabel('Conversation').selectOption('2');
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toMatch(/Sales chart · 4 messages/);
    const chat = region(s.page, 'Chat');
    await expect.poll(() => chat.textContent()).toContain('Here is the chart: Q2 is 50% above Q1.');
    expect(await chat.textContent()).not.toContain('Time Out Market');
    expect(await picker.getByLabel('Conversation').inputValue()).toBe('2');
    // a reload shows the same session, and says the file must be opened again to pick another
    await s.page.reload();
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toMatch(/Sales chart · 4 messages/);
    const after = region(s.page, 'Sessions').getByLabel('Imported conversations');
    expect(await after.innerText()).toMatch(/open the file again to pick another/);
    expect(await after.getByLabel('Conversation').isDisabled()).toBe(true);
  });

  it('downloads the imported session and opens the download again by dropping it: a saved session', async () => {
    const s = studio();
    const download = s.page.waitForEvent('download');
    await region(s.page, 'Sessions').getByRole('button', { name: 'Download session' }).click();
    const saved = readFileSync(await (await download).path(), 'utf8');
    expect(JSON.parse(saved)).toMatchObject({ format: expect.any(String), metadata: { title: 'Sales chart' } });
    await s.page.getByRole('button', { name: 'New' }).click();
    await expect.poll(() => s.page.getByLabel('Session title').innerText()).toMatch(/Untitled session/);
    await drop(s.page, 'Sales chart.json', saved);
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toMatch(/Sales chart · 4 messages/);
    // a saved session is ours, not an import: no picker
    expect(await region(s.page, 'Sessions').getByLabel('Imported conversations').count()).toBe(0);
  });

  it('says in one line what it tried for a file it cannot read, and keeps the session', async () => {
    const s = studio();
    await drop(s.page, 'mystery.json', JSON.stringify({ hello: [1, 2] }, null, 2));
    const alert = s.page.getByRole('alert').filter({ hasText: 'mystery.json' });
    await expect.poll(() => alert.first().innerText(), { timeout: 30_000 }).toMatch(/tried OpenAI Chat Completions request.*ShareGPT/);
    expect(await s.page.getByLabel('Session title').innerText()).toMatch(/Sales chart · 4 messages/);
    // the error is the engine's, not a page error
    s.consoleErrors.length = 0;
  });
});
