/** The readable output of `fms sweep`: one row per run, a column per setting the sweep varies. */
import { settingOf } from '../shared/config.js';
import { settingText } from './replaySettings.js';
import { SWEEP_AXES } from './sweepGrid.js';
import type { SweepOutput } from './sweepMerge.js';

/** Columns padded to their widest cell; numbers right-aligned. */
export function alignTable(rows: readonly string[][], right: readonly boolean[]): string {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  return rows.map((r) => r.map((cell, c) => (right[c] ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  ').trimEnd()).join('\n');
}

/** The sweep as a table, with a line saying which shard of how many runs it is. */
export function formatSweep(out: SweepOutput): string {
  const axes = SWEEP_AXES.filter((a) => out.grid.axes[a] !== undefined);
  const head = ['file', ...axes.map((a) => settingOf(a).flag), 'context', 'facts kept', 'evictions', 'engine ms'];
  const rows = out.runs.map((r) => [
    r.file,
    ...axes.map((a) => settingText(settingOf(a), r.settings[a])),
    String(r.contextTokens),
    `${r.factsKept}/${r.factsTotal}${r.factsFrom === 'planted' ? ' planted' : ''}`,
    String(r.evictions),
    r.engineMsTotal.toFixed(1),
  ]);
  const right = [false, ...axes.map(() => false), true, true, true, true];
  const shard = out.shard ? `shard ${out.shard.index}/${out.shard.count}: ` : '';
  const note = `${shard}${out.runs.length} of ${out.grid.runs} runs (${out.grid.files.length} chats x ${out.grid.runs / Math.max(1, out.grid.files.length)} settings); facts: latest values whose sentence is in the final context (the Facts ledger's, or the planted facts beside an eval chat)`;
  return `${alignTable([head, ...rows], right)}\n\n${note}\n`;
}
