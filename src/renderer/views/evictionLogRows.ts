import type { EvictionRing, LogRow } from '../../shared/view/evictionRing.js';

export const kindOf = (r: LogRow): string => (r.type === 'eviction' ? r.reason.kind : r.type);
export const policyOf = (r: LogRow): string => (r.type === 'recall' ? 'recall' : r.type === 'summary' ? 'rolling_summary' : r.reason.policy);

export interface LogFilter {
  kind: string;
  policy: string;
}

/** The reasons and policies of the rows the log keeps, for the filters' options. */
export function filterOptions(log: EvictionRing): { kinds: string[]; policies: string[] } {
  const kinds = new Set<string>();
  const policies = new Set<string>();
  for (let i = log.size - 1; i >= 0; i--) {
    const r = log.newest(i)!;
    kinds.add(kindOf(r));
    policies.add(policyOf(r));
  }
  return { kinds: [...kinds], policies: [...policies] };
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
  const n = (x: number) => x.toLocaleString('en-US');
  if (log.dropped === 0) return `${n(shown)} shown, newest first`;
  const kept = `the newest ${n(log.size)} of ${n(log.total)} rows`;
  return filtered ? `${n(shown)} shown from ${kept}, newest first` : `showing ${kept}, newest first`;
}
