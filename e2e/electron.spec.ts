/// <reference types="node" />
/**
 * The built desktop app, end to end: launches out/main/index.js in the real Electron binary and
 * checks that the window comes up with the chat. Build first (`electron-vite build`). Skipped, with
 * a warning, where Electron's binary is not installed (its lazy download cannot run on CI boxes).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const MAIN = 'out/main/index.js';

/** Where `require('electron')` would find the binary, without letting it try to download one. */
function electronBinary(): string | undefined {
  const pkg = path.join(root, 'node_modules', 'electron');
  const pathTxt = path.join(pkg, 'path.txt');
  if (!existsSync(pathTxt)) return undefined;
  const rel = readFileSync(pathTxt, 'utf8').trim();
  const dist = process.env.ELECTRON_OVERRIDE_DIST_PATH ?? path.join(pkg, 'dist');
  const binary = path.join(dist, rel);
  return rel && existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
if (!binary) {
  console.warn(
    'e2e/electron.spec.ts SKIPPED: no Electron binary (node_modules/electron/path.txt is missing or points at nothing). ' +
      'Run `npx install-electron` where downloads work, then `electron-vite build`, to run it.',
  );
}

describe.skipIf(!binary)('the Electron app', () => {
  let app: ElectronApplication | undefined;
  let page: Page;
  let userData: string;

  beforeAll(async () => {
    expect(existsSync(path.join(root, MAIN)), `${MAIN} is missing: run \`electron-vite build\` first`).toBe(true);
    userData = mkdtempSync(path.join(tmpdir(), 'fms-e2e-'));
    const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[1] !== undefined && e[0] !== 'ELECTRON_RENDERER_URL'));
    app = await _electron.launch({ executablePath: binary, args: [MAIN, `--user-data-dir=${userData}`], cwd: root, env, timeout: 60_000 });
    page = await app.firstWindow({ timeout: 60_000 });
    await page.waitForLoadState('domcontentloaded');
  }, 90_000);

  afterAll(async () => {
    await app?.close();
    if (userData) rmSync(userData, { recursive: true, force: true });
  });

  it('opens the window titled Finite Memory Studio', async () => {
    expect(await page.title()).toBe('Finite Memory Studio');
    const windowTitle = await app?.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle());
    expect(windowTitle).toBe('Finite Memory Studio');
  });

  it('shows the chat region', async () => {
    const chat = page.getByRole('region', { name: 'Chat' });
    await chat.waitFor({ state: 'visible', timeout: 30_000 });
    expect(await chat.isVisible()).toBe(true);
  }, 45_000);
});
