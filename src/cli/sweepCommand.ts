/**
 * `fms sweep <file|dir>`: replays every combination of the listed settings on every chat, on worker threads,
 * and prints a table or one JSON object of runs; `--shard i/n` runs a deterministic slice of the grid, and
 * `fms sweep merge` joins the slices' outputs.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { problemsText, settingMessage, settingOf, settingValid, SETTING_LIST, validateConfig, type EngineConfig } from '../shared/config.js';
import type { Limits } from '../shared/limits.js';
import type { HubSettings } from '../engine/node/hubEndpoint.js';
import { readReplayInput, type ReplayInput } from './replayInput.js';
import { replaySettings, settingText } from './replaySettings.js';
import { isFactsFile, readPlantedFacts } from './sweepFacts.js';
import { gridRuns, parseAxis, settingsGrid, shardRuns, SWEEP_AXES, type Shard, type SweepAxes, type SweepAxis } from './sweepGrid.js';
import { mergeSweeps, readSweepOutput, type SweepOutput } from './sweepMerge.js';
import { runPool, type SweepChat, type SweepJob } from './sweepPool.js';
import { formatSweep } from './sweepTable.js';
import { inputError } from './inputError.js';

export interface SweepFlags {
  /** A chat file, or a folder whose .jsonl and .json chats are all swept. */
  target: string;
  /** Each axis flag's occurrences, as given (`--policy sliding,hybrid`). */
  axes: Partial<Record<SweepAxis, string[]>>;
  /** The other engine flags given (one value each): every run takes them. */
  settings: Partial<EngineConfig>;
  json: boolean;
  /** Worker threads (default: every core). */
  workers?: number;
  shard?: Shard;
  /** Progress on stderr even when it is not a terminal. */
  progress: boolean;
  tokenizer: string;
  limits?: Limits;
  /** Where the workers load a Hub tokenizer from (HF_ENDPOINT) and keep it: set for a tokenizer that is not a local folder. */
  hub?: HubSettings;
}

/** One chat of the sweep, as read. */
interface SweepInput {
  file: string;
  input: ReplayInput;
  chat: SweepChat;
}

export async function runSweep(flags: SweepFlags): Promise<number> {
  const axes: SweepAxes = {};
  for (const axis of SWEEP_AXES) {
    const given = flags.axes[axis];
    if (given === undefined || given.length === 0) continue;
    try {
      (axes as Record<string, unknown[]>)[axis] = parseAxis(axis, given);
    } catch (err) {
      throw inputError((err as Error).message);
    }
  }
  for (const s of SETTING_LIST) {
    const v = flags.settings[s.name];
    if (v !== undefined && !settingValid(s, v)) throw inputError(settingMessage(s, v, `--${s.flag}`));
  }
  const inputs = await readInputs(flags.target, flags.limits);
  const combos = settingsGrid(axes);
  const runs = gridRuns(inputs.length, combos.length);
  const configs = runs.map((r) => {
    const { config } = replaySettings({ ...flags.settings, ...combos[r.settings] }, inputs[r.file].input.saved);
    const bad = validateConfig(config);
    if (bad.length > 0) throw inputError(`${inputs[r.file].file} with ${flagsText(config)}: ${problemsText(bad)}`);
    return config;
  });
  const mine = shardRuns(runs, flags.shard);
  const jobs: SweepJob[] = mine.map((r) => ({ index: r.index, file: r.file, config: configs[r.index] }));
  const progress = flags.progress || process.stderr.isTTY === true ? progressLine(process.stderr.isTTY === true) : undefined;
  const figures = await runPool({
    ...workerModule(),
    data: { tokenizer: flags.tokenizer, chats: inputs.map((i) => i.chat), ...(flags.hub ? { hub: flags.hub } : {}) },
    jobs,
    workers: flags.workers ?? availableParallelism(),
    onRun: progress,
  }).catch((err: Error) => Promise.reject(inputError(err.message)));
  if (progress && process.stderr.isTTY) process.stderr.write('\r\x1b[K');
  const output: SweepOutput = {
    format: 'fms-sweep',
    version: 1,
    grid: { files: inputs.map((i) => i.file), axes, base: { ...flags.settings }, tokenizer: flags.tokenizer, runs: runs.length },
    ...(flags.shard ? { shard: flags.shard } : {}),
    runs: mine.map((r) => ({ index: r.index, file: inputs[r.file].file, settings: combos[r.settings], ...figures.get(r.index)! })),
  };
  process.stdout.write(flags.json ? `${JSON.stringify(output)}\n` : formatSweep(output));
  return 0;
}

