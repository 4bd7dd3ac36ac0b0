import { memo, useMemo, useState, type KeyboardEvent } from 'react';
import type { FactRow } from '../../shared/protocol';
import { send } from '../client/connection';
import { formatCount } from '../lib/formatNumber';
import { useViewStore } from '../lib/viewClock';
import { factsStore, uiStore } from '../state/stores';
import { factRows, factText, headerText, historyText, sameFact, STATE_LABEL } from './factsRows';

/** Older values a row lists (newest first); the rest are counted. */
const HISTORY_SHOWN = 4;

const jump = (id: number) => uiStore.setState((s) => ({ selectedMessageId: id, jump: s.jump + 1 }));
const pin = (r: FactRow) => send({ type: 'pinFact', factId: r.id, pinned: !r.pinned });
const forget = (r: FactRow) => send({ type: 'forgetFact', factId: r.id });

/**
 * The fact ledger: each fact's holder, attribute, latest value, the message that stated it, where it is
 * (in context, held by the facts share, a card, evicted, recalled, forgotten; pinned) and the values it
 * superseded. Pin keeps a fact whatever the budget; Forget (confirmed inline) evicts it for good. Both are
 * the engine's commands: the table shows what the engine's next facts event says.
 */
export function FactsView() {
  const ledger = useViewStore(factsStore, (s) => s.ledger);
  const [text, setText] = useState('');
  const [showHistory, setShowHistory] = useState(true);
  // the fact whose Forget waits for its confirmation (by its latest statement's id)
  const [confirming, setConfirming] = useState<number | undefined>();
  const { rows, matching } = useMemo(() => factRows(ledger, { text }), [ledger, text]);
  const empty = !ledger || ledger.rows.length === 0;

  return (
    <section className="panel wide" aria-label="Facts">
      <h2>
        Facts{' '}
        <span className="hint" aria-label="Facts totals">
          {ledger ? headerText(ledger) : 'what the user and the people they mention stated, latest value first'}
        </span>
      </h2>
      {empty ? (
        <p className="muted">No facts yet: statements like “my locker code is 5521” appear here.</p>
      ) : (
        <>
          <div className="row" style={{ marginBottom: 6 }}>
            <input type="search" aria-label="Filter facts" placeholder="holder, attribute or value" style={{ width: 220 }} value={text} onChange={(e) => setText(e.target.value)} />
            <label>
              <input type="checkbox" checked={showHistory} onChange={(e) => setShowHistory(e.target.checked)} /> show superseded
            </label>
            <span className="muted">{shownText(rows.length, matching, ledger.total, text !== '')}</span>
          </div>
          <div className="facts-box">
            <table className="facts-table">
              <colgroup>
                <col style={{ width: '11%' }} />
                <col style={{ width: '17%' }} />
                <col style={{ width: '14%' }} />
                <col style={{ width: 56 }} />
                <col style={{ width: '13%' }} />
                <col />
                <col style={{ width: 178 }} />
              </colgroup>
              <thead>
                <tr>
                  <th>holder</th>
                  <th>attribute</th>
                  <th>value</th>
                  <th>source</th>
                  <th>state</th>
                  <th>history</th>
                  <th>
                    <span className="sr-only">actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <FactLine key={r.id} r={r} showHistory={showHistory} confirming={confirming === r.id} setConfirming={setConfirming} />
                ))}
              </tbody>
            </table>
            {rows.length === 0 && <p className="muted">No fact matches “{text}”.</p>}
          </div>
        </>
      )}
    </section>
  );
}

/** How many rows the table shows, saying so when the filter, the cap or the engine's own cap leaves some out. */
function shownText(shown: number, matching: number, total: number, filtered: boolean): string {
  const n = formatCount;
  if (filtered) return shown < matching ? `showing ${n(shown)} of ${n(matching)} matching, newest first` : `${n(matching)} matching, newest first`;
  if (shown < total) return `showing the newest ${n(shown)} of ${n(total)}`;
  return 'newest first';
}

interface LineProps {
  r: FactRow;
  showHistory: boolean;
  confirming: boolean;
  setConfirming: (id: number | undefined) => void;
}

/**
 * One fact: focusable (Enter jumps to its message), its buttons reachable with Tab. Rendered again only
 * when what it shows changed (every facts event carries new objects for the same rows).
 */
const FactLine = memo(
  function FactLine({ r, showHistory, confirming, setConfirming }: LineProps) {
    const onKeyDown = (e: KeyboardEvent<HTMLTableRowElement>) => {
      if (e.key === 'Enter' && e.target === e.currentTarget) jump(r.messageId);
    };
    const forgotten = r.state === 'forgotten';
    return (
      <tr tabIndex={0} aria-label={`${r.holder}: ${factText(r)}`} className={`fact-row${forgotten ? ' forgotten' : ''}`} onKeyDown={onKeyDown}>
        <td className="ellipsis" title={r.holder}>
          {r.holder}
        </td>
        <td className="ellipsis" title={`${r.label} (${r.attribute})\n“${r.text}”`}>
          {r.label}
          {r.source === 'model' && (
            <span className="pill fact-source" title="found by the connected model">
              model
            </span>
          )}
        </td>
        <td className="fact-value" title={r.value}>
          {r.value}
        </td>
        <td>
          <button type="button" className="link" aria-label={`Show message ${r.messageId}`} onClick={() => jump(r.messageId)}>
            #{r.messageId}
          </button>
        </td>
        <td>
          <span className={`pill fact-state ${r.state}`}>{STATE_LABEL[r.state]}</span>
          {r.pinned && <span className="pill fact-pinned">pinned</span>}
        </td>
        <td aria-label="history">{showHistory ? <History r={r} /> : r.history.length > 0 && <span className="muted">{formatCount(r.history.length)} older</span>}</td>
        <td className="fact-actions">
          {confirming ? (
            <span role="group" aria-label={`Forget ${r.label}?`} onKeyDown={(e) => e.key === 'Escape' && setConfirming(undefined)}>
              <button
                type="button"
                className="danger"
                onClick={() => {
                  forget(r);
                  setConfirming(undefined);
                }}
              >
                Forget it
              </button>{' '}
              <button type="button" autoFocus onClick={() => setConfirming(undefined)}>
                Cancel
              </button>
            </span>
          ) : (
            <>
              <button type="button" disabled={forgotten} onClick={() => pin(r)}>
                {r.pinned ? 'Unpin' : 'Pin'}
              </button>{' '}
              <button type="button" disabled={forgotten} onClick={() => setConfirming(r.id)}>
                Forget
              </button>
            </>
          )}
        </td>
      </tr>
    );
  },
  (a, b) => sameFact(a.r, b.r) && a.showHistory === b.showHistory && a.confirming === b.confirming && a.setConfirming === b.setConfirming,
);

/** The values the fact superseded, newest first, each with the message that stated it. */
function History({ r }: { r: FactRow }) {
  if (r.history.length === 0) return <span className="muted">–</span>;
  const shown = r.history.slice(0, HISTORY_SHOWN);
  return (
    <span className="fact-history">
      {shown.map((h) => (
        <span key={h.id} className="fact-was" title={historyText(h)}>
          was {h.value} (
          <button type="button" className="link" aria-label={`Show message ${h.messageId}`} onClick={() => jump(h.messageId)}>
            #{h.messageId}
          </button>
          )
        </span>
      ))}
      {r.history.length > shown.length && <span className="muted">+{formatCount(r.history.length - shown.length)} older</span>}
    </span>
  );
}
