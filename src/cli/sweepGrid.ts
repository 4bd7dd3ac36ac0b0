/**
 * The grid of `fms sweep`: the settings it varies (each a list of values), every combination of them on
 * every chat, and the deterministic slices `--shard i/n` runs. Pure data: no files, no engine.
 */
import { settingMessage, settingOf, settingValid, parseSettingText } from '../shared/config.js';
import type { SweepAxis } from '../engine/sweep/runFigures.js';

export { SWEEP_AXES, settingsGrid, type SweepAxes, type SweepAxis, type SweepSettings } from '../engine/sweep/runFigures.js';

/**
 * Reads one axis from its flag's occurrences: values separated by commas (`--policy sliding,hybrid`), or for
 * `--weights` I,U,R triples separated by `;`; a repeated flag adds its values. Each value must be valid for the
 * setting on its own (validateConfig's rules between settings are checked per run); a duplicate value is
 * refused, since it would run the same settings twice. Throws one line naming the flag.
 */
export function parseAxis(axis: SweepAxis, occurrences: readonly string[]): unknown[] {
  const s = settingOf(axis);
  const flag = `--${s.flag}`;
  const texts = occurrences.flatMap((o) => o.split(axis === 'weights' ? ';' : ','));
  const values: unknown[] = [];
  const seen = new Set<string>();
  for (const text of texts) {
    if (text.trim() === '') throw new Error(`${flag} has an empty value in "${occurrences.join(' ')}"`);
    const parsed = parseSettingText(s, text, flag);
    if ('message' in parsed) throw new Error(parsed.message);
    if (!settingValid(s, parsed.value)) throw new Error(settingMessage(s, parsed.value, flag));
    const key = JSON.stringify(parsed.value);
    if (seen.has(key)) throw new Error(`${flag} lists ${text.trim()} twice`);
    seen.add(key);
    values.push(parsed.value);
  }
  return values;
}

/** One run of the grid: which chat, which settings, and its place in the grid. */
export interface GridRun {
  index: number;
  file: number;
  settings: number;
}

/** The runs of a grid in order: chat-major (every setting on the first chat, then the second...). */
export function gridRuns(files: number, settings: number): GridRun[] {
  return Array.from({ length: files * settings }, (_, index) => ({ index, file: Math.floor(index / settings), settings: index % settings }));
}

/** A slice of a grid: the `index`-th (from 1) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Reads `--shard i/n` (1 <= i <= n); throws one line. */
export function parseShard(text: string): Shard {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) throw new Error(`--shard must be i/n, e.g. 1/4 (got "${text}")`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index < 1 || index > count) throw new Error(`--shard ${text}: i must be from 1 to n (n at least 1)`);
  return { index, count };
}

/**
 * The runs of one shard: every n-th run of the grid starting at the i-th, so each shard gets a share of every
 * policy and budget (the costly ones are spread, not all in one slice). The shards of a grid partition it.
 */
export function shardRuns<T extends { index: number }>(runs: readonly T[], shard: Shard | undefined): T[] {
  if (!shard) return [...runs];
  return runs.filter((r) => r.index % shard.count === shard.index - 1);
}
