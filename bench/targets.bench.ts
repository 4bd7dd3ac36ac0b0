// The performance issue's target table from the figures the other benches recorded in this run
// (bench/util.ts record()): each row with its peer or limit beside it, the ratio, and whether the
// target holds. `npm run bench` runs this last; `npm run bench targets` reprints the last run's.
import { readRecords, RESULTS_FILE, table } from './util.js';

const rows = readRecords();
if (rows.length === 0) {
  console.log(`no target figures recorded yet (${RESULTS_FILE}); run \`npm run bench\``);
} else {
  const held = rows.filter((r) => r.holds).length;
  console.log(
    table(`Targets (${held} of ${rows.length} hold on this run)`, ['figure', 'ours', 'peer or limit (same run)', 'ratio', 'target', 'holds'], rows.map((r) => [r.figure, r.value, r.peer, r.ratio, r.target, r.holds ? 'yes' : '**no**'])),
  );
}
