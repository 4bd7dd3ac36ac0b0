import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
/** Small helpers shared by the benchmarks: percentiles and a markdown table printer. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

export function summarize(samples: number[]): { mean: number; p50: number; p95: number; max: number } {
  const s = [...samples].sort((a, b) => a - b);
  const mean = s.reduce((a, b) => a + b, 0) / Math.max(1, s.length);
  return { mean, p50: percentile(s, 50), p95: percentile(s, 95), max: s[s.length - 1] ?? 0 };
}

export function table(title: string, header: string[], rows: (string | number)[][]): string {
  const fmt = (v: string | number) => (typeof v === 'number' ? fmtNum(v) : v);
  const lines = [`### ${title}`, '', `| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`];
  for (const r of rows) lines.push(`| ${r.map(fmt).join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}

export function fmtNum(v: number): string {
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  if (Math.abs(v) >= 100) return v.toFixed(0);
  if (Math.abs(v) >= 1) return v.toFixed(2);
  return v.toFixed(4);
}

export const mb = (bytes: number): number => bytes / 2 ** 20;

/**
 * One row of the performance issue's target table, recorded by the bench that measures it. `npm run
 * bench` clears the records first and prints them all at the end (bench/targets.bench.ts), so every
 * figure in that table comes from the same run.
 */
export interface TargetRecord {
  /** Stable key; a later record with the same key replaces the earlier one. */
  key: string;
  /** What is measured, as the table names it. */
  figure: string;
  /** Our figure, with its unit ("0.62 s", "0.08 / 0.31 ms"). */
  value: string;
  /** The peer or limit measured in the same run, with its figure ("gpt-tokenizer 1.07M tok/s"). */
  peer: string;
  /** Our figure against the peer ("1.4x the limit", "0.93x"), or "" when there is no ratio. */
  ratio: string;
  /** The target, as the issue states it. */
  target: string;
  /** Whether the target holds on this run. */
  holds: boolean;
}

export const RESULTS_FILE = path.join('.cache', 'bench', 'targets.json');

export function readRecords(): TargetRecord[] {
  try {
    return JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) as TargetRecord[];
  } catch {
    return [];
  }
}

export function record(row: TargetRecord): void {
  const rows = readRecords().filter((r) => r.key !== row.key);
  rows.push(row);
  mkdirSync(path.dirname(RESULTS_FILE), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(rows, null, 2)}\n`);
}
