import type { EvictionEvent, MessageData } from '../../shared/protocol';
import { EVICTION_LOG_CAP } from '../../shared/view/evictionRing.js';
import { formatCount } from '../lib/formatNumber';
import { evictionStore, factsStore, sessionStore, windowStore } from '../state/stores';
import { factAt, factHoverText } from './factsRows';
import type { Run } from '../../shared/view/tokenStates.js';

/**
 * What the map's tooltip says about the token at `pos` (in `run`): whose it is, its state and why, and
 * the fact its sentence states when it is a fact's latest statement.
 */
export function hoverText(run: Run, pos: number): string | undefined {
  const m = sessionStore.getState().messages.byId(run.messageId);
  if (!m) return undefined;
  const found = run.seq !== undefined ? evictionStore.getState().log.findSeq(run.seq) : undefined;
  const ev = found?.type === 'eviction' ? found : undefined;
  const state = stateText(run, m, pos, ev, run.seq !== undefined && !found);
  const fact = factAt(factsStore.getState().ledger, m.id, pos - m.startPos);
  return `#${m.id} ${m.role} · tokens ${run.start - m.startPos}–${run.end - m.startPos} of ${m.tokens}\n${state}${fact ? `\n${factHoverText(fact)}` : ''}\n“${(ev?.preview ?? m.content).slice(0, 200)}”`;
}

/** `dropped`: evicted before the rows the log keeps: that it was is known, its reason no longer is. */
function stateText(run: Run, m: MessageData, pos: number, ev: EvictionEvent | undefined, dropped: boolean): string {
  const recalled = windowStore.getState().context?.segments.some((sg) => sg.recalled && sg.messageId === m.id && pos >= m.startPos + sg.from && pos < m.startPos + sg.to);
  if (recalled) return `recalled: evicted earlier, brought back for the latest message (was ${ev?.reason.kind ?? 'evicted'})`;
  if (dropped) return `${run.state}: its reason is no longer kept (the log keeps its newest ${formatCount(EVICTION_LOG_CAP)} rows)`;
  if (run.state === 'summarized') return `summarized (turn ${ev?.turn ?? '?'}, ${ev?.reason.policy ?? ''}): ${ev?.reason.detail ?? 'folded into the rolling summary'}`;
  if (run.state === 'evicted') return `evicted (turn ${ev?.turn ?? '?'}, ${ev?.reason.policy ?? ''} / ${ev?.reason.kind ?? ''}): ${ev?.reason.detail ?? ''}`;
  return run.state === 'pinned' ? 'pinned: never evicted' : 'in the window';
}
