import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticChat } from '../engine/testing/syntheticChat.js';
import { testTokenizer } from '../engine/testing/testTokenizer.js';
import { replayMessages } from '../engine/replay.js';
import { plantedChat } from '../eval/plantedChat.js';
import { retention } from '../eval/retention.js';
import { ALL_NAMES } from '../eval/plantedFacts.js';
import { writePlantedChat } from './sweepFacts.js';
import { gridRuns, parseAxis, parseShard, settingsGrid, shardRuns } from './sweepGrid.js';
import type { SweepOutput } from './sweepMerge.js';
import { runFms as fms } from '../engine/testing/runFms.js';

const dir = mkdtempSync(path.join(tmpdir(), 'fms-sweep-'));
const chats = path.join(dir, 'chats');

/** `fms sweep ... --json`, parsed; fails the test on a non-zero exit. */
function sweep(...args: string[]): SweepOutput {
  const r = fms('sweep', ...args, '--json');
  // a folder's file that is not a chat is skipped with one line saying so; nothing else goes to stderr
  expect(r.stderr.split('\n').filter((l) => l && !l.includes('notes.json'))).toEqual([]);
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as SweepOutput;
}

/** The output without engine times (the one figure that differs from run to run). */
const untimed = (o: SweepOutput) => ({ ...o, runs: o.runs.map(({ engineMsTotal, ...r }) => (void engineMsTotal, r)) });

const GRID = ['--policy', 'sliding,hybrid', '--max-tokens', '300,600', '--recall', 'on,off', '--window', '64'];

