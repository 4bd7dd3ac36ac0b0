/// <reference types="node" />
/**
 * The Facts view against the real engine (browser mode): a chat that states a fact and later updates
 * it shows the latest value with the old one in its history; the source links jump the chat; Pin and
 * Forget go to the engine and come back in its ledger; a reload shows the same ledger (the snapshot).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, ROOT, type Studio } from './harness';

let s: Studio;
const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });
const factsOf = (page: Page) => region(page, 'Facts');
/** The row of the fact whose accessible name ("holder: label = value") matches. */
const factRow = (page: Page, name: RegExp) => factsOf(page).getByRole('row', { name });
/** Every row of the ledger as text, and the header's totals: what a reload must show again. */
async function ledger(page: Page) {
  const facts = factsOf(page);
  return { totals: await facts.getByLabel('Facts totals').innerText(), rows: await facts.locator('tr.fact-row').allInnerTexts() };
}
/** Whether the element is inside the chat's scrolled list, in sight. */
const inChatView = (l: Locator) =>
  l.evaluate((el) => {
    const list = el.closest('[aria-label="Chat"]')?.querySelector(':scope > div');
    if (!list) return false;
    const a = el.getBoundingClientRect();
    const b = list.getBoundingClientRect();
    return a.bottom > b.top && a.top < b.bottom;
  });
const settled = (page: Page) => page.waitForFunction(() => (globalThis as unknown as { __FMS_VIEWS_SETTLED__(): boolean }).__FMS_VIEWS_SETTLED__(), undefined, { polling: 100, timeout: 30_000 });

beforeAll(async () => {
  s = await openStudio();
});
afterAll(async () => s?.close());
afterEach(() => {
  expect(s.consoleErrors).toEqual([]);
});

