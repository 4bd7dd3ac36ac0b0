/// <reference types="node" />
/**
 * "Open in speedscope" in browser mode: the engine's profile opens in speedscope's own viewer, served by
 * `fms serve` from the speedscope package (no network), and the viewer loads it (its title is the
 * session's, its flamegraph is drawn).
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { region, ROOT, useStudio } from './harness';

const studio = useStudio();


describe('speedscope', () => {
  it("opens the engine's profile in the speedscope viewer the app serves", async () => {
    const s = studio();
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toMatch(/Demo - planted facts · \d+ messages/);
    const requests: string[] = [];
    s.context.on('request', (r) => requests.push(r.url()));
    const dialogs: string[] = [];
    const popup = s.context.waitForEvent('page');
    await region(s.page, 'Profiler').getByRole('button', { name: 'Open in speedscope' }).click();
    const viewer = await popup;
    viewer.on('dialog', (d) => void (dialogs.push(d.message()), d.dismiss()));
    // speedscope names the window after the profile once it has loaded it
    await expect.poll(() => viewer.title(), { timeout: 30_000 }).toBe('Demo - planted facts - speedscope');
    expect(new URL(viewer.url()).pathname).toBe('/speedscope/index.html');
    // the flamegraph is drawn (WebGL) under 2D overlays that label its frames: the labels are on them
    const labelled = () =>
      viewer.evaluate(() =>
        [...document.querySelectorAll('canvas')].some((c) => {
          const ctx = c.width > 0 && c.height > 0 ? c.getContext('2d') : null;
          if (!ctx) return false;
          const data = ctx.getImageData(0, 0, c.width, c.height).data;
          let ink = 0;
          for (let i = 3; i < data.length; i += 4) if (data[i] > 0) ink++;
          return ink > 500;
        }),
      );
    await expect.poll(labelled, { timeout: 30_000 }).toBe(true);
    expect(await viewer.locator('body').innerText()).toMatch(/Time Order[\s\S]*Demo - planted facts/);
    expect(dialogs).toEqual([]);
    // nothing left the machine: every request went to the server or was the profile's blob
    expect(requests.filter((u) => !u.startsWith(s.server.url.replace(/\/[^/]*$/, '')) && !u.startsWith('blob:') && !u.startsWith('data:'))).toEqual([]);
    await viewer.screenshot({ path: path.join(ROOT, 'docs/screenshots/speedscope.png') });
    await viewer.close();
  });
});
