/// <reference types="node" />
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { startServer, type Server, type ServeOptions } from '../src/browser-server/server';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface Studio {
  server: Server;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and page errors seen so far: any of them fails a test. */
  consoleErrors: string[];
  dataDir: string;
  close(): Promise<void>;
}

/** Starts `fms serve` in-process (engine host in a child) and opens the UI in Debian's Chromium. */
export async function openStudio(options: { viewport?: { width: number; height: number }; serve?: Partial<ServeOptions> } = {}): Promise<Studio> {
  for (const f of ['out/renderer/index.html', 'dist/host/index.js']) {
    if (!existsSync(path.join(ROOT, f))) throw new Error(`${f} is missing: build first (npm run build)`);
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), 'fms-e2e-'));
  const server = await startServer({ port: 0, rendererDir: path.join(ROOT, 'out/renderer'), hostEntry: path.join(ROOT, 'dist/host/index.js'), dataDir, ...options.serve });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1600, height: 1000 }, acceptDownloads: true });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));
  await page.goto(server.url);
  return {
    server,
    browser,
    context,
    page,
    consoleErrors,
    dataDir,
    close: async () => {
      await browser.close();
      await server.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Types a message and sends it to the connected model once sending is possible (connecting re-runs the
 * session with the model's tokenizer; sending waits for that replay), then waits for the streamed reply
 * to start, end and land in the chat as an assistant message after the user's.
 */
export async function chatTurn(page: Page, text: string): Promise<void> {
  const chat = page.getByRole('region', { name: 'Chat', exact: true });
  const box = page.getByRole('textbox', { name: 'Message', exact: true });
  await box.fill(text);
  await expect.poll(() => chat.getByRole('button', { name: 'Send', exact: true }).isEnabled(), { timeout: 30_000 }).toBe(true);
  // the newest reply so far (the chat shows a page of the newest messages: counts would not grow)
  const newest = () => chat.locator('article[aria-label^="assistant message"]').last().getAttribute('aria-label', { timeout: 1_000 }).catch(() => null);
  const before = await newest();
  await box.press('Enter');
  const streaming = chat.getByRole('article', { name: 'Streaming reply' });
  // the streaming reply shows while it streams; the chat follows on the views' clock, so a reply the
  // tiny model finishes between two of the chat's renders may land without a streaming frame shown
  await expect.poll(async () => (await streaming.isVisible()) || (await newest()) !== before, { timeout: 30_000 }).toBe(true);
  await streaming.waitFor({ state: 'detached', timeout: 60_000 });
  await expect.poll(() => chat.locator('article').last().getAttribute('aria-label')).toMatch(/^assistant message \d+$/);
  await expect.poll(() => chat.locator('article[aria-label^="user message"]').last().textContent()).toContain(text);
}

/** A view's region by its accessible name. */
export const region = (page: Page, name: string) => page.getByRole('region', { name, exact: true });

/**
 * One studio for a spec file: opened before its tests, closed after them; a console or page error fails
 * the test it happened in. Returns the studio (read it inside the tests).
 */
export function useStudio(options: Parameters<typeof openStudio>[0] = {}): () => Studio {
  let studio: Studio | undefined;
  beforeAll(async () => {
    studio = await openStudio(options);
  });
  afterAll(async () => studio?.close());
  afterEach(() => {
    expect(studio?.consoleErrors).toEqual([]);
  });
  return () => {
    if (!studio) throw new Error('the studio is not open yet');
    return studio;
  };
}
