/// <reference types="node" />
/**
 * An OpenAI-compatible server end to end: a fake server on 127.0.0.1 (real HTTP, real SSE) behind
 * the UI in browser mode. Connect probes GET /v1/models and says the truth (refused, listed, no
 * list); each reply shows the server's token counts beside the engine's; the Cache view shows the
 * server's prompt-cache hits; a reload shows the same.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { closedPortUrl, startTestServer, type TestServer } from '../src/engine/backends/openai/testServer';
import { openStudio, ROOT, type Studio } from './harness';

let s: Studio;
let server: TestServer;
const region = (name: string) => s.page.getByRole('region', { name, exact: true });
const dialog = () => s.page.getByRole('dialog', { name: 'Settings' });
const status = () => dialog().getByLabel('Connection status').innerText();

beforeAll(async () => {
  [s, server] = await Promise.all([openStudio(), startTestServer()]);
});
afterAll(async () => {
  await s?.close();
  await server?.close();
});
afterEach(() => {
  expect(s.consoleErrors).toEqual([]);
});

async function connect(baseUrl: string, model: string): Promise<void> {
  await dialog().getByLabel('Base URL').fill(baseUrl);
  await dialog().getByLabel('Model', { exact: true }).fill(model);
  await dialog().getByRole('button', { name: 'Connect', exact: true }).click();
}

async function chat(text: string): Promise<void> {
  const box = s.page.getByRole('textbox', { name: 'Message', exact: true });
  await box.fill(text);
  await expect.poll(() => region('Chat').getByRole('button', { name: 'Send', exact: true }).isEnabled(), { timeout: 30_000 }).toBe(true);
  await box.press('Enter');
  await expect.poll(() => region('Chat').locator('article[aria-label^="assistant message"]').last().textContent(), { timeout: 30_000 }).toContain(`Reply to ${text}`);
}

const lastCounts = () => region('Chat').locator('article[aria-label^="assistant message"]').last().getByLabel('Token counts');

describe('an OpenAI-compatible server', () => {
  it('is not "connected" when it cannot be reached, and lists its models when it can', async () => {
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 60_000 }).toMatch(/Demo/);
    await s.page.getByRole('button', { name: 'Settings' }).click();
    await dialog().getByLabel('OpenAI-compatible server').check();
    const closed = await closedPortUrl();
    await connect(closed, 'test-model');
    await expect.poll(status, { timeout: 30_000 }).toBe('not connected');
    expect(await dialog().innerText()).toMatch(new RegExp(`cannot connect to ${closed}/v1/models: .*ECONNREFUSED`));
    await expect.poll(() => s.page.getByLabel('Backend').innerText()).toContain('not connected');

    server.models = { type: 'status', status: 404, body: '404 page not found' };
    await connect(server.baseUrl, 'typed-model');
    await expect.poll(status, { timeout: 30_000 }).toBe('connected');
    expect(await dialog().getByLabel('Connection note').innerText()).toBe(`the server does not list its models (GET ${server.baseUrl}/v1/models: HTTP 404); using "typed-model"`);

    server.models = { type: 'models', ids: ['test-model', 'other-model'] };
    await connect(server.baseUrl, 'test-model');
    await expect.poll(() => dialog().getByLabel('Server models').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await dialog().getByLabel('Server models').innerText()).toBe('The server lists 2 models: pick one or type a name.');
    expect(await status()).toBe('connected');
    expect(await dialog().locator('#server-models option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['test-model', 'other-model']);
    await dialog().getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => s.page.getByLabel('Backend').innerText()).toBe(`Server: test-model @ ${server.baseUrl}`);
  });

  it("shows each reply's server token counts beside the engine's, and the server's prompt cache", async () => {
    server.queue(
      { type: 'stream', pieces: ['Reply to ', 'first.'], usage: { prompt_tokens: 400, completion_tokens: 4, prompt_tokens_details: { cached_tokens: 256 } } },
      { type: 'stream', pieces: ['Reply to second.'] },
    );
    await chat('first.');
    await expect.poll(() => lastCounts().innerText()).toMatch(/^prompt [\d,]+ engine · 400 server · reply 4 · 256 cached$/);
    await chat('second.');
    await expect.poll(() => lastCounts().innerText()).toMatch(/^prompt [\d,]+ engine$/);
    expect(await lastCounts().getAttribute('title')).toMatch(/The server reported no usage\.$/);
    await expect.poll(() => region('Cache').innerText()).toContain('Server prompt cache: 64.0% of prompt tokens cached (256 of 400 over 1 turn); 1 of 2 server turns did not report it');
    await expect.poll(() => region('Cache').innerText()).not.toContain('no generated turns yet');
    // the notices of the first test (refused, no model list) would cover the panel
    const dismiss = s.page.getByLabel('Notices').getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    await region('Cache').screenshot({ path: path.join(ROOT, 'docs/screenshots/cache-server.png') });
  });

  it('shows the same counts, cache and connection after a reload', async () => {
    const before = await region('Chat').locator('article[aria-label^="assistant message"]').evaluateAll((as) => as.map((a) => a.querySelector('[aria-label="Token counts"]')?.textContent ?? ''));
    await s.page.reload();
    await expect.poll(() => s.page.getByLabel('Engine connection').innerText(), { timeout: 30_000 }).toBe('Engine connected');
    await expect.poll(() => s.page.getByLabel('Backend').innerText()).toBe(`Server: test-model @ ${server.baseUrl}`);
    await expect.poll(() => region('Cache').innerText()).toContain('Server prompt cache: 64.0% of prompt tokens cached (256 of 400 over 1 turn); 1 of 2 server turns did not report it');
    const after = await region('Chat').locator('article[aria-label^="assistant message"]').evaluateAll((as) => as.map((a) => a.querySelector('[aria-label="Token counts"]')?.textContent ?? ''));
    expect(after.slice(-2)).toEqual(before.slice(-2));
    expect(after.at(-1)).toMatch(/^prompt [\d,]+ engine$/);
  });
});
