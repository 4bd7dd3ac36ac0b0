import type { EvictionRing, LogRow } from '../../shared/view/evictionRing.js';
import { formatCount } from '../lib/formatNumber';

export const kindOf = (r: LogRow): string => (r.type === 'eviction' ? r.reason.kind : r.type);
export const policyOf = (r: LogRow): string => (r.type === 'recall' ? 'recall' : r.type === 'summary' ? 'rolling_summary' : r.reason.policy);

/**
 * The colour a row stands out in (its tint and its reason's pill), by what it says: a recall, a rolling
 * summary, or a sentence evicted because a later statement superseded its fact (or the user forgot it).
 */
export type LogTone = 'recalled' | 'summary' | 'superseded';
export function toneOf(r: LogRow): LogTone | undefined {
  if (r.type === 'recall') return 'recalled';
  if (r.type === 'summary') return 'summary';
  return r.reason.kind === 'superseded' ? 'superseded' : undefined;
}

/** The message whose statement superseded this row's fact ("superseded by #12"), if the row says one. */
export function supersededBy(r: LogRow): number | undefined {
  if (r.type !== 'eviction' || r.reason.kind !== 'superseded') return undefined;
  const m = /superseded by #(\d+)/.exec(r.reason.detail);
  return m ? Number(m[1]) : undefined;
}

export interface LogFilter {
  kind: string;
  policy: string;
}

/** Per log: how many rows were seen, and the newest row's number (of all ever pushed) of each reason and policy. */
const seen = new WeakMap<EvictionRing, { total: number; kinds: Map<string, number>; policies: Map<string, number> }>();

/**
 * The reasons and policies of the rows the log keeps, for the filters' options, sorted. Incremental:
 * a call reads only the rows pushed since the last call on the same log (a fast replay re-rendered
 * the log 10 times a second, and walking its 5,000 kept rows each time was ~5% of the renderer's
 * script time); a reason is listed while its newest row is still kept.
 */
export function filterOptions(log: EvictionRing): { kinds: string[]; policies: string[] } {
  let s = seen.get(log);
  if (!s || s.total > log.total) seen.set(log, (s = { total: 0, kinds: new Map(), policies: new Map() }));
  const fresh = Math.min(log.size, log.total - s.total);
  for (let i = fresh - 1; i >= 0; i--) {
    const r = log.newest(i)!;
    const at = log.total - 1 - i;
    s.kinds.set(kindOf(r), at);
    s.policies.set(policyOf(r), at);
  }
  s.total = log.total;
  const oldestKept = log.total - log.size;
  const kept = (m: Map<string, number>) => [...m].filter(([, at]) => at >= oldestKept).map(([k]) => k).sort();
  return { kinds: kept(s.kinds), policies: kept(s.policies) };
}

/**
 * Which kept rows pass the filter, as newest-first positions in the log (`log.newest(i)`), or
 * undefined when nothing is filtered out: then the positions are 0 … log.size - 1 and need no list.
 */
export function matchingRows(log: EvictionRing, { kind, policy }: LogFilter): number[] | undefined {
  if (kind === 'all' && policy === 'all') return undefined;
  const out: number[] = [];
  for (let i = 0; i < log.size; i++) {
    const r = log.newest(i)!;
    if ((kind === 'all' || kindOf(r) === kind) && (policy === 'all' || policyOf(r) === policy)) out.push(i);
  }
  return out;
}

/** What the list shows, saying so when the log no longer keeps its oldest rows. */
export function shownText(shown: number, filtered: boolean, log: Pick<EvictionRing, 'size' | 'total' | 'dropped'>): string {
  const n = formatCount;
  if (log.dropped === 0) return `${n(shown)} shown, newest first`;
  const kept = `the newest ${n(log.size)} of ${n(log.total)} rows`;
  return filtered ? `${n(shown)} shown from ${kept}, newest first` : `showing ${kept}, newest first`;
}

/**
 * Which rows of a virtualized list to render, [from, to): the rows in sight (a box `height` px tall
 * scrolled by `scroll`, rows `row` px apart) and `overscan` above and below, except at the top of the
 * list with no focus inside it. There the list shows the newest rows while a fast replay streams them:
 * each tick brings new ones, so every rendered row is new, and rows below the box were laid out for
 * nobody (10 rows rendered instead of 7). A scroll or a focus (Tab) brings the overscan back: a
 * focused row's neighbours are rendered, so Tab goes on down the list.
 */
export function rowsInView(scroll: number, count: number, view: { row: number; height: number; overscan: number; focused: boolean }): { from: number; to: number } {
  const over = scroll > 0 || view.focused ? view.overscan : 0;
  const first = Math.floor(scroll / view.row);
  const last = Math.floor((scroll + view.height - 1) / view.row);
  return { from: Math.max(0, first - over), to: Math.max(0, Math.min(count, last + 1 + over)) };
}
