/// <reference types="node" />
/**
 * Truthful views: what the panels show is the engine's state, the same after a reload, in a second
 * tab and after the engine is killed and restores its autosave, and equal to `fms replay --json` on
 * the same file with the same settings.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStudio, ROOT, type Studio } from './harness';

let s: Studio;

beforeAll(async () => {
  s = await openStudio();
});
afterAll(async () => s?.close());
afterEach(() => {
  expect(s.consoleErrors).toEqual([]);
});

/** What the views say, as text: the Budget, the Eviction log's totals, the map's counts by state, the profiler's span count. */
async function views(page: Page) {
  const region = (name: string) => page.getByRole('region', { name, exact: true });
  const profiler = await region('Profiler').locator('h2').innerText();
  return {
    budget: await page.getByLabel('Used tokens').innerText(),
    evictions: await region('Eviction log').getByLabel('Eviction totals').innerText(),
    map: await region('Context map').getByLabel('Tokens by state').innerText(),
    spans: /([\d,]+) spans/.exec(profiler)?.[1] ?? profiler,
  };
}

const n = (x: number) => x.toLocaleString('en-US');

describe('truthful views', () => {
  it('shows the same budget, evictions, map and profiler after a reload, in a second tab and after an engine restart, equal to fms replay --json', async () => {
    const replay = JSON.parse(execFileSync(process.execPath, [path.join(ROOT, 'dist/cli/fms.js'), 'replay', path.join(ROOT, 'examples/demo-chat.jsonl'), '--json'], { encoding: 'utf8' })) as {
      contextTokensEngine: number;
      evictions: number;
      config: { maxTokens: number };
      stats: { tokensRetained: number; tokensEvicted: number };
    };
    const page = s.page;
    await expect.poll(() => page.getByLabel('Session title').innerText(), { timeout: 60_000 }).toMatch(/Demo - planted facts · 164 messages/);
    // the demo opens with the default settings, as fms replay runs without flags
    await expect.poll(async () => (await views(page)).budget, { timeout: 60_000 }).toBe(`${n(replay.contextTokensEngine)} / ${n(replay.config.maxTokens)}`);
    await expect.poll(async () => (await views(page)).evictions, { timeout: 30_000 }).toMatch(new RegExp(`^${n(replay.evictions)} evictions · `));
    // the autosave is on disk before anything else happens (the restart restores it)
    await expect.poll(() => page.getByLabel('Autosave').innerText(), { timeout: 30_000 }).toBe('Saved · 164 messages');
    // the map's counts add up to the engine's retained and evicted tokens (each view follows the engine on
    // its own turn of the views' clock: a costly one a little later than the budget and the log)
    await expect.poll(async () => (await views(page)).map, { timeout: 30_000 }).toMatch(new RegExp(`^in context ${n(replay.stats.tokensRetained)}: window [\\d,]+ · pinned [\\d,]+ · recalled [\\d,]+ · summary [\\d,]+\\s+out ${n(replay.stats.tokensEvicted)}: evicted [\\d,]+ · summarized [\\d,]+$`));
    // every view has caught up with the stores (each follows them in its own turn), then all are read at once
    // a function, not a string: the page's CSP has no 'unsafe-eval', and Playwright evals a string
    // again on every poll after the first (an EvalError whenever the views were not settled at once)
    await page.waitForFunction(() => (globalThis as unknown as { __FMS_VIEWS_SETTLED__(): boolean }).__FMS_VIEWS_SETTLED__(), undefined, { polling: 100, timeout: 30_000 });
    const first = await views(page);
    expect(first.evictions).toContain(`${n(replay.stats.tokensEvicted)} tokens out of context`);
    expect(Number(first.spans.replace(/,/g, ''))).toBeGreaterThan(0);

    await page.reload();
    await expect.poll(() => views(page), { timeout: 30_000 }).toEqual(first);
    expect(await page.getByLabel('Autosave').innerText()).toBe('Saved · 164 messages');

    const second = await s.context.newPage();
    await second.goto(s.server.url);
    await expect.poll(() => views(second), { timeout: 30_000 }).toEqual(first);
    await expect.poll(() => page.getByLabel('Engine connection').innerText(), { timeout: 30_000 }).not.toBe('Engine connected'); // one window at a time

    const autosave = path.join(s.dataDir, 'autosave.json');
    expect(existsSync(autosave) && (JSON.parse(readFileSync(autosave, 'utf8')) as { messages: unknown[] }).messages.length).toBe(164);
    s.server.supervisor.current!.child.kill('SIGKILL');
    await expect.poll(() => second.getByRole('status').filter({ hasText: /The engine restarted: .*164 messages were restored/ }).count(), { timeout: 90_000 }).toBeGreaterThan(0);
    await expect.poll(() => views(second), { timeout: 60_000 }).toEqual(first);
    await second.close();
  }, 300_000);
});
