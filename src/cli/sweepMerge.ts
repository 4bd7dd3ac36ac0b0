/**
 * A sweep's JSON output, and `fms sweep merge`: the outputs of the shards of one grid (`--shard i/n` on
 * several machines) merged into the output the unsharded sweep gives, refusing outputs of another grid,
 * a run given twice, or a run missing.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Shard, SweepAxes, SweepSettings } from './sweepGrid.js';
import type { RunFigures } from './sweepRun.js';

/** One run in a sweep's output. */
export interface SweepRunRow extends RunFigures {
  /** Its place in the grid (chat-major). */
  index: number;
  file: string;
  settings: SweepSettings;
}

/** What defines a grid: two outputs merge only when these are equal. */
export interface SweepGridInfo {
  files: string[];
  axes: SweepAxes;
  /** The single-valued engine flags, applied to every run. */
  base: Record<string, unknown>;
  tokenizer: string;
  /** Runs in the whole grid. */
  runs: number;
}

/** `fms sweep --json`: the grid, which shard of it (absent for the whole grid), and the runs in grid order. */
export interface SweepOutput {
  format: 'fms-sweep';
  version: 1;
  grid: SweepGridInfo;
  shard?: Shard;
  runs: SweepRunRow[];
}

const count = () => z.int().min(0);
const SweepOutputSchema = z.object({
  format: z.literal('fms-sweep'),
  version: z.literal(1),
  grid: z.object({ files: z.array(z.string()), axes: z.record(z.string(), z.array(z.unknown())), base: z.record(z.string(), z.unknown()), tokenizer: z.string(), runs: count() }),
  shard: z.object({ index: z.int().min(1), count: z.int().min(1) }).optional(),
  runs: z.array(
    z.object({
      index: count(),
      file: z.string(),
      settings: z.record(z.string(), z.unknown()),
      contextTokens: count(),
      factsKept: count(),
      factsTotal: count(),
      factsFrom: z.enum(['planted', 'ledger']),
      evictions: count(),
      engineMsTotal: z.number().min(0),
      turns: count(),
    }),
  ),
});

/** Reads one sweep output file; throws one line naming the file. */
export async function readSweepOutput(file: string): Promise<SweepOutput> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${file}: not JSON (write it with fms sweep --json)`);
  }
  const parsed = SweepOutputSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${file}: not an fms sweep --json output (${issue?.path.join('.') || 'top level'}: ${issue?.message})`);
  }
  return parsed.data as SweepOutput;
}

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);

/**
 * Merges outputs of one grid into the whole grid's output (runs in grid order, no shard). Throws one line when
 * they are from different grids (files, settings lists, single-valued flags, tokenizer), when a run is in two of
 * them, or when a run of the grid is in none.
 */
export function mergeSweeps(outputs: readonly { file: string; output: SweepOutput }[]): SweepOutput {
  if (outputs.length === 0) throw new Error('merge needs sweep outputs to merge (fms sweep merge a.json b.json ...)');
  const [first] = outputs;
  const grid = first.output.grid;
  for (const { file, output } of outputs.slice(1)) {
    const g = output.grid;
    const what = !same(g.files, grid.files) ? 'chats' : !same(g.axes, grid.axes) ? 'settings lists' : !same(g.base, grid.base) ? 'single-valued settings' : !same(g.tokenizer, grid.tokenizer) ? 'tokenizer' : g.runs !== grid.runs ? 'grid size' : undefined;
    if (what) throw new Error(`${file} is from another grid than ${first.file} (its ${what} differ)`);
  }
  const byIndex = new Map<number, { file: string; run: SweepRunRow }>();
  for (const { file, output } of outputs) {
    for (const run of output.runs) {
      const seen = byIndex.get(run.index);
      if (seen) throw new Error(`run ${run.index} (${run.file}, ${JSON.stringify(run.settings)}) is in both ${seen.file} and ${file}`);
      if (run.index >= grid.runs) throw new Error(`${file}: run ${run.index} is outside the grid of ${grid.runs} runs`);
      byIndex.set(run.index, { file, run });
    }
  }
  const missing: number[] = [];
  for (let i = 0; i < grid.runs; i++) if (!byIndex.has(i)) missing.push(i);
  if (missing.length > 0) {
    const shown = missing.slice(0, 8).join(', ') + (missing.length > 8 ? ', ...' : '');
    throw new Error(`${missing.length} of the grid's ${grid.runs} runs are in none of the files (runs ${shown}): a shard is missing`);
  }
  return { format: 'fms-sweep', version: 1, grid, runs: [...byIndex.values()].map((e) => e.run).sort((a, b) => a.index - b.index) };
}