/** `fms sweep merge a.json b.json ...`: the shards' outputs as one. */
export async function runSweepMerge(files: readonly string[], json: boolean): Promise<number> {
  if (files.length === 0) throw inputError('merge needs the sweep outputs to merge (fms sweep merge a.json b.json ...)');
  try {
    const outputs = await Promise.all(files.map(async (file) => ({ file, output: await readSweepOutput(file) })));
    const merged = mergeSweeps(outputs);
    process.stdout.write(json ? `${JSON.stringify(merged)}\n` : formatSweep(merged));
  } catch (err) {
    throw inputError((err as Error).message);
  }
  return 0;
}

/** The swept settings of a run's configuration as flags: `--policy hybrid --max-tokens 256 ...`. */
function flagsText(config: EngineConfig): string {
  return SWEEP_AXES.map((a) => `--${settingOf(a).flag} ${settingText(settingOf(a), config[a])}`).join(' ');
}

/**
 * The worker's module beside this one: dist/cli/sweepWorker.js in the built CLI; run from the sources (tsx),
 * sweepWorker.ts with tsx's loader (a worker thread does not inherit the loader the main thread registered).
 */
function workerModule(): { worker: URL; typescript?: boolean } {
  const built = new URL('./sweepWorker.js', import.meta.url);
  if (existsSync(fileURLToPath(built))) return { worker: built };
  return { worker: new URL('./sweepWorker.ts', import.meta.url), typescript: true };
}

/** The stderr progress: `runs done/total`, rewritten in place on a terminal, a line per run otherwise. */
function progressLine(tty: boolean): (done: number, total: number) => void {
  return (done, total) => void process.stderr.write(tty ? `\r\x1b[Ksweep: ${done}/${total} runs` : `sweep: ${done}/${total} runs\n`);
}

/**
 * The chats of a sweep: one file, or every .jsonl and .json file in a folder (not its subfolders) that `fms
 * replay` reads, by name; a folder's files that it cannot read or that have no user message are skipped with a
 * note on stderr, and planted-facts files (x.facts.json) are not chats. Each with its planted facts, if any.
 */
async function readInputs(target: string, limits: Limits | undefined): Promise<SweepInput[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(target)).isDirectory();
  } catch {
    throw inputError(`${target}: no such file or folder`);
  }
  if (!isDir) return [await readInput(target, limits)];
  const names = (await readdir(target)).filter((n) => /\.(jsonl|json)$/i.test(n) && !isFactsFile(n)).sort();
  const out: SweepInput[] = [];
  for (const name of names) {
    const file = path.join(target, name);
    try {
      if ((await stat(file)).isFile()) out.push(await readInput(file, limits));
    } catch (err) {
      process.stderr.write(`fms: skipped ${(err as Error).message}\n`);
    }
  }
  if (out.length === 0) throw inputError(`${target}: no chat that fms replay reads (.jsonl or .json)`);
  return out;
}

/** One chat file and its planted facts; throws one line naming the file. */
async function readInput(file: string, limits: Limits | undefined): Promise<SweepInput> {
  let input: ReplayInput;
  try {
    input = await readReplayInput(file, limits);
  } catch (err) {
    const message = (err as Error).message;
    throw inputError(message.includes(file) ? message : `${file}: ${message}`);
  }
  if (!input.messages.some((m) => m.role === 'user')) throw inputError(`${file}: no user message to use as the query`);
  try {
    const planted = await readPlantedFacts(file);
    return { file, input, chat: { messages: input.messages, ...(planted ? { planted } : {}) } };
  } catch (err) {
    throw inputError((err as Error).message);
  }
}
