// The UI under load: replays a ~100k-token session at full speed in Debian's Chromium (browser
// mode, real engine) and reports frame times and how long evictions take to reach the screen.
// Targets: p95 frame time <= 18 ms (>= 55 fps), every eviction shown within 250 ms.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { syntheticChat } from '../src/engine/testing/syntheticChat.js';
import { openStudio } from '../e2e/harness.js';
import { summarize, table } from './util.js';

const chat = syntheticChat({ seed: 7, turns: 950, sentencesPerMessage: 6 });
const s = await openStudio();
try {
  const title = s.page.getByLabel('Session title');
  await s.page.getByText('Engine connected').waitFor();
  await title.filter({ hasText: '164 messages' }).waitFor({ timeout: 30_000 }); // the demo has opened
  // FMS_UI_RECALL=off measures with query-aware recall switched off in the Policy panel (default: on)
  const recall = process.env.FMS_UI_RECALL !== 'off';
  if (!recall) {
    const policy = s.page.getByRole('region', { name: 'Policy', exact: true });
    await policy.getByLabel('Recall', { exact: true }).uncheck();
    await policy.getByRole('button', { name: 'Apply and re-run' }).click();
    await s.page.getByText(/^Replaying \d+\/\d+$/).waitFor({ state: 'detached', timeout: 60_000 });
  }
  const RUNS = 3;
  const frames: number[] = [];
  const batches: { sentAt: number; shownAt: number; evictions: number }[] = [];
  const walls: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const name = `long-${run}`;
    const file = path.join(s.dataDir, `${name}.jsonl`);
    writeFileSync(file, chat.map((m) => JSON.stringify(m)).join('\n'));
    await s.page.evaluate(`(() => {
      window.__FMS_PERF__ = { batches: [] };
      window.__frames = [];
      window.__stop = false;
      let last = performance.now();
      const tick = (t) => { window.__frames.push(t - last); last = t; if (!window.__stop) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
    })()`);
    const t0 = Date.now();
    await s.page.getByLabel('Open session').setInputFiles(file);
    await title.filter({ hasText: `${name} · ${chat.length} messages` }).waitFor({ timeout: 300_000 });
    // the header's "Replaying n/N" pill disappears when the replay is done
    await s.page.getByText(/^Replaying \d+\/\d+$/).waitFor({ state: 'detached', timeout: 300_000 });
    walls.push(Date.now() - t0);
    await s.page.waitForTimeout(500);
    const data = (await s.page.evaluate(`(() => { window.__stop = true; return { frames: window.__frames.slice(1), batches: window.__FMS_PERF__.batches }; })()`)) as {
      frames: number[];
      batches: { sentAt: number; shownAt: number; evictions: number }[];
    };
    frames.push(...data.frames);
    batches.push(...data.batches);
  }
  const data = { frames, batches };
  const wall = Math.round(walls.reduce((a, b) => a + b, 0) / RUNS);
  const tokens = await s.page.getByLabel('Used tokens').innerText();
  const evictionRows = await s.page.getByRole('region', { name: 'Eviction log', exact: true }).locator('h2').innerText();
  const f = summarize(data.frames);
  const withEvictions = data.batches.filter((b) => b.evictions > 0).map((b) => b.shownAt - b.sentAt);
  const lag = summarize(withEvictions);
  const fps = data.frames.length / (data.frames.reduce((a, b) => a + b, 0) / 1000);
  console.log(`session: ${chat.length} messages, recall ${recall ? "on" : "off"}, ${evictionRows.replace(/\s+/g, ' ')}; ${RUNS} replays pooled, ${wall} ms each on average; window ${tokens}\n`);
  console.log(
    table('UI under a full-speed replay (Chromium, browser mode)', ['metric', 'p50', 'p95', 'max', 'target'], [
      ['frame time ms', f.p50, f.p95, f.max, 'p95 <= 18'],
      ['eviction batch -> on screen ms', lag.p50, lag.p95, lag.max, 'max <= 250'],
    ]),
  );
  console.log(`frames: ${data.frames.length} (${fps.toFixed(1)} fps average); batches with evictions: ${withEvictions.length}`);
} finally {
  await s.close();
}
