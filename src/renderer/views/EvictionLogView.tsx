import { memo, useMemo, useState, type ReactNode } from 'react';
import { KeyRecycler } from '../lib/keyRecycler';
import { useViewStore } from '../lib/viewClock';
import { evictionStore, sessionStore, uiStore, windowStore, type LogRow } from '../state/stores';
import { filterOptions, matchingRows, rowsInView, shownText, supersededBy, toneOf, type LogTone } from './evictionLogRows';
import { formatCount } from '../lib/formatNumber';

const TINT: Record<LogTone, string> = {
  recalled: 'color-mix(in srgb, var(--recalled) 12%, transparent)',
  summary: 'color-mix(in srgb, var(--summary) 14%, transparent)',
  superseded: 'color-mix(in srgb, var(--superseded) 12%, transparent)',
};
const tintOf = (r: LogRow) => {
  const tone = toneOf(r);
  return tone && TINT[tone];
};

/** A row's pitch (px): the .log-row is 2 px shorter (styles.css). */
const ROW = 48;
const HEIGHT = 300;
/**
 * Rows rendered above and below the visible ones once the list is scrolled or focused (a scroll
 * renders the new ones at once; see rowsInView). During a fast replay every rendered row is new each
 * tick: 2 instead of 5 above and 10 below is 11 rows instead of 17 rendered and laid out.
 */
const OVERSCAN = 2;

/**
 * One row per eviction, newest first, virtualized: only the visible rows are read from the log's
 * ring and put in the DOM. The header's counts are exact and counted apart (evictions as the engine's
 * `evictions` stat, recalls, summaries); the list has the rows the log keeps.
 */
export function EvictionLogView() {
  const log = useViewStore(evictionStore, (s) => s.log);
  // the ring is mutated in place: its version says when the rows changed
  const version = useViewStore(evictionStore, (s) => s.version);
  const counts = useViewStore(evictionStore, (s) => s.counts);
  // the engine's own count of tokens out of the context now (recalled ones are back in): what `fms replay` reports
  const outOfContext = useViewStore(windowStore, (s) => s.stats?.tokensEvicted ?? 0);
  const [kind, setKind] = useState('all');
  const [policy, setPolicy] = useState('all');
  const [scroll, setScroll] = useState(0);
  // focus inside the list (Tab through its rows' buttons): the rows around it are rendered too
  const [focused, setFocused] = useState(false);
  // during a fast replay every visible row is new each tick: new rows reuse the elements of those that
  // scrolled out (updated in place, not unmounted and mounted anew)
  const [recycler] = useState(() => new KeyRecycler<number>());
  const { kinds, policies } = useMemo(() => filterOptions(log), [log, version]);
  const matches = useMemo(() => matchingRows(log, { kind, policy }), [log, version, kind, policy]);
  const count = matches?.length ?? log.size;
  const { from, to } = rowsInView(scroll, count, { row: ROW, height: HEIGHT, overscan: OVERSCAN, focused });
  const visible: { at: number; row: LogRow; time: number | undefined }[] = [];
  for (let at = from; at < to; at++) {
    const i = matches ? matches[at] : at;
    visible.push({ at, row: log.newest(i)!, time: log.timeOfNewest(i) });
  }
  const keys = recycler.keysFor(visible.map((v) => v.row.seq));

  return (
    <section className="panel" aria-label="Eviction log">
      <h2>
        Eviction log{' '}
        <span className="hint" aria-label="Eviction totals">
          <span>{n(counts.evictions)} evictions</span> · <span title="tokens evicted and not brought back by recall">{n(outOfContext)} tokens out of context</span>
          {counts.recalls > 0 && <> · <span>{n(counts.recalls)} recalls</span></>}
          {counts.summaries > 0 && <> · <span>{n(counts.summaries)} summaries</span></>}
        </span>
      </h2>
      <div className="row" style={{ marginBottom: 6 }}>
        <label>
          Reason{' '}
          <select aria-label="Filter by reason" value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="all">all</option>
            {kinds.map((k) => (
              <option key={k}>{k}</option>
            ))}
          </select>
        </label>
        <label>
          Policy{' '}
          <select aria-label="Filter by policy" value={policy} onChange={(e) => setPolicy(e.target.value)}>
            <option value="all">all</option>
            {policies.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
        <span className="muted">{shownText(count, matches !== undefined, log)}</span>
      </div>
      <div role="list" aria-label="Evictions" className="fixed-box" style={{ height: HEIGHT, overflow: 'auto', position: 'relative' }} onScroll={(e) => setScroll(e.currentTarget.scrollTop)}
        onFocus={() => setFocused(true)}
        onBlur={(e) => setFocused(e.currentTarget.contains(e.relatedTarget))}
      >
        <div style={{ height: count * ROW, position: 'relative' }}>
          {visible.map(({ at, row: r, time }, k) => (
            <div
              key={keys[k]}
              role="listitem"
              aria-label={`${r.type} ${r.seq}`}
              className="log-row"
              style={{ top: at * ROW, background: tintOf(r) }}
            >
              <RowContent r={r} time={time} />
            </div>
          ))}
        </div>
        {count === 0 && <p className="muted">Nothing evicted yet: the conversation fits the budget.</p>}
      </div>
    </section>
  );
}

const jump = (id: number) => uiStore.setState((s) => ({ selectedMessageId: id, jump: s.jump + 1 }));
// by the list's id index: a walk of the conversation per row would cost O(messages) each batch
const roleOf = (id: number) => sessionStore.getState().messages.byId(id)?.role ?? '';

/** A row's text, rendered once: a batch moves the rows down the list (their `top`), it does not change them. */
const RowContent = memo(function RowContent({ r, time }: { r: LogRow; time: number | undefined }) {
  return r.type === 'recall' ? <RecallRow r={r} time={time} jump={jump} /> : r.type === 'summary' ? <SummaryRow r={r} time={time} jump={jump} /> : <EvictionRow r={r} time={time} jump={jump} roleOf={roleOf} />;
});

const n = formatCount;
// toLocaleTimeString() made a formatter per call; one formatter with its default options says the same
const TIME = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: 'numeric', second: 'numeric' });
const clock = (t: number | undefined) => TIME.format(t ?? 0);