beforeAll(() => {
  execFileSync(process.execPath, ['scripts/build-cli.mjs']);
  mkdirSync(chats);
  for (const seed of [1, 2]) {
    const chat = syntheticChat({ seed, turns: 30 });
    chat.push({ role: 'user', content: 'What did Kenji say about the March 3 report?' });
    writeFileSync(path.join(chats, `chat${seed}.jsonl`), chat.map((m) => JSON.stringify(m)).join('\n') + '\n');
  }
  writeFileSync(path.join(chats, 'notes.json'), '{"not": "a chat"}\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the grid', () => {
  it('is the full product of the lists, the first axis varying slowest', () => {
    const grid = settingsGrid({ policy: ['sliding', 'hybrid'], maxTokens: [300, 600, 900], weights: parseAxis('weights', ['1,0,0;0,1,1', '2,2,2']) as never });
    expect(grid).toHaveLength(2 * 3 * 3);
    expect(new Set(grid.map((g) => JSON.stringify(g))).size).toBe(18);
    expect(grid[0]).toEqual({ policy: 'sliding', maxTokens: 300, weights: { importance: 1, uniqueness: 0, recency: 0 } });
    expect(grid[17]).toEqual({ policy: 'hybrid', maxTokens: 900, weights: { importance: 2, uniqueness: 2, recency: 2 } });
    expect(settingsGrid({})).toEqual([{}]);
  });

  it('splits into shards that partition it', () => {
    const runs = gridRuns(3, 7);
    for (const n of [1, 2, 4, 21, 30]) {
      const slices = Array.from({ length: n }, (_, i) => shardRuns(runs, parseShard(`${i + 1}/${n}`)).map((r) => r.index));
      expect(slices.flat().sort((a, b) => a - b)).toEqual(runs.map((r) => r.index));
    }
  });
});

describe('fms sweep', () => {
  it('gives, run for run, what fms replay --json gives for the same file and settings', () => {
    expect(fms('sweep', chats, '--policy', 'sliding').stderr).toMatch(/^fms: skipped .*notes\.json: .*\n$/);
    const out = sweep(chats, ...GRID);
    expect(out.grid.files).toEqual([path.join(chats, 'chat1.jsonl'), path.join(chats, 'chat2.jsonl')]);
    expect(out.runs.map((r) => r.index)).toEqual([...Array(16).keys()]);
    for (const run of out.runs) {
      const s = run.settings;
      const r = fms('replay', run.file, '--policy', s.policy!, '--max-tokens', String(s.maxTokens), '--recall', s.recall ? 'on' : 'off', '--window', '64', '--json');
      const replay = JSON.parse(r.stdout) as { contextTokens: number; evictions: number; turns: unknown[]; facts: { total: number } };
      expect({ contextTokens: run.contextTokens, evictions: run.evictions, turns: run.turns, facts: run.factsTotal }, `${run.file} ${JSON.stringify(s)}`).toEqual({
        contextTokens: replay.contextTokens,
        evictions: replay.evictions,
        turns: replay.turns.length,
        facts: replay.facts.total,
      });
    }
    // the settings differ in what they keep: the sweep is not one run repeated
    expect(new Set(out.runs.map((r) => r.evictions)).size).toBeGreaterThan(4);
  });

  it('takes --weights triples separated by ; and repeated, each run as fms replay --weights gives it', () => {
    const file = path.join(chats, 'chat2.jsonl');
    const out = sweep(file, '--policy', 'hybrid', '--max-tokens', '400', '--weights', '1,0,0;0,0,1', '--weights', '0,1,0');
    expect(out.runs.map((r) => r.settings.weights)).toEqual([
      { importance: 1, uniqueness: 0, recency: 0 },
      { importance: 0, uniqueness: 0, recency: 1 },
      { importance: 0, uniqueness: 1, recency: 0 },
    ]);
    for (const run of out.runs) {
      const w = run.settings.weights!;
      const replay = JSON.parse(fms('replay', file, '--policy', 'hybrid', '--max-tokens', '400', '--weights', `${w.importance},${w.uniqueness},${w.recency}`, '--json').stdout) as { contextTokens: number; evictions: number };
      expect([run.contextTokens, run.evictions]).toEqual([replay.contextTokens, replay.evictions]);
    }
  });

  it('reports runs done / total on stderr with --progress', () => {
    const r = fms('sweep', path.join(chats, 'chat1.jsonl'), '--policy', 'sliding,hybrid', '--recall', 'on,off', '--progress');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe(['1/4', '2/4', '3/4', '4/4'].map((n) => `sweep: ${n} runs\n`).join(''));
  });

  it('gives the same output on 1 and 2 workers, and sharded then merged', () => {
    const one = sweep(chats, ...GRID, '--workers', '1');
    const two = sweep(chats, ...GRID, '--workers', '2');
    expect(untimed(two)).toEqual(untimed(one));
    const shards = ['1/2', '2/2'].map((s, i) => {
      const file = path.join(dir, `shard${i + 1}.json`);
      const r = fms('sweep', chats, ...GRID, '--shard', s, '--json');
      expect(r.code).toBe(0);
      writeFileSync(file, r.stdout);
      return file;
    });
    const merged = fms('sweep', 'merge', ...shards, '--json');
    expect(merged.stderr).toBe('');
    expect(untimed(JSON.parse(merged.stdout) as SweepOutput)).toEqual(untimed(one));
    // the table of the merge is the table of the whole grid, times aside
    const table = fms('sweep', 'merge', ...shards).stdout;
    expect(table).toContain('16 of 16 runs (2 chats x 8 settings)');
    expect(table.split('\n')[0]).toMatch(/^file +policy +max-tokens +window +recall +context +facts kept +evictions +engine ms$/);

    // merge refuses a gap, a duplicate and another grid, each in one line
    const cases = [
      { files: [shards[0]], error: /^fms: 8 of the grid's 16 runs are in none of the files \(runs 1, 3, 5/ },
      { files: [shards[0], shards[0]], error: /^fms: run 0 \(.*\) is in both .*shard1\.json and .*shard1\.json$/ },
    ];
    const other = path.join(dir, 'other.json');
    writeFileSync(other, fms('sweep', chats, '--policy', 'sliding', '--max-tokens', '300,600', '--recall', 'on,off', '--window', '64', '--shard', '2/2', '--json').stdout);
    cases.push({ files: [shards[0], other], error: /^fms: .*other\.json is from another grid than .*shard1\.json \(its settings lists differ\)$/ });
    for (const c of cases) {
      const r = fms('sweep', 'merge', ...c.files, '--json');
      expect(r.code, c.files.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr.trimEnd()).toMatch(c.error);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('refuses bad values in one line naming the flag, exit 2', () => {
    const file = path.join(chats, 'chat1.jsonl');
    const cases: [string[], RegExp][] = [
      [['--policy', 'sliding,bogus'], /--policy "bogus".*available: sliding/],
      [['--max-tokens', '512,abc'], /--max-tokens must be a whole number >= 16 \(got "abc"\)/],
      [['--max-tokens', '512,8'], /--max-tokens must be a whole number >= 16 \(got 8\)/],
      [['--recall', 'on,maybe'], /--recall must be on or off/],
      [['--weights', '1,0,0;1,2'], /--weights must be three non-negative numbers/],
      [['--policy', 'sliding,sliding'], /--policy lists sliding twice/],
      [['--window', '300', '--max-tokens', '256,1024'], /chat1\.jsonl with --policy sliding --max-tokens 256 --window 300 .*: window \(300\) must be smaller than max tokens \(256\)/],
      [['--shard', '3/2'], /--shard 3\/2: i must be from 1 to n/],
      [['--workers', '0'], /--workers must be at least 1/],
      [['--fact-share', '0.9'], /--fact-share must be a number from 0 to 0.5 \(got 0.9\)/],
    ];
    for (const [args, error] of cases) {
      const r = fms('sweep', file, ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stdout).toBe('');
      expect(r.stderr, args.join(' ')).toMatch(new RegExp(`^fms: .*${error.source}`));
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
    const none = fms('sweep', path.join(dir, 'missing.jsonl'));
    expect([none.code, none.stderr]).toEqual([2, `fms: ${path.join(dir, 'missing.jsonl')}: no such file or folder\n`]);
  });

  it("counts an eval chat's planted facts as the eval does", async () => {
    const planted = path.join(dir, 'planted');
    mkdirSync(planted);
    const chat = plantedChat({ seed: 3, targetTokens: 5000, updates: true });
    const file = path.join(planted, 'updates.jsonl');
    await writePlantedChat(file, chat);
    const out = sweep(planted, '--policy', 'sliding,rolling_summary', '--max-tokens', '500,1500', '--window', '128');
    expect(out.grid.files).toEqual([file]); // the facts file beside it is not a chat
    const tokenizer = await testTokenizer();
    const kept = out.runs.map((run) => {
      expect(run.factsFrom).toBe('planted');
      expect(run.factsTotal).toBe(chat.facts.length);
      const replay = replayMessages(chat.messages, tokenizer, { ...run.settings, window: 128 });
      return [run.factsKept, retention(replay.context, chat.facts, ALL_NAMES).overall.kept];
    });
    expect(kept.map(([sweep]) => sweep)).toEqual(kept.map(([, evalKept]) => evalKept));
    // a small budget loses some facts, a large one keeps more: the count is measured, not constant
    expect(Math.min(...kept.map(([k]) => k))).toBeLessThan(Math.max(...kept.map(([k]) => k)));
  });

  it("counts a plain chat's facts from its Facts ledger", () => {
    const planted = path.join(dir, 'plain');
    mkdirSync(planted);
    const chat = plantedChat({ seed: 4, targetTokens: 4000 });
    const file = path.join(planted, 'chat.jsonl');
    writeFileSync(file, chat.messages.map((m) => JSON.stringify(m)).join('\n') + '\n');
    const out = sweep(file, '--max-tokens', '400,4000');
    const facts = (JSON.parse(fms('replay', file, '--max-tokens', '4000', '--json').stdout) as { facts: { total: number } }).facts;
    expect(out.runs.map((r) => [r.factsFrom, r.factsTotal])).toEqual([
      ['ledger', facts.total],
      ['ledger', facts.total],
    ]);
    expect(out.runs[0].factsKept).toBeLessThan(out.runs[1].factsKept);
    expect(out.runs[1].factsKept).toBeGreaterThan(0);
  });
});
