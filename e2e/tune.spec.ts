/// <reference types="node" />
/**
 * The Tune view against the real engine (browser mode): a grid over the open session (the bundled demo)
 * runs with progress, each run's numbers equal `fms replay --json` for the demo file and those settings,
 * the plot marks the Pareto front, a click on a point applies its settings (the session re-runs), and the
 * grid is still there after a reload (the host's snapshot carries it).
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { region, ROOT, useStudio } from './harness';

const studio = useStudio();


describe('Tune', () => {
  it('runs a grid over the session with progress; each run equals fms replay --json for the same file and settings', async () => {
    const s = studio();
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toMatch(/Demo - planted facts · \d+ messages/);
    const tune = region(s.page, 'Tune');
    await tune.scrollIntoViewIfNeeded();
    await tune.getByLabel('Tune policy salience').uncheck();
    await tune.getByLabel('Tune max tokens').fill('512, 1024, 2048');
    await tune.getByLabel('Tune window').fill('128');
    // each step with its own timeout inside the test's, so a failure names the step (a bare click waits forever)
    await tune.getByRole('button', { name: 'Run 12 replays' }).click({ timeout: 30_000 });
    await expect.poll(() => tune.getByLabel('Tune progress').innerText(), { timeout: 80_000 }).toBe('12 / 12 runs done');
    const rows = tune.getByRole('table', { name: 'Tune runs' }).locator('tbody tr');
    expect(await rows.count()).toBe(12);
    // the first run (sliding, 512, window 128, recall on) against the CLI on the same file
    const cli = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'dist/cli/fms.js'), 'replay', path.join(ROOT, 'examples/demo-chat.jsonl'), '--policy', 'sliding', '--max-tokens', '512', '--window', '128', '--recall', 'on', '--json'], { encoding: 'utf8' })) as { contextTokens: number; evictions: number; facts: { total: number } };
    const first = (await rows.nth(0).locator('td').allInnerTexts()).map((t) => t.trim());
    expect(first[0]).toMatch(/sliding · 512 tokens · window 128 · recall on$/);
    expect(Number(first[1].replace(/,/g, ''))).toBe(cli.contextTokens);
    expect(first[2]).toMatch(new RegExp(`^\\d+ / ${cli.facts.total}$`));
    expect(Number(first[3].replace(/,/g, ''))).toBe(cli.evictions);
    // the front is marked in the table and drawn in the plot
    expect((await rows.allInnerTexts()).filter((t) => t.startsWith('★')).length).toBeGreaterThan(0);
    await tune.screenshot({ path: path.join(ROOT, 'docs/screenshots/tune.png') });
  });

  it("applies a point's settings on click: the session re-runs under them", async () => {
    const s = studio();
    const tune = region(s.page, 'Tune');
    const dot = tune.getByLabel('Tokens in context versus facts kept').locator('.recharts-scatter').last().locator('.recharts-scatter-symbol').first();
    await dot.click({ timeout: 30_000 });
    const applied = await tune.getByLabel('Applied settings').innerText();
    const tokens = /(\d+) tokens/.exec(applied)?.[1];
    expect(tokens).toBeDefined();
    await expect.poll(() => s.page.getByLabel('Used tokens').innerText(), { timeout: 30_000 }).toMatch(new RegExp(`/ ${Number(tokens).toLocaleString('en-US')}$`));
    // the Policy panel follows the new settings in its own frame (views render apart): wait for it, not a read at once
    await expect.poll(() => region(s.page, 'Policy').getByLabel('Max tokens', { exact: true }).inputValue(), { timeout: 30_000 }).toBe(tokens);
  });

  it('keeps the grid through a reload: the host sends it with the snapshot (progress, every run, the front)', async () => {
    const s = studio();
    const rowsOf = async () => (await region(s.page, 'Tune').getByRole('table', { name: 'Tune runs' }).locator('tbody tr').allInnerTexts()).map((t) => t.trim());
    const before = await rowsOf();
    expect(before).toHaveLength(12);
    await s.page.reload();
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toMatch(/Demo - planted facts · \d+ messages/);
    const tune = region(s.page, 'Tune');
    await expect.poll(() => tune.getByLabel('Tune progress').innerText(), { timeout: 30_000 }).toBe('12 / 12 runs done');
    expect(await rowsOf()).toEqual(before);
    // the form is the one that asked for these runs, not the default
    expect(await tune.getByLabel('Tune max tokens').inputValue()).toBe('512, 1024, 2048');
    expect(await tune.getByLabel('Tune window').inputValue()).toBe('128');
    expect(await tune.getByLabel('Tune policy salience').isChecked()).toBe(false);
    await tune.getByRole('button', { name: 'Run 12 replays' }).waitFor();
  });
});
