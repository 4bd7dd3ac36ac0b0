import { useMemo, useState } from 'react';
import { useStore } from 'zustand';
import { evictionStore, sessionStore, uiStore, type LogRow } from '../state/stores';

const kindOf = (r: LogRow): string => (r.type === 'eviction' ? r.reason.kind : r.type);
const policyOf = (r: LogRow): string => (r.type === 'recall' ? 'recall' : r.type === 'summary' ? 'rolling_summary' : r.reason.policy);
const TINT: Partial<Record<LogRow['type'], string>> = {
  recall: 'color-mix(in srgb, var(--recalled) 12%, transparent)',
  summary: 'color-mix(in srgb, var(--summary) 14%, transparent)',
};

const ROW = 48;
const HEIGHT = 300;

/** One row per eviction, newest first, virtualized (only visible rows are in the DOM). */
export function EvictionLogView() {
  const rows = useStore(evictionStore, (s) => s.rows);
  const total = useStore(evictionStore, (s) => s.evictedTokens);
  const times = useStore(evictionStore, (s) => s.times);
  const [kind, setKind] = useState('all');
  const [policy, setPolicy] = useState('all');
  const [scroll, setScroll] = useState(0);
  const policies = useMemo(() => [...new Set(rows.map(policyOf))], [rows]);
  const kinds = useMemo(() => [...new Set(rows.map(kindOf))], [rows]);
  const filtered = useMemo(() => {
    const out: LogRow[] = [];
    for (let i = rows.length - 1; i >= 0; i--) {
      const r = rows[i];
      if ((kind === 'all' || kindOf(r) === kind) && (policy === 'all' || policyOf(r) === policy)) out.push(r);
    }
    return out;
  }, [rows, kind, policy]);
  const first = Math.max(0, Math.floor(scroll / ROW) - 5);
  const visible = filtered.slice(first, first + Math.ceil(HEIGHT / ROW) + 10);
  const jump = (id: number) => uiStore.setState((s) => ({ selectedMessageId: id, jump: s.jump + 1 }));
  const roleOf = (id: number) => sessionStore.getState().messages.find((m) => m.id === id)?.role ?? '';

  return (
    <section className="panel" aria-label="Eviction log">
      <h2>
        Eviction log <span className="hint">{rows.length.toLocaleString()} evictions · {total.toLocaleString()} tokens</span>
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
        <span className="muted">{filtered.length.toLocaleString()} shown, newest first</span>
      </div>
      <div role="list" aria-label="Evictions" style={{ height: HEIGHT, overflow: 'auto', position: 'relative' }} onScroll={(e) => setScroll(e.currentTarget.scrollTop)}>
        <div style={{ height: filtered.length * ROW, position: 'relative' }}>
          {visible.map((r, i) => (
            <div
              key={r.seq}
              role="listitem"
              aria-label={`${r.type} ${r.seq}`}
              style={{ position: 'absolute', top: (first + i) * ROW, left: 0, right: 0, height: ROW - 2, padding: '2px 6px', borderBottom: '1px solid var(--border)', overflow: 'hidden', fontSize: 12, background: TINT[r.type] }}
            >
              {r.type === 'recall' ? <RecallRow r={r} time={times[r.seq]} jump={jump} /> : r.type === 'summary' ? <SummaryRow r={r} time={times[r.seq]} jump={jump} /> : <EvictionRow r={r} time={times[r.seq]} jump={jump} roleOf={roleOf} />}
            </div>
          ))}
        </div>
        {filtered.length === 0 && <p className="muted">Nothing evicted yet: the conversation fits the budget.</p>}
      </div>
    </section>
  );
}

const clock = (t: number | undefined) => new Date(t ?? 0).toLocaleTimeString();

