import { memo, useMemo, useState, type KeyboardEvent } from 'react';
import type { FactRow } from '../../shared/protocol';
import { send } from '../client/connection';
import { formatCount } from '../lib/formatNumber';
import { useViewStore } from '../lib/viewClock';
import { factsStore, uiStore } from '../state/stores';
import { rowsInView } from './evictionLogRows';
import { factRows, factText, headerText, historyText, sameFact, shownText, STATE_LABEL } from './factsRows';

/** Older values a row lists (newest first); the rest are counted. */
const HISTORY_SHOWN = 4;
/** A row's height (px, styles.css .fact-row: one line each) and the scrolled box's (its sticky header row included). */
const ROW = 26;
const HEAD = 24;
const HEIGHT = 340;
/** Rows rendered above and below those in sight once the table is scrolled or focused (see rowsInView). */
const OVERSCAN = 4;
const COLUMNS = 7;

const jump = (id: number) => uiStore.setState((s) => ({ selectedMessageId: id, jump: s.jump + 1 }));
const pin = (r: FactRow) => send({ type: 'pinFact', factId: r.id, pinned: !r.pinned });
const forget = (r: FactRow) => send({ type: 'forgetFact', factId: r.id });

/**
 * The fact ledger: each fact's holder, attribute, latest value, the message that stated it, where it is
 * (in context, held by the facts share, evicted, recalled, forgotten; pinned) and the values it
 * superseded. Pin keeps a fact whatever the budget; Forget (confirmed inline) evicts it for good. Both are
 * the engine's commands: the table shows what the engine's next facts event says. Only the rows in sight
 * are rendered (one line each): a ledger of hundreds of facts changes every turn of a replay.
 */
export function FactsView() {
  const ledger = useViewStore(factsStore, (s) => s.ledger);
  const [text, setText] = useState('');
  const [showHistory, setShowHistory] = useState(true);
  // the fact whose Forget waits for its confirmation (by its latest statement's id)
  const [confirming, setConfirming] = useState<number | undefined>();
  const [scroll, setScroll] = useState(0);
  // focus inside the table (Tab through its rows): the rows around it are rendered too
  const [focused, setFocused] = useState(false);
  const rows = useMemo(() => factRows(ledger, { text }), [ledger, text]);
  const { from, to } = rowsInView(scroll, rows.length, { row: ROW, height: HEIGHT - HEAD, overscan: OVERSCAN, focused });
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
            <span className="muted">{shownText(rows.length, ledger, text.trim() !== '')}</span>
          </div>
          <div
            className="facts-box"
            style={{ maxHeight: HEIGHT }}
            onScroll={(e) => setScroll(e.currentTarget.scrollTop)}
            onFocus={() => setFocused(true)}
            onBlur={(e) => setFocused(e.currentTarget.contains(e.relatedTarget))}
          >
            <table className="facts-table" aria-rowcount={rows.length + 1}>
              <colgroup>
                <col style={{ width: '11%' }} />
                <col style={{ width: '17%' }} />
                <col style={{ width: '14%' }} />
                <col style={{ width: 56 }} />
                <col style={{ width: 128 }} />
                <col />
                <col style={{ width: 178 }} />
              </colgroup>
              <thead>
                <tr style={{ height: HEAD }} aria-rowindex={1}>
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
                {from > 0 && <Spacer height={from * ROW} />}
                {rows.slice(from, to).map((r, i) => (
                  <FactLine key={r.id} r={r} index={from + i + 2} showHistory={showHistory} confirming={confirming === r.id} setConfirming={setConfirming} />
                ))}
                {to < rows.length && <Spacer height={(rows.length - to) * ROW} />}
              </tbody>
            </table>
            {rows.length === 0 && <p className="muted">No fact matches “{text}”.</p>}
          </div>
        </>
      )}
    </section>
  );
}

/** The height of the rows not rendered, above or below those in sight. */
function Spacer({ height }: { height: number }) {
  return (
    <tr aria-hidden="true" className="fact-spacer">
      <td colSpan={COLUMNS} style={{ height, padding: 0, border: 'none' }} />
    </tr>
  );
}

interface LineProps {
  r: FactRow;
  /** Its row number for assistive technology (aria-rowindex: the header is 1). */
  index: number;
  showHistory: boolean;
  confirming: boolean;
  setConfirming: (id: number | undefined) => void;
}

/**
 * One fact: focusable (Enter jumps to its message), its buttons reachable with Tab. Rendered again only
 * when what it shows changed (every facts event carries new objects for the same rows).
 */
const FactLine = memo(
  function FactLine({ r, index, showHistory, confirming, setConfirming }: LineProps) {
    const onKeyDown = (e: KeyboardEvent<HTMLTableRowElement>) => {
      if (e.key === 'Enter' && e.target === e.currentTarget) jump(r.messageId);
    };
    const forgotten = r.state === 'forgotten';
    return (
      <tr tabIndex={0} aria-rowindex={index} aria-label={`${r.holder}: ${factText(r)}`} className={`fact-row${forgotten ? ' forgotten' : ''}`} onKeyDown={onKeyDown}>
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
        <td className="fact-value ellipsis" title={r.value}>
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
        <td className="ellipsis" aria-label="history">{showHistory ? <History r={r} /> : r.history.length > 0 && <span className="muted">{formatCount(r.history.length)} older</span>}</td>
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
  (a, b) => sameFact(a.r, b.r) && a.index === b.index && a.showHistory === b.showHistory && a.confirming === b.confirming && a.setConfirming === b.setConfirming,
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
