/**
 * The eval's tables as header + rows (bench/eval.ts prints them as markdown): one per chat family,
 * and one that sets the figures the facts issue targets beside their targets.
 */
import type { ChatFamily } from './plantedChat.js';
import type { EvalReport, EvalRow } from './runEval.js';

export interface TableSpec {
  title: string;
  header: string[];
  rows: string[][];
}

export const pct = (v: number | undefined): string => (v === undefined ? '—' : `${v.toFixed(1)}%`);

const budgetCell = (r: EvalRow): string => (r.budget.endsWith('%') ? `${r.budget} of chat (≈${Math.round(r.budgetTokens).toLocaleString('en-US')})` : r.budget);
const tail = (r: EvalRow): string[] => [`${r.compressionRatio.toFixed(1)}×`, r.engineMsPerTurn.toFixed(3)];

/** The figures of one family: planted (every fact, per third and holder) or updates (latest and stale). */
export function familyTable(report: EvalReport, family: ChatFamily, askAll: boolean): TableSpec | undefined {
  const rows = report.rows.filter((r) => r.family === family);
  const chats = report.chats.filter((c) => c.family === family);
  if (rows.length === 0 || chats.length === 0) return undefined;
  const tokens = chats.map((c) => c.tokens);
  const seeds = `seeds ${report.seeds[0]}..${report.seeds.at(-1)}, chats of ${Math.min(...tokens)}–${Math.max(...tokens)} tokens`;
  if (family === 'planted') {
    return {
      title: `Planted facts (${seeds}, ${chats[0].facts} facts per chat, each stated once)`,
      header: ['policy', 'recall', 'budget', 'kept (all facts)', 'early', 'mid', 'late', "user's own", "others'", 'asked fact kept', ...(askAll ? ['each fact, when asked'] : []), 'compression', 'engine ms/turn'],
      rows: rows.map((r) => [
        r.policy,
        r.recall,
        budgetCell(r),
        pct(r.retention.overall),
        pct(r.retention.early),
        pct(r.retention.mid),
        pct(r.retention.late),
        pct(r.retention.user),
        pct(r.retention.person),
        pct(r.askedFactKept),
        ...(askAll ? [pct(r.everyFactAsked)] : []),
        ...tail(r),
      ]),
    };
  }
  const updated = chats[0].updated;
  return {
    title: `Knowledge updates (${seeds}, ${chats[0].facts} facts per chat, ${updated} restated with new values; only the latest counts)`,
    header: ['policy', 'recall', 'budget', 'latest kept (updated facts)', 'stale', 'latest kept (all facts)', 'asked fact: latest kept', 'asked fact: stale', ...(askAll ? ['each updated fact, when asked: latest', 'stale'] : []), 'compression', 'engine ms/turn'],
    rows: rows.map((r) => [
      r.policy,
      r.recall,
      budgetCell(r),
      pct(r.updated?.kept),
      pct(r.updated?.stale),
      pct(r.facts.kept),
      pct(r.asked.kept),
      pct(r.asked.stale),
      ...(askAll ? [pct(r.everyFactAsked), pct(r.everyFactAskedStale)] : []),
      ...tail(r),
    ]),
  };
}

const mark = (holds: boolean): string => (holds ? '✓' : '✗');

/** The budget the targets are read at: 5% of the chat when run, else the first share, else the first budget. */
export function targetBudget(report: EvalReport): string | undefined {
  const budgets = [...new Set(report.rows.map((r) => r.budget))];
  return budgets.find((b) => b === '5%') ?? budgets.find((b) => b.endsWith('%')) ?? budgets[0];
}

/**
 * One row per policy at the target budget: the issue's targets beside each figure, ✓ where it holds.
 * A figure whose rows were not run shows —. With askAll, the asked-fact figures are every fact asked in turn.
 */
export function targetTable(report: EvalReport, defaultPolicy: string, askAll: boolean): TableSpec | undefined {
  const budget = targetBudget(report);
  if (budget === undefined) return undefined;
  const find = (policy: string, family: ChatFamily, recall: 'on' | 'off'): EvalRow | undefined =>
    report.rows.find((r) => r.policy === policy && r.family === family && r.budget === budget && r.recall === recall);
  const policies = [...new Set(report.rows.map((r) => r.policy))];
  const plantedOff = policies.map((p) => find(p, 'planted', 'off')?.retention.overall);
  const best = Math.max(...plantedOff.map((v) => v ?? -1));
  const asked = (r: EvalRow | undefined): number | undefined => (r === undefined ? undefined : askAll ? (r.everyFactAsked ?? r.askedFactKept) : r.askedFactKept);
  const cell = (v: number | undefined, holds: (v: number) => boolean): string => (v === undefined ? '—' : `${pct(v)} ${mark(holds(v))}`);
  const latestStale = (r: EvalRow | undefined, latest: number, stale: number): string =>
    r?.updated === undefined ? '—' : `${pct(r.updated.kept)} / ${pct(r.updated.stale)} ${mark(r.updated.kept >= latest && r.updated.stale <= stale)}`;
  const rows = policies.map((policy, i) => {
    const off = plantedOff[i];
    const isDefault = policy === defaultPolicy;
    const keptCell = off === undefined ? '—' : `${pct(off)}${off === best ? ' (best)' : ''}${isDefault ? ` ${mark(off >= 70)} (default ≥ 70%)` : ''}`;
    const onAsked = [asked(find(policy, 'planted', 'on')), asked(find(policy, 'updates', 'on'))];
    const updAsked = find(policy, 'updates', 'on');
    return [
      isDefault ? `${policy} (default)` : policy,
      keptCell,
      latestStale(find(policy, 'updates', 'on'), 98, 0),
      latestStale(find(policy, 'updates', 'off'), 70, 2),
      cell(onAsked[0], (v) => v >= 98),
      updAsked === undefined ? '—' : `${pct(onAsked[1])} / ${pct(askAll ? updAsked.everyFactAskedStale : updAsked.asked.stale)} ${mark((onAsked[1] ?? 0) >= 98 && (askAll ? (updAsked.everyFactAskedStale ?? 0) : updAsked.asked.stale) === 0)}`,
    ];
  });
  const bestCell = best < 0 ? '—' : `${pct(best)} ${mark(best >= 80)}`;
  return {
    title: `Targets of the facts issue at ${budget}${budget.endsWith('%') ? ' of the chat' : ' tokens'} (best recall-off policy on planted facts: ${bestCell}, target ≥ 80%)`,
    header: [
      'policy',
      'planted, recall off: kept',
      'updates, recall on: latest / stale (≥ 98% / 0%)',
      'updates, recall off: latest / stale (≥ 70% / ≤ 2%)',
      `planted, recall on: ${askAll ? 'each fact asked' : 'asked fact'} (≥ 98%)`,
      `updates, recall on: ${askAll ? 'each updated fact asked' : 'asked fact'}: latest / stale (≥ 98% / 0%)`,
    ],
    rows,
  };
}
