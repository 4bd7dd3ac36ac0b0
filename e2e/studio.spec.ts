/// <reference types="node" />
/**
 * The full UI and engine end to end in Debian's Chromium, against browser mode (`fms serve`):
 * first run with the demo, opening a JSONL file, policy changes, what-if, profile export, streaming
 * chat with the tiny generated model, and engine crash recovery. Any console error fails a test.
 * Screenshots of each view go to docs/screenshots/.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import draft6 from 'ajv/dist/refs/json-schema-draft-06.json' with { type: 'json' };
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { tinyLlamaDir } from '../src/engine/testing/testModels';
import { rulerInk, spanInk, widestSpanIn } from './flamechartProbe';
import { chatTurn, openStudio, ROOT, type Studio } from './harness';

let s: Studio;
const shots = path.join(ROOT, 'docs/screenshots');
const region = (name: string) => s.page.getByRole('region', { name, exact: true });
const shot = (name: string, file: string) => region(name).screenshot({ path: path.join(shots, file) });

beforeAll(async () => {
  s = await openStudio();
});
afterAll(async () => s?.close());
afterEach(() => {
  expect(s.consoleErrors).toEqual([]);
});

describe('Finite Memory Studio in the browser', () => {
  it('opens the bundled demo on first run and shows every view working', async () => {
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toMatch(/Demo - planted facts · 164 messages/);
    await expect.poll(() => s.page.getByRole('listitem').count()).toBeGreaterThan(5);
    const log = await region('Eviction log').innerText();
    expect(log).toMatch(/\d+ evictions/);
    expect(log).toMatch(/budget/);
    expect(log).toMatch(/sentence-align/);
    await expect.poll(() => s.page.getByLabel('Used tokens').innerText()).toMatch(/\/ 2,048/);
    await expect.poll(() => region('Chat').innerText()).toContain('What is my locker code, and who is my manager?');
    expect(await s.page.getByLabel('Engine connection').innerText()).toBe('Engine connected');
    await region('Budget').getByRole('img', { name: 'Usage over turns' }).waitFor(); // the usage chart (canvas)
    // the chat follows the newest message: its list ends at the last message, also after the badges land
    const lastMessage = region('Chat').getByText('What is my locker code, and who is my manager?');
    const belowChat = () => s.page.evaluate(() => {
      const list = document.querySelector('[aria-label="Chat"] > div')!;
      return list.scrollHeight - list.scrollTop - list.clientHeight;
    });
    await expect.poll(belowChat, { timeout: 15_000 }).toBeLessThan(2);
    await s.page.waitForTimeout(300); // let the last throttled chart and list updates land
    expect(await belowChat()).toBeLessThan(2);
    expect(await lastMessage.isVisible()).toBe(true);
    await s.page.screenshot({ path: path.join(shots, 'app.png') });
    for (const [name, file] of [['Chat', 'chat.png'], ['Budget', 'budget.png'], ['Context map', 'context-map.png'], ['Eviction log', 'eviction-log.png'], ['Policy', 'policy.png'], ['Sessions', 'sessions.png']] as const) await shot(name, file);
    expect(await region('Chat').innerText()).toMatch(/Show 50 earlier messages \(114 hidden\)/);
    await region('Chat').getByRole('button', { name: /Show 50 earlier/ }).click();
    await expect.poll(() => region('Chat').innerText()).toMatch(/partly evicted|evicted/);

  });

  it('folds the demo into a rolling summary and shows it in the log, the chat and the context map', async () => {
    const policy = region('Policy');
    await policy.getByRole('combobox', { name: 'Policy', exact: true }).selectOption('rolling_summary');
    expect(await policy.locator('#policy-explain').innerText()).toMatch(/No model: summaries are extractive/);
    expect(await policy.getByLabel('Probes', { exact: true }).count()).toBe(0);
    const interval = policy.getByLabel('Summary interval', { exact: true });
    await interval.fill('32');
    expect(await policy.getByRole('alert').innerText()).toMatch(/summary interval must be a whole number >= 64/);
    await interval.fill('128');
    expect(await policy.getByLabel('Summary gate', { exact: true }).inputValue()).toBe('1');
    await policy.getByRole('button', { name: 'Apply and re-run' }).click();
    await expect.poll(() => s.page.getByLabel('What changed').innerText(), { timeout: 30_000 }).toMatch(/policy\s+sliding\s+rolling_summary\s+parameters\s+–\s+summary interval 128 tokens, summary gate 1/);

    // the eviction log: summary rows, and evictions of the spans they fold in
    const log = region('Eviction log');
    const reason = log.getByLabel('Filter by reason');
    await expect.poll(() => reason.locator('option').allInnerTexts(), { timeout: 30_000 }).toEqual(expect.arrayContaining(['summary', 'summarized']));
    await reason.selectOption('summary');
    const row = await log.getByRole('listitem').first().innerText();
    expect(row).toMatch(/summary\s+\d+ → \d+ tok · extractive/);
    expect(row).toMatch(/gate \d+\/\d+ facts in source (passed|failed)/);
    const id = Number(/#(\d+)/.exec(row)![1]);
    await reason.selectOption('all');

    // the chat: the summary in the context is shown as such, with its method and gate
    const chat = region('Chat');
    const summary = chat.getByRole('article', { name: `summary message ${id}`, exact: true });
    // read in view: messages off screen skip their rendering (content-visibility), and their text reads empty
    const inView = async () => {
      await summary.scrollIntoViewIfNeeded();
      return summary.innerText();
    };
    await expect.poll(inView, { timeout: 30_000 }).toMatch(/summary · system[\s\S]*summary[\s\S]*extractive[\s\S]*gate \d+\/\d+ (passed|failed)[\s\S]*in context/);
    expect(await summary.innerText()).toMatch(/stands in for positions \d+–\d+ · \d+ source tokens → \d+/);
    const [border, summaryColor] = await summary.evaluate((el) => {
      const probe = document.body.appendChild(document.createElement('span'));
      probe.style.color = 'var(--summary)';
      const want = getComputedStyle(probe).color;
      probe.remove();
      return [getComputedStyle(el).borderLeftColor, want];
    });
    expect(border).toBe(summaryColor);
    // earlier summaries were folded into the newer ones
    await expect.poll(() => chat.locator('article[aria-label^="summary message"] .pill', { hasText: /^superseded$/ }).count()).toBeGreaterThan(0);
    // conversation messages folded into a summary say so, the way evicted ones do
    const folded = chat.locator('article[aria-label^="user message"], article[aria-label^="assistant message"]').locator('.pill', { hasText: /^(partly )?summarized/ });
    while ((await folded.count()) === 0) {
      const earlier = chat.getByRole('button', { name: /Show \d+ earlier/ });
      if ((await earlier.count()) === 0) break;
      await earlier.click();
    }
    expect(await folded.count()).toBeGreaterThan(0);

    // the context map: the summary in its own row, summarized tokens in the strip, and a legend entry
    const map = region('Context map');
    expect(await map.innerText()).toMatch(/summary \(in the context\)[\s\S]*summarized \(the summary stands in\)/);
    const mapRow = map.getByRole('button', { name: new RegExp(`^Summary message ${id}: \\d+ tokens in the context standing in for positions`) });
    await mapRow.click();
    await expect.poll(() => summary.isVisible()).toBe(true);
    await s.page.waitForTimeout(300); // let the scroll land
    await shot('Chat', 'summary.png');
    await shot('Context map', 'context-map-summary.png');
  });

  it('tunes the hybrid weights and re-runs under them', async () => {
    const policy = region('Policy');
    await policy.getByRole('combobox', { name: 'Policy', exact: true }).selectOption('hybrid');
    expect(await policy.locator('#policy-explain').innerText()).toMatch(/No local model: importance is a labelled recency fallback/);
    expect(await policy.getByLabel('Summary interval', { exact: true }).count()).toBe(0);
    expect(await policy.getByLabel('Probes', { exact: true }).inputValue()).toBe('8');
    for (const w of ['Importance', 'Uniqueness', 'Recency']) await policy.getByLabel(`${w} weight`).fill('0');
    expect(await policy.getByRole('alert').innerText()).toMatch(/weights must be three non-negative numbers, not all 0/);
    expect(await policy.getByRole('button', { name: 'Apply and re-run' }).isDisabled()).toBe(true);
    await policy.getByLabel('Importance weight').fill('1.5');
    await policy.getByLabel('Uniqueness weight').fill('0.3');
    await policy.getByLabel('Recency weight').fill('0.2');
    expect(await policy.locator('#policy-weights-hint').innerText()).toBe('of the score: importance 75% · uniqueness 15% · recency 10%');
    await policy.getByRole('button', { name: 'Apply and re-run' }).click();
    await expect.poll(() => s.page.getByLabel('What changed').innerText(), { timeout: 30_000 }).toMatch(/policy\s+rolling_summary\s+hybrid\s+parameters\s+summary interval 128 tokens, summary gate 1\s+probes 8, weights 1\.5\/0\.3\/0\.2/);
    expect(await policy.getByLabel('Importance weight').inputValue()).toBe('1.5');
    await expect.poll(() => region('Spans').innerText(), { timeout: 30_000 }).toMatch(/hybrid, turn \d+: \d+ of \d+ sentences kept/);
    const policies = await region('Eviction log').getByLabel('Filter by policy').locator('option').allInnerTexts();
    expect(policies).toContain('hybrid');
    expect(policies).not.toContain('rolling_summary');
    await shot('Policy', 'policy-hybrid.png');
    // back to sliding for the tests below
    await policy.getByRole('combobox', { name: 'Policy', exact: true }).selectOption('sliding');
    await policy.getByRole('button', { name: 'Apply and re-run' }).click();
    await expect.poll(() => s.page.getByLabel('What changed').innerText(), { timeout: 30_000 }).toMatch(/policy\s+hybrid\s+sliding/);
  });

  it('explains a token on hover in the context map and jumps to its message on click', async () => {
    const canvas = s.page.getByRole('img', { name: /Token strip/ });
    await canvas.scrollIntoViewIfNeeded();
    const box = (await canvas.boundingBox())!;
    await s.page.mouse.move(box.x + 30, box.y + 20);
    await expect.poll(() => s.page.getByRole('tooltip').innerText()).toMatch(/evicted \(turn \d+, sliding/);
    await s.page.mouse.click(box.x + 30, box.y + 20);
    const selected = s.page.locator('article[aria-label$="message 1"], article[aria-label$="message 2"], article[aria-label$="message 3"]').first();
    await expect.poll(() => selected.isVisible()).toBe(true);
  });

  it('opens a JSONL file through the file input and shows evictions with reasons', async () => {
    const lines = [{ role: 'system', content: 'Be terse.' }];
    for (let i = 0; i < 60; i++) lines.push({ role: 'user', content: `Question ${i}: what is ${i} times 7? Please show the work in a sentence.` }, { role: 'assistant', content: `Answer ${i}: ${i} times 7 is ${i * 7}. That is all.` });
    const file = path.join(s.dataDir, 'arith.jsonl');
    writeFileSync(file, lines.map((l) => JSON.stringify(l)).join('\n'));
    await s.page.getByLabel('Open session').setInputFiles(file);
    await expect.poll(() => s.page.getByLabel('Session title').innerText()).toMatch(/arith · 121 messages/);
    await expect.poll(() => region('Eviction log').innerText()).toMatch(/Question \d+|Answer \d+/);
    await expect.poll(() => region('Chat').textContent()).toContain('Answer 59: 59 times 7 is 413.');
  });

  it('re-runs the session under a new policy setting and shows what changed', async () => {
    const before = await s.page.getByLabel('Used tokens').innerText();
    await s.page.getByLabel('Max tokens', { exact: true }).fill('abc');
    expect(await region('Policy').getByRole('alert').innerText()).toMatch(/whole number/);
    await s.page.getByLabel('Max tokens', { exact: true }).fill('400');
    await s.page.getByLabel('Window', { exact: true }).fill('500');
    expect(await region('Policy').getByRole('alert').innerText()).toMatch(/window \(500\) must be smaller/);
    await s.page.getByLabel('Window', { exact: true }).fill('64');
    await s.page.getByRole('button', { name: 'Apply and re-run' }).click();
    await expect.poll(() => s.page.getByLabel('Used tokens').innerText()).toMatch(/\/ 400$/);
    expect(before).not.toMatch(/\/ 400$/);
    const changed = await s.page.getByLabel('What changed').innerText();
    expect(changed).toMatch(/2048 \/ 256\s+400 \/ 64/);
    expect(await s.page.getByLabel('Latency fallbacks').innerText()).toMatch(/deterministic re-run/);
    await shot('Policy', 'policy-changed.png');
    // a re-run may opt into the latency budget, and then says what it caused
    await s.page.getByLabel('apply the latency budget to the re-run').check();
    await s.page.getByRole('button', { name: 'Apply and re-run' }).click();
    await expect.poll(() => s.page.getByLabel('Latency fallbacks').innerText(), { timeout: 30_000 }).toMatch(/latency budget applied: fell back to sliding on \d+ turns?/);
    await s.page.getByLabel('apply the latency budget to the re-run').uncheck();
  });

  it('turns on query-aware recall and shows what came back, and why', async () => {
    await region('Policy').getByRole('combobox', { name: 'Policy', exact: true }).selectOption('salience');
    await s.page.getByLabel('Recall', { exact: true }).check();
    await s.page.getByRole('button', { name: 'Apply and re-run' }).click();
    await expect.poll(() => region('Spans').innerText(), { timeout: 30_000 }).toMatch(/salience, turn \d+: \d+ of \d+ sentences kept in [\d,]+ tokens/);
    await expect.poll(() => region('Spans').getByLabel('Recall hits').innerText()).toMatch(/#\d+\s+0\.\d{4}\s+#\d+\s+\d+\s+\S/);
    await shot('Spans', 'spans.png');
    const reason = region('Eviction log').getByLabel('Filter by reason');
    await expect.poll(() => reason.locator('option').allInnerTexts(), { timeout: 30_000 }).toContain('recall');
    await reason.selectOption('recall');
    const first = await region('Eviction log').getByRole('listitem').first().innerText();
    expect(first).toMatch(/recall\s+\d+ spans? · \d+ tok back/);
    expect(first).toMatch(/for “Question \d+: what is \d+ times 7/);
    await shot('Eviction log', 'recall-log.png');
    await region('Eviction log').getByLabel('Filter by reason').selectOption('all');
  });

  it('clusters spans with the semantic policy and shows the projection and the embedding cache', async () => {
    await region('Policy').getByRole('combobox', { name: 'Policy', exact: true }).selectOption('semantic');
    await s.page.getByRole('button', { name: 'Apply and re-run' }).click();
    await expect.poll(() => region('Spans').innerText(), { timeout: 30_000 }).toMatch(/semantic, turn \d+: \d+ of \d+ sentences kept/);
    await region('Spans').getByLabel('Span embeddings by cluster').locator('svg.recharts-surface').waitFor();
    await expect.poll(() => region('Cache').innerText(), { timeout: 30_000 }).toMatch(/Embedding cache \(lexical-hash-256\): [\d,]+ hits, [\d,]+ misses/);
    await s.page.waitForTimeout(600);
    await shot('Spans', 'spans-semantic.png');
    await shot('Cache', 'cache-embeddings.png');
  });

  it('runs a what-if and diffs the two contexts', async () => {
    await s.page.getByLabel('A max tokens').fill('300');
    await s.page.getByLabel('B max tokens').fill('1200');
    await s.page.getByLabel('B window').fill('128');
    await s.page.getByRole('button', { name: 'Compare' }).click();
    const result = s.page.getByLabel('What-if result');
    await expect.poll(() => result.isVisible(), { timeout: 30_000 }).toBe(true);
    const text = await result.innerText();
    expect(text).toMatch(/kept in B only: [1-9]\d* tok/);
    expect(text).toMatch(/kept in both: [1-9]\d* tok/);
    await shot('Sessions', 'what-if.png');
    // the comparison is the host's: a reload shows it again (the hello's snapshot carries it)
    await s.page.reload();
    await expect.poll(() => s.page.getByLabel('What-if result').isVisible(), { timeout: 30_000 }).toBe(true);
    expect(await s.page.getByLabel('What-if result').innerText()).toBe(text);
  });

  it('exports the profile as speedscope JSON that validates against the published schema', async () => {
    const download = s.page.waitForEvent('download');
    await s.page.getByRole('button', { name: 'Export speedscope' }).click();
    const file = await (await download).path();
    const json = JSON.parse(readFileSync(file, 'utf8'));
    const ajv = new Ajv({ allErrors: true });
    ajv.addMetaSchema(draft6);
    const validate = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'formats/speedscope-file-format-schema.json'), 'utf8')));
    expect(validate(json), JSON.stringify(validate.errors)).toBe(true);
    expect(json.shared.frames.map((f: { name: string }) => f.name)).toContain('policy:semantic'); // the policy chosen above
  });

  it('connects the tiny local model and streams a reply into the chat', async () => {
    const llama = tinyLlamaDir();
    await s.page.getByRole('button', { name: 'Settings' }).click();
    await s.page.getByLabel('Model', { exact: true }).fill(llama);
    await s.page.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect.poll(() => s.page.getByLabel('Backend').innerText(), { timeout: 60_000 }).toContain('Local:');
    await expect.poll(() => s.page.getByRole('dialog', { name: 'Settings' }).getByText('connected', { exact: true }).isVisible()).toBe(true);
    await s.page.getByRole('button', { name: 'Close' }).click();
    await chatTurn(s.page, 'Hello there, tiny model.');
    await expect.poll(() => region('Cache').innerText()).toMatch(/KV reuse: 0\.0% of prompt tokens over 1 turns/);
    // the second turn shares the first turn's prompt as a prefix: the KV cache serves it
    await chatTurn(s.page, 'And a second question.');
    await expect.poll(() => region('Cache').innerText(), { timeout: 60_000 }).toMatch(/KV reuse: [1-9][\d.]*% of prompt tokens over 2 turns/);
    await shot('Cache', 'cache.png');
  });

  it('restarts a killed engine, restores the autosave and says so', async () => {
    const messages = await s.page.getByLabel('Session title').innerText();
    s.server.supervisor.current!.child.kill('SIGKILL'); // a crash, not a requested restart
    await expect.poll(() => s.page.getByRole('status').filter({ hasText: /The engine restarted: the engine was killed .*\d+ messages were restored/ }).count(), { timeout: 60_000 }).toBeGreaterThan(0);
    await expect.poll(() => s.page.getByLabel('Engine connection').innerText(), { timeout: 30_000 }).toBe('Engine connected');
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toBe(messages);
  });

  it('draws a time ruler over the flamechart, details a clicked span and fits a new session', async () => {
    const profiler = region('Profiler');
    const chart = profiler.getByRole('img', { name: 'Flamechart of engine spans' });
    const summary = profiler.locator('#flamechart-summary');
    const details = region('Span details');
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toMatch(/· [1-9][\d,]* messages/);
    await expect.poll(() => s.page.getByRole('status').filter({ hasText: /^Replaying/ }).count(), { timeout: 30_000 }).toBe(0);
    await chart.scrollIntoViewIfNeeded();
    // the ruler: labelled ticks in ms along the top, drawn on the canvas
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toMatch(/^[1-9][\d,]* of [\d,]+ spans in view \(.+, live\)\. Time ruler from -?[\d.]+ ms to [\d.]+ ms, a tick every [\d.]+ ms\.$/);
    const [, from, to] = /from (\S+) ms to (\S+) ms/.exec((await summary.textContent())!)!;
    expect(Number(to)).toBeGreaterThan(Number(from));
    expect(await rulerInk(chart)).toBeGreaterThan(100);

    // paused (zoomed out a step), a click on a span selects it: the details name the span the tooltip names
    // (a session the restart before restored may still bring a new profile, which returns the chart to
    // live: zoom again until it stays paused)
    const pause = async () => {
      if (!/paused/.test((await summary.textContent()) ?? '')) await chart.press('-');
      return summary.textContent();
    };
    await expect.poll(pause, { timeout: 30_000 }).toMatch(/paused/);
    // notices above the chart (the restart's, from the test before) leave on their own after 8 s and move it
    const dismiss = s.page.getByRole('button', { name: 'Dismiss' });
    while ((await dismiss.count()) > 0) await dismiss.first().click();
    let box = (await chart.boundingBox())!;
    // the canvas draws in its turn of the views' clock and notices above it come and go: probe what it
    // shows, where it is now, and hover there until the tooltip answers (each try leaves the chart
    // first, so the pointer's move is an event even on the same spot)
    let at = { x: 0, y: 0 };
    await expect
      .poll(
        async () => {
          if (!/paused/.test((await pause()) ?? '')) return 0;
          const found = await widestSpanIn(chart, 0);
          if (!found) return 0;
          at = found;
          // (bounded: one stuck call must not use up the whole poll)
          const now = await chart.boundingBox({ timeout: 5_000 }).catch(() => null);
          if (!now) return 0;
          box = now;
          await s.page.mouse.move(box.x + at.x, box.y + box.height + 40);
          await s.page.mouse.move(box.x + at.x, box.y + at.y);
          // the tooltip is React state set by the move: give it a moment to render before the next try moves away
          return profiler
            .getByRole('tooltip')
            .waitFor({ timeout: 3_000 })
            .then(
              () => 1,
              () => 0,
            );
        },
        { timeout: 30_000 },
      )
      .toBeGreaterThan(0);
    const name = /^(\S+) · /.exec(await profiler.getByRole('tooltip').innerText())![1];
    await s.page.mouse.click(box.x + at.x, box.y + at.y);
    await expect.poll(() => details.innerText()).toMatch(new RegExp(`^Span\\s+${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s+Turn · depth\\s+turn \\d+ · depth 0`));
    expect(await details.innerText()).toMatch(/a top-level span · \d+\.\d% of turn \d+[\s\S]*Same name in view\s+[1-9][\d,]* × /);
    await s.page.mouse.move(box.x + at.x, box.y + box.height + 40); // off the chart: no tooltip in the screenshot
    await profiler.getByRole('tooltip').waitFor({ state: 'detached' });
    await shot('Profiler', 'profiler.png');
    await chart.press('Escape');
    await expect.poll(() => details.innerText()).toMatch(/^Click a span/);
    await chart.press('Enter'); // the keyboard selects the span mid-view
    await expect.poll(() => details.innerText()).toMatch(/Turn · depth\s+turn \d+ · depth 0/);
    await s.page.mouse.click(box.x + at.x, box.y + 4); // the ruler: empty space clears
    await expect.poll(() => details.innerText()).toMatch(/^Click a span/);

    // zoomed and panned past the spans: the chart says so, and Reset zoom brings them back
    for (const key of ['+', '+', ...Array<string>(12).fill('ArrowRight')]) await chart.press(key);
    // how far is past the spans depends on how this session's spans spread in time: pan on until none is in view
    await expect
      .poll(async () => {
        const text = (await summary.textContent()) ?? '';
        if (!text.startsWith('0 of ')) await chart.press('ArrowRight');
        return text;
      })
      .toMatch(/^0 of [\d,]+ spans in view \(.+, paused\)/);
    expect(await widestSpanIn(chart, 0)).toBeUndefined();
    await profiler.getByRole('button', { name: 'Reset zoom' }).click();
    await expect.poll(() => summary.textContent()).toMatch(/^[1-9][\d,]* of [\d,]+ spans in view \(.+, live\)/);
    expect(await widestSpanIn(chart, 0)).toBeDefined();
    expect(await profiler.getByRole('button', { name: 'Reset zoom' }).count()).toBe(0);

    // zoomed in with a span selected, then a new session: the view fits the new spans, the selection is gone
    await chart.press('Enter');
    await expect.poll(() => details.innerText()).toMatch(/^Span\s/);
    for (const key of ['+', '+', '+', 'ArrowLeft']) await chart.press(key);
    await expect.poll(() => summary.textContent()).toMatch(/paused/);
    const file = path.join(s.dataDir, 'profile-reset.jsonl');
    writeFileSync(file, Array.from({ length: 30 }, (_, i) => JSON.stringify({ role: i % 2 ? 'assistant' : 'user', content: `Line ${i} of a fresh session, long enough to tokenize.` })).join('\n'));
    await s.page.getByLabel('Open session').setInputFiles(file);
    await expect.poll(() => s.page.getByLabel('Session title').innerText(), { timeout: 30_000 }).toMatch(/profile-reset · 30 messages/);
    await expect.poll(() => summary.textContent(), { timeout: 30_000 }).toMatch(/^[1-9][\d,]* of [\d,]+ spans in view \(.+, live\)\. Time ruler from/);
    expect(await details.innerText()).toMatch(/^Click a span/);
    expect(await widestSpanIn(chart, 0)).toBeDefined();
    expect(await spanInk(chart)).toBeGreaterThan(0);
  });
});