const ONE_LINE = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;

/**
 * The two lines every log row has: turn, time, pills, a summary, details (ellipsized, full text on
 * hover) and a button that jumps to the message; then a preview line.
 */
function RowFrame(props: { turn: number; time: number | undefined; pills: ReactNode; what: ReactNode; details: ReactNode; detailsTitle?: string; messageId: number; button: ReactNode; preview: ReactNode; previewTitle: string; jump: (id: number) => void }) {
  return (
    <>
      <div className="row" style={{ gap: 6, flexWrap: 'nowrap', whiteSpace: 'nowrap', overflow: 'hidden' }}>
        <span className="muted">turn {props.turn}</span>
        <span className="muted">{clock(props.time)}</span>
        {props.pills}
        <span>{props.what}</span>
        <span className="muted" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }} title={props.detailsTitle}>
          {props.details}
        </span>
        <button type="button" style={{ padding: '0 6px', marginLeft: 'auto', flexShrink: 0 }} onClick={() => props.jump(props.messageId)} aria-label={`Show message ${props.messageId}`}>
          {props.button}
        </button>
      </div>
      <div className="muted" style={ONE_LINE} title={props.previewTitle}>
        {props.preview}
      </div>
    </>
  );
}

const budgetText = (b: { usedBefore: number; usedAfter: number; maxTokens: number }) => `budget ${b.usedBefore}→${b.usedAfter}/${b.maxTokens}`;

function EvictionRow({ r, time, jump, roleOf }: { r: Extract<LogRow, { type: 'eviction' }>; time: number | undefined; jump: (id: number) => void; roleOf: (id: number) => string }) {
  const id = r.ranges[0]?.messageId ?? 0;
  const by = supersededBy(r);
  return (
    <RowFrame
      turn={r.turn}
      time={time}
      pills={
        <>
          <span className="pill">{r.reason.policy}</span>
          <span className={r.reason.kind === 'superseded' ? 'pill superseded' : 'pill'}>{r.reason.kind}</span>
          {by !== undefined && (
            <button type="button" className="link" style={{ flexShrink: 0 }} onClick={() => jump(by)} aria-label={`Show message ${by}, which superseded it`}>
              by #{by}
            </button>
          )}
        </>
      }
      what={`${r.tokens} tok`}
      details={`${r.reason.kind === 'superseded' && by === undefined ? `${r.reason.detail} · ` : ''}pos ${r.startPos}–${r.endPos} · ${budgetText(r.reason.budget)}${r.reason.score !== undefined ? ` · score ${r.reason.score.toFixed(3)}` : ''}${r.reason.cluster !== undefined ? ` · cluster ${r.reason.cluster}` : ''}`}
      messageId={id}
      button={`#${id} ${roleOf(id)}`}
      preview={r.preview}
      previewTitle={`${r.reason.detail}\n${r.preview}`}
      jump={jump}
    />
  );
}

function RecallRow({ r, time, jump }: { r: Extract<LogRow, { type: 'recall' }>; time: number | undefined; jump: (id: number) => void }) {
  const top = r.spans[0];
  return (
    <RowFrame
      turn={r.turn}
      time={time}
      pills={
        <span className="pill" style={{ color: 'var(--recalled)', borderColor: 'var(--recalled)' }}>
          recall
        </span>
      }
      what={`${r.spans.length} span${r.spans.length === 1 ? '' : 's'} · ${r.tokens} tok back`}
      details={`best score ${top?.score.toFixed(4)}${top?.bm25Rank !== undefined ? ` (BM25 #${top.bm25Rank})` : ''} · ${budgetText(r.budget)}`}
      messageId={top?.messageId ?? 0}
      button={`#${top?.messageId}`}
      preview={`for “${r.query.slice(0, 60)}”: ${top?.preview}`}
      previewTitle={`for: ${r.query}\n${r.spans.map((x) => x.preview).join('\n')}`}
      jump={jump}
    />
  );
}

function SummaryRow({ r, time, jump }: { r: Extract<LogRow, { type: 'summary' }>; time: number | undefined; jump: (id: number) => void }) {
  return (
    <RowFrame
      turn={r.turn}
      time={time}
      pills={
        <span className="pill" style={{ color: 'var(--summary)', borderColor: 'var(--summary)' }}>
          summary
        </span>
      }
      what={`${r.sourceTokens} → ${r.tokens} tok · ${r.method}${r.fallback ? ' (fallback)' : ''}`}
      details={`gate ${r.gate.found}/${r.gate.checked} facts in source ${r.gate.passed ? 'passed' : 'failed'} · pos ${r.startPos}–${r.endPos} · ${budgetText(r.budget)}`}
      detailsTitle={r.fallback}
      messageId={r.messageId}
      button={`#${r.messageId}`}
      preview={`${r.fallback ? `fallback: ${r.fallback} · ` : ''}${r.text}`}
      previewTitle={`${r.fallback ? `fallback: ${r.fallback}\n` : ''}${r.text}`}
      jump={jump}
    />
  );
}
