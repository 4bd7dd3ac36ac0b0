/// <reference types="node" />
/**
 * The eviction log past its cap: a chat long enough for more log rows than the UI keeps. The list
 * holds the newest EVICTION_LOG_CAP rows and says so; the header's counts stay exact.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { EVICTION_LOG_CAP } from '../src/shared/view/evictionRing.js';
import { openStudio, type Studio } from './harness';

let s: Studio;
const region = (name: string) => s.page.getByRole('region', { name, exact: true });
const count = (text: string) => Number(text.replace(/,/g, ''));

beforeAll(async () => {
  s = await openStudio();
});
afterAll(async () => s?.close());
afterEach(() => {
  expect(s.consoleErrors).toEqual([]);
});

describe('the eviction log of a long chat', () => {
  it('keeps the newest 5,000 rows, says how many it dropped, and keeps the counts exact', async () => {
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 60_000 }).toMatch(/Demo/);
    const lines = [{ role: 'system', content: 'Be terse.' }];
    for (let i = 0; i < 1800; i++) lines.push({ role: 'user', content: `Question ${i}: what is ${i} times 7?` }, { role: 'assistant', content: `Answer ${i}: ${i * 7}.` });
    const file = path.join(s.dataDir, 'long-chat.jsonl');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    await s.page.getByLabel('Open session').setInputFiles(file);
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 60_000 }).toMatch(/long-chat · 3601 messages/);
    const log = region('Eviction log');
    await expect.poll(() => log.innerText(), { timeout: 120_000 }).toMatch(/showing the newest 5,000 of [\d,]+ rows, newest first/);
    // the replay has ended when the chat's last answer is in and the log stops growing
    await expect.poll(() => region('Chat').textContent(), { timeout: 120_000 }).toContain('Answer 1799: 12593.');
    const text = await log.innerText();
    const [, shown, total] = text.match(/showing the newest ([\d,]+) of ([\d,]+) rows/)!;
    // the header counts evictions, recalls and summaries apart; the log's rows are all of them
    const totals = await log.getByLabel('Eviction totals').innerText();
    const kind = (k: string) => count(new RegExp(`([\\d,]+) ${k}`).exec(totals)?.[1] ?? '0');
    expect(count(shown)).toBe(EVICTION_LOG_CAP);
    expect(kind('evictions')).toBeGreaterThan(0);
    expect(count(total)).toBe(kind('evictions') + kind('recalls') + kind('summaries'));
    expect(count(total)).toBeGreaterThan(EVICTION_LOG_CAP);
    // only the visible rows are in the DOM, the newest (of the last turn) first
    const items = log.getByRole('listitem');
    expect(await items.count()).toBeGreaterThan(0);
    expect(await items.count()).toBeLessThan(30);
    expect(await items.first().innerText()).toMatch(/^turn 1800\n/);
    await log.getByLabel('Filter by reason').selectOption('budget');
    await expect.poll(() => log.innerText()).toMatch(/[\d,]+ shown from the newest 5,000 of [\d,]+ rows, newest first/);
  });
});
