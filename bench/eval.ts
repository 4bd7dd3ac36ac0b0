// Retention benchmark: which planted facts survive in the rendered context, per policy × recall ×
// budget, averaged over seeded ~20k-token chats. Run with `npm run eval` (flags: --help).
import { POLICY_NAMES } from '../src/engine/policies/index.js';
import { loadTokenizer } from '../src/engine/node/loadTokenizer.js';
import { EVAL_USAGE, parseEvalArgs, type EvalArgs } from '../src/eval/evalArgs.js';
import { runEval, type EvalReport } from '../src/eval/runEval.js';
import { fmtNum, table } from './util.js';

/** As reported by the original Python project (Finite_Memory_AI): share of facts kept at a budget of 5% / 10% of the chat. */
const REFERENCE = [
  { source: 'original project (reported)', budget: '5%', retention: 22 },
  { source: 'original project (reported)', budget: '10%', retention: 18.5 },
];

let args: EvalArgs;
try {
  args = parseEvalArgs(process.argv.slice(2), POLICY_NAMES);
} catch (err) {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${EVAL_USAGE}\n`);
  process.exit(2);
}
if (args.help) {
  process.stdout.write(`${EVAL_USAGE}\n`);
  process.exit(0);
}

const tokenizer = await loadTokenizer();
let report: EvalReport;
try {
  const tty = process.stderr.isTTY;
  report = runEval(tokenizer, { ...args, onProgress: tty ? (line) => process.stderr.write(`\r\x1b[K${line}`) : undefined });
  if (tty) process.stderr.write('\r\x1b[K');
} catch (err) {
  process.stderr.write(`\neval failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
}

if (args.json) {
  process.stdout.write(`${JSON.stringify({ ...report, reference: REFERENCE, tokenizer: tokenizer.name })}\n`);
} else {
  const pct = (v: number): string => `${v.toFixed(1)}%`;
  const budgetCell = (budget: string, tokens: number): string => (budget.endsWith('%') ? `${budget} of chat (≈${fmtNum(Math.round(tokens))})` : budget);
  const rows: (string | number)[][] = report.rows.map((r) => [
    r.policy,
    r.recall,
    budgetCell(r.budget, r.budgetTokens),
    pct(r.retention.overall),
    pct(r.retention.early),
    pct(r.retention.mid),
    pct(r.retention.late),
    pct(r.askedFactKept),
    ...(args.askAll ? [r.everyFactAsked === undefined ? '—' : pct(r.everyFactAsked)] : []),
    `${r.compressionRatio.toFixed(1)}×`,
    r.engineMsPerTurn.toFixed(3),
  ]);
  for (const ref of REFERENCE) rows.push([ref.source, '—', `${ref.budget} of chat`, pct(ref.retention), '—', '—', '—', '—', ...(args.askAll ? ['—'] : []), '—', '—']);
  const tokens = report.chats.map((c) => c.tokens);
  const facts = report.chats[0]?.facts ?? 0;
  const lines = [
    table(
      `Fact retention (seeds ${report.seeds[0]}..${report.seeds.at(-1)}, ${facts} planted facts per chat, chats of ${Math.min(...tokens)}–${Math.max(...tokens)} tokens, ${tokenizer.name} tokenizer)`,
      ['policy', 'recall', 'budget', 'retention (all facts)', 'early', 'mid', 'late', 'asked fact kept', ...(args.askAll ? ['each fact, when asked'] : []), 'compression', 'engine ms/turn'],
      rows,
    ),
    `A fact counts only when its whole sentence is in the final rendered context; look-alike facts and bare values do not count. "Asked fact kept": the fact the chat's last question is about.`,
    ...(args.askAll ? [`"Each fact, when asked": every chat replayed once per planted fact, ending with a question about that fact (recall on only; ${report.chats.length * (report.chats[0]?.facts ?? 0)} replays per row).`] : []),
    `Retention is pooled over seeds; "% of chat" budgets are resolved per chat (mean shown). Engine ms/turn: policy + context build, tokenization excluded.`,
    report.recall.note,
    `Reference rows are the original project's reported numbers, not measured here.`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}