function EvictionRow({ r, time, jump, roleOf }: { r: Extract<LogRow, { type: 'eviction' }>; time: number | undefined; jump: (id: number) => void; roleOf: (id: number) => string }) {
  return (
    <>
      <div className="row" style={{ gap: 6, flexWrap: 'nowrap', whiteSpace: 'nowrap', overflow: 'hidden' }}>
        <span className="muted">turn {r.turn}</span>
        <span className="muted">{clock(time)}</span>
        <span className="pill">{r.reason.policy}</span>
        <span className="pill">{r.reason.kind}</span>
        <span>{r.tokens} tok</span>
        <span className="muted" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
          pos {r.startPos}–{r.endPos} · budget {r.reason.budget.usedBefore}→{r.reason.budget.usedAfter}/{r.reason.budget.maxTokens}
          {r.reason.score !== undefined ? ` · score ${r.reason.score.toFixed(3)}` : ''}
          {r.reason.cluster !== undefined ? ` · cluster ${r.reason.cluster}` : ''}
        </span>
        <button type="button" style={{ padding: '0 6px', marginLeft: 'auto', flexShrink: 0 }} onClick={() => jump(r.ranges[0]?.messageId ?? 0)} aria-label={`Show message ${r.ranges[0]?.messageId}`}>
          #{r.ranges[0]?.messageId} {roleOf(r.ranges[0]?.messageId ?? -1)}
        </button>
      </div>
      <div className="muted" style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={`${r.reason.detail}\n${r.preview}`}>
        {r.preview}
      </div>
    </>
  );
}

function RecallRow({ r, time, jump }: { r: Extract<LogRow, { type: 'recall' }>; time: number | undefined; jump: (id: number) => void }) {
  const top = r.spans[0];
  return (
    <>
      <div className="row" style={{ gap: 6, flexWrap: 'nowrap', whiteSpace: 'nowrap', overflow: 'hidden' }}>
        <span className="muted">turn {r.turn}</span>
        <span className="muted">{clock(time)}</span>
        <span className="pill" style={{ color: 'var(--recalled)', borderColor: 'var(--recalled)' }}>recall</span>
        <span>
          {r.spans.length} span{r.spans.length === 1 ? '' : 's'} · {r.tokens} tok back
        </span>
        <span className="muted" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }}>
          best score {top?.score.toFixed(4)}
          {top?.bm25Rank !== undefined ? ` (BM25 #${top.bm25Rank})` : ''} · budget {r.budget.usedBefore}→{r.budget.usedAfter}/{r.budget.maxTokens}
        </span>
        <button type="button" style={{ padding: '0 6px', marginLeft: 'auto', flexShrink: 0 }} onClick={() => jump(top?.messageId ?? 0)} aria-label={`Show message ${top?.messageId}`}>
          #{top?.messageId}
        </button>
      </div>
      <div className="muted" style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={`for: ${r.query}\n${r.spans.map((x) => x.preview).join('\n')}`}>
        for “{r.query.slice(0, 60)}”: {top?.preview}
      </div>
    </>
  );
}

function SummaryRow({ r, time, jump }: { r: Extract<LogRow, { type: 'summary' }>; time: number | undefined; jump: (id: number) => void }) {
  return (
    <>
      <div className="row" style={{ gap: 6, flexWrap: 'nowrap', whiteSpace: 'nowrap', overflow: 'hidden' }}>
        <span className="muted">turn {r.turn}</span>
        <span className="muted">{clock(time)}</span>
        <span className="pill" style={{ color: 'var(--summary)', borderColor: 'var(--summary)' }}>summary</span>
        <span>
          {r.sourceTokens} → {r.tokens} tok · {r.method}
          {r.fallback ? ' (fallback)' : ''}
        </span>
        <span className="muted" style={{ overflow: 'hidden', textOverflow: 'ellipsis' }} title={r.fallback}>
          gate {r.gate.found}/{r.gate.checked} facts in source {r.gate.passed ? 'passed' : 'failed'} · pos {r.startPos}–{r.endPos} · budget {r.budget.usedBefore}→{r.budget.usedAfter}/{r.budget.maxTokens}
        </span>
        <button type="button" style={{ padding: '0 6px', marginLeft: 'auto', flexShrink: 0 }} onClick={() => jump(r.messageId)} aria-label={`Show message ${r.messageId}`}>
          #{r.messageId}
        </button>
      </div>
      <div className="muted" style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={`${r.fallback ? `fallback: ${r.fallback}\n` : ''}${r.text}`}>
        {r.fallback ? `fallback: ${r.fallback} · ` : ''}
        {r.text}
      </div>
    </>
  );
}
