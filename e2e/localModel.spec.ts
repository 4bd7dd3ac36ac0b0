/// <reference types="node" />
/**
 * The local model chosen in Settings, downloaded for real: a 127.0.0.1 Hub mirror serves the generated
 * tiny model in the Hub's file layout, browser mode's engine host downloads it through HF_ENDPOINT into
 * an empty models folder (showing progress), and the chat streams a reply from it. Any console error
 * fails a test.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startHubServer, type HubServer } from '../src/engine/testing/hubServer';
import { tinyLlamaDir } from '../src/engine/testing/testModels';
import { chatTurn, openStudio, type Studio } from './harness';

const REPO = 'fms-test/tiny-llama';
let hub: HubServer;
let s: Studio;

beforeAll(async () => {
  hub = await startHubServer({ [REPO]: tinyLlamaDir() });
  process.env.HF_ENDPOINT = hub.endpoint; // the engine host is a child of this process and inherits it
  s = await openStudio();
});
afterAll(async () => {
  await s?.close();
  await hub?.close();
  delete process.env.HF_ENDPOINT;
});
afterEach(() => {
  expect(s.consoleErrors).toEqual([]);
});

describe('local model from Settings', () => {
  it('downloads the chosen Hub model through HF_ENDPOINT with progress, then streams a reply', async () => {
    const models = path.join(s.dataDir, 'models');
    expect(existsSync(path.join(models, REPO))).toBe(false); // a fresh cache: the model must be downloaded
    await expect.poll(() => s.page.getByLabel('Engine connection').innerText(), { timeout: 30_000 }).toBe('Engine connected');
    const weights = hub.hold(REPO, 'onnx/model.onnx'); // the weights stop halfway until the progress is seen

    await s.page.getByRole('button', { name: 'Settings' }).click();
    const settings = s.page.getByRole('dialog', { name: 'Settings' });
    await settings.getByRole('radio', { name: /Local model/ }).check();
    await settings.getByLabel('Model', { exact: true }).fill(REPO);
    await settings.getByRole('button', { name: 'Connect', exact: true }).click();
    // a failed connect shows its message instead of leaving the test to its timeout
    const failure = settings.locator('.error-text');
    const shownError = failure.waitFor({ timeout: 60_000 }).then(() => failure.innerText(), () => undefined);
    expect(await Promise.race([weights.halfSent.then(() => undefined), shownError])).toBeUndefined();
    const download = settings.getByLabel('Model download');
    await expect.poll(() => download.innerText(), { timeout: 30_000 }).toMatch(/^Downloading onnx\/model\.onnx: [1-9]\d?%/);
    const shown = Number(await download.locator('progress').getAttribute('value'));
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThan(100);
    weights.release();

    await expect.poll(() => s.page.getByLabel('Backend').innerText(), { timeout: 60_000 }).toContain(`Local: ${REPO}`);
    await expect.poll(() => settings.getByText('connected', { exact: true }).isVisible(), { timeout: 30_000 }).toBe(true);
    await download.waitFor({ state: 'detached' });
    await settings.getByRole('button', { name: 'Close' }).click();

    await chatTurn(s.page, 'Hello from the mirror.');

    // the mirror served the model's files with no misses, and they landed in the app's models folder
    expect(hub.requests.filter((r) => r.status >= 400)).toEqual([]);
    expect([...new Set(hub.served(REPO))].sort()).toEqual(['config.json', 'generation_config.json', 'onnx/model.onnx', 'tokenizer.json', 'tokenizer_config.json'].sort());
    for (const file of ['config.json', 'tokenizer.json', 'onnx/model.onnx']) expect(existsSync(path.join(models, REPO, file)), file).toBe(true);
  });
});