describe('the Facts view', () => {
  it('shows a restated fact with its history, jumps to its messages, pins and forgets through the engine, and shows the same ledger after a reload', async () => {
    const page = s.page;
    await expect.poll(() => page.getByLabel('Session title').innerText(), { timeout: 60_000 }).toMatch(/Demo/);
    const lines: { role: string; content: string }[] = [{ role: 'system', content: 'Be terse.' }];
    // small talk that states nothing durable ("Answer 3: 21." would be a key-value line, a fact)
    const filler = (from: number, to: number) => {
      for (let i = from; i < to; i++) lines.push({ role: 'user', content: `Question ${i} asks what ${i} times 7 makes.` }, { role: 'assistant', content: `It makes ${i * 7}.` });
    };
    lines.push({ role: 'user', content: 'My locker code is 5521.' }, { role: 'assistant', content: 'Noted.' });
    lines.push({ role: 'user', content: 'My favourite colour is teal.' }, { role: 'assistant', content: 'Noted.' });
    filler(0, 40);
    lines.push({ role: 'user', content: 'Update: my locker code is now 7731.' }, { role: 'assistant', content: 'Got it.' });
    filler(40, 44);
    const file = path.join(s.dataDir, 'facts-chat.jsonl');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    await page.getByLabel('Open session').setInputFiles(file);
    await expect.poll(() => page.getByLabel('Session title').innerText(), { timeout: 60_000 }).toMatch(new RegExp(`facts-chat · ${lines.length} messages`));
    await expect.poll(() => region(page, 'Chat').textContent(), { timeout: 60_000 }).toContain('It makes 301.');

    // the latest value, the superseded one in its history, the totals
    const facts = factsOf(page);
    const locker = factRow(page, /locker code = 7731$/);
    await expect.poll(() => locker.count(), { timeout: 30_000 }).toBe(1);
    expect(await factRow(page, /locker code = 5521$/).count()).toBe(0);
    expect(await locker.innerText()).toMatch(/was 5521 \(#\d+\)/);
    await expect.poll(() => facts.getByLabel('Facts totals').innerText()).toMatch(/^[\d,]+ facts? · [1-9][\d,]* superseded · held [\d,]+ \/ [\d,]+ tokens of the facts share$/);
    // the engine's numbers: the same as fms replay --json says for the same file and (default) settings
    const replay = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'dist/cli/fms.js'), 'replay', file, '--json'], { encoding: 'utf8' })) as { facts: { total: number; superseded: number; heldTokens: number; shareTokens: number } };
    const f = replay.facts;
    expect(await facts.getByLabel('Facts totals').innerText()).toBe(`${f.total} ${f.total === 1 ? 'fact' : 'facts'} · ${f.superseded} superseded · held ${f.heldTokens} / ${f.shareTokens} tokens of the facts share`);
    const colour = factRow(page, /colou?r = teal$/);
    expect(await colour.count()).toBe(1);
    expect(await locker.getByRole('cell').first().innerText()).toBe('user');

    // the source links jump the chat to the statement (the first one is out of the chat's page of newest messages)
    const firstId = Number(/\(#(\d+)\)/.exec(await locker.innerText())![1]);
    const latestId = Number(/^#(\d+)$/.exec(await locker.getByRole('button', { name: /^Show message \d+$/ }).first().innerText())![1]);
    expect(latestId).toBeGreaterThan(firstId);
    const chat = region(page, 'Chat');
    const first = chat.getByRole('article', { name: `user message ${firstId}`, exact: true });
    await locker.getByRole('button', { name: `Show message ${firstId}`, exact: true }).click();
    await expect.poll(async () => (await first.count()) === 1 && inChatView(first)).toBe(true);
    expect(await first.innerText()).toContain('My locker code is 5521.');
    // Enter on the focused row jumps to its latest statement
    await locker.focus();
    await page.keyboard.press('Enter');
    const latest = chat.getByRole('article', { name: `user message ${latestId}`, exact: true });
    await expect.poll(() => inChatView(latest)).toBe(true);
    expect(await latest.innerText()).toContain('Update: my locker code is now 7731.');
    // the row's buttons are next in the Tab order: its source link, then (past the history's) Pin
    await page.keyboard.press('Tab');
    expect(await locker.getByRole('button', { name: `Show message ${latestId}`, exact: true }).evaluate((el) => el === document.activeElement)).toBe(true);

    // pin: the engine's next ledger says so
    await locker.getByRole('button', { name: 'Pin', exact: true }).click();
    await expect.poll(() => locker.getByRole('cell').nth(4).innerText()).toMatch(/pinned/);
    expect(await locker.getByRole('button', { name: 'Unpin', exact: true }).count()).toBe(1);
    await facts.screenshot({ path: path.join(ROOT, 'docs/screenshots/facts.png') });

    // forget, after an inline confirmation (Cancel first: nothing is sent)
    await colour.getByRole('button', { name: 'Forget', exact: true }).click();
    await colour.getByRole('group', { name: /^Forget .*\?$/ }).getByRole('button', { name: 'Cancel' }).click();
    expect(await colour.getByRole('cell').nth(4).innerText()).not.toMatch(/forgotten/);
    await colour.getByRole('button', { name: 'Forget', exact: true }).click();
    await colour.getByRole('button', { name: 'Forget it', exact: true }).click();
    await expect.poll(() => colour.getByRole('cell').nth(4).innerText()).toMatch(/forgotten/);
    expect(await colour.getByRole('button', { name: 'Pin', exact: true }).isDisabled()).toBe(true);
    // the forgotten statement left the context with its own reason in the eviction log
    const reason = region(page, 'Eviction log').getByLabel('Filter by reason');
    await expect.poll(() => reason.locator('option').allInnerTexts()).toContain('superseded');

    // the filter narrows the table
    await facts.getByLabel('Filter facts').fill('5521');
    await expect.poll(() => facts.locator('tr.fact-row').count()).toBe(1);
    await facts.getByLabel('Filter facts').fill('');

    // a reload shows the same ledger (the host's snapshot)
    await settled(page);
    const before = await ledger(page);
    expect(before.rows.length).toBeGreaterThanOrEqual(2);
    await page.reload();
    await expect.poll(() => ledger(page), { timeout: 30_000 }).toEqual(before);
    expect(await factRow(page, /locker code = 7731$/).getByRole('cell').nth(4).innerText()).toMatch(/pinned/);
    expect(await factRow(page, /colou?r = teal$/).getByRole('cell').nth(4).innerText()).toMatch(/forgotten/);
  });
});
