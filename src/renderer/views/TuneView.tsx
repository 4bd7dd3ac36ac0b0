import { useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import { POLICY_NAMES } from '../../shared/config';
import type { TuneRun } from '../../shared/protocol';
import { send, subscribeEvents } from '../client/connection';
import { PLAIN_TICK } from '../lib/chartTicks';
import { formatLocal } from '../lib/formatNumber';
import { useViewStore } from '../lib/viewClock';
import { sessionStore, tuneStore } from '../state/stores';
import { defaultDraft, draftFromAxes, paretoFront, parseTuneDraft, settingsLabel, type TuneDraft } from './tuneGrid';

const tooltipStyle = { background: 'var(--panel)', border: '1px solid var(--border)' };

/**
 * Tune: runs a grid of settings over the open session (the engine replays it under each combination in
 * scratch engines, as `fms sweep` does), plots tokens in context against facts kept with the Pareto front
 * marked, and applies a point's settings on click (the session re-runs under them). The grid's progress
 * and runs are the host's (the tune store, rebuilt from its snapshot): a reload or a second tab shows them
 * and can cancel a running grid; another session clears them.
 */
export function TuneView() {
  const info = useViewStore(sessionStore, (s) => s.info);
  const grid = useViewStore(tuneStore, (s) => s.grid);
  const [draft, setDraft] = useState<TuneDraft | undefined>();
  const [applied, setApplied] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  /** The grid asked for and not yet started by the host (Run stays disabled: one click, one grid). */
  const [pending, setPending] = useState<string | undefined>();
  // until edited, the form is the last grid's (so a reload shows what the runs below were asked for), else a default
  const form = draft ?? (info ? (grid ? draftFromAxes(grid.axes, info.config) : defaultDraft(info.config)) : undefined);
  const parsed = form ? parseTuneDraft(form) : undefined;
  const running = pending !== undefined || (grid !== undefined && !grid.finished);
  // the host started it (or refused it, below): from here on the grid's own state says whether it runs
  useEffect(() => {
    if (pending !== undefined && grid?.id === pending) setPending(undefined);
  }, [grid, pending]);
  const runs = grid?.runs ?? [];

  useEffect(
    () =>
      subscribeEvents((e) => {
        if (e.type === 'error' && e.command === 'tune') {
          setError(e.message);
          setPending(undefined);
        }
        else if (e.type === 'sessionLoaded' && e.reason !== 'rerun') setApplied(undefined);
      }),
    [],
  );

  const run = () => {
    if (!parsed || 'error' in parsed) return;
    setError(undefined);
    setApplied(undefined);
    const id = `tune-${Date.now().toString(36)}`;
    setPending(id);
    send({ type: 'tune', id, axes: parsed.axes });
  };
  const apply = (r: TuneRun) => {
    send({ type: 'setConfig', config: r.settings, rerun: true });
    setApplied(settingsLabel(r.settings));
  };

  return (
    <section className="panel wide" aria-label="Tune">
      <h2>
        Tune <span className="hint">replay this session under a grid of settings: tokens in context against facts kept; click a point to apply its settings</span>
      </h2>
      {!form ? (
        <p className="muted">Waiting for the engine.</p>
      ) : (
        <TuneForm draft={form} onChange={setDraft} />
      )}
      <div className="row" style={{ gap: 8, margin: '6px 0' }}>
        <button type="button" onClick={run} disabled={!parsed || 'error' in parsed || running || !info || info.messages === 0}>
          Run {parsed && !('error' in parsed) ? `${parsed.runs} replays` : 'grid'}
        </button>
        {grid && !grid.finished && (
          <button type="button" onClick={() => send({ type: 'cancel', id: grid.id })}>
            Cancel
          </button>
        )}
        {grid && (
          <span aria-label="Tune progress" className="muted">
            {grid.done} / {grid.total} runs{grid.finished ? (grid.cancelled ? ' (cancelled)' : ' done') : '…'}
          </span>
        )}
        {parsed && 'error' in parsed && (
          <span role="alert" className="error-text">
            {parsed.error}
          </span>
        )}
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {applied && (
        <p aria-label="Applied settings" className="muted">
          Applied {applied}: the session re-runs under it (see the Policy panel).
        </p>
      )}
      {runs.length > 0 && <TuneResults runs={runs} onApply={apply} />}
    </section>
  );
}

function TuneForm({ draft, onChange }: { draft: TuneDraft; onChange: (d: TuneDraft) => void }) {
  const togglePolicy = (p: string, on: boolean) => onChange({ ...draft, policies: on ? POLICY_NAMES.filter((x) => x === p || draft.policies.includes(x)) : draft.policies.filter((x) => x !== p) });
  return (
    <div style={{ display: 'grid', gap: 4 }}>
      <fieldset style={{ border: 0, padding: 0, margin: 0 }} aria-label="Tune policies">
        policies{' '}
        {POLICY_NAMES.map((p) => (
          <label key={p} style={{ marginRight: 8 }}>
            <input type="checkbox" aria-label={`Tune policy ${p}`} checked={draft.policies.includes(p)} onChange={(e) => togglePolicy(p, e.target.checked)} /> {p}
          </label>
        ))}
      </fieldset>
      <div className="row" style={{ gap: 10, flexWrap: 'wrap' }}>
        <label>
          max tokens <input aria-label="Tune max tokens" value={draft.maxTokens} onChange={(e) => onChange({ ...draft, maxTokens: e.target.value })} style={{ width: 160 }} />
        </label>
        <label>
          window <input aria-label="Tune window" value={draft.window} onChange={(e) => onChange({ ...draft, window: e.target.value })} style={{ width: 100 }} />
        </label>
        <span>
          recall{' '}
          <label>
            <input type="checkbox" aria-label="Tune recall on" checked={draft.recall.on} onChange={(e) => onChange({ ...draft, recall: { ...draft.recall, on: e.target.checked } })} /> on
          </label>{' '}
          <label>
            <input type="checkbox" aria-label="Tune recall off" checked={draft.recall.off} onChange={(e) => onChange({ ...draft, recall: { ...draft.recall, off: e.target.checked } })} /> off
          </label>
        </span>
      </div>
    </div>
  );
}

function TuneResults({ runs, onApply }: { runs: TuneRun[]; onApply: (r: TuneRun) => void }) {
  const front = useMemo(() => paretoFront(runs), [runs]);
  const onFront = useMemo(() => new Set(front.map((r) => r.index)), [front]);
  const sorted = useMemo(() => [...runs].sort((a, b) => a.index - b.index), [runs]);
  const total = runs[0]?.factsTotal ?? 0;
  const point = (r: TuneRun) => ({ ...r, label: settingsLabel(r.settings) });
  const click = (d: unknown) => {
    const index = (d as { payload?: { index?: number }; index?: number } | undefined)?.payload?.index;
    const r = runs.find((x) => x.index === index);
    if (r) onApply(r);
  };
  return (
    <>
      <div className="fixed-box" style={{ height: 220 }} aria-label="Tokens in context versus facts kept">
        <ResponsiveContainer width="100%" height="100%">
          <ScatterChart margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis tick={PLAIN_TICK} type="number" dataKey="contextTokens" name="tokens in context" stroke="var(--muted)" fontSize={11} domain={['auto', 'auto']} />
            <YAxis tick={PLAIN_TICK} type="number" dataKey="factsKept" name={`facts kept (of ${total})`} stroke="var(--muted)" fontSize={11} width={40} allowDecimals={false} />
            <ZAxis range={[40, 40]} />
            <Tooltip contentStyle={tooltipStyle} formatter={(v, name) => [String(v), String(name)]} labelFormatter={() => ''} />
            <Legend />
            <Scatter name="runs" data={runs.filter((r) => !onFront.has(r.index)).map(point)} fill="var(--muted)" isAnimationActive={false} onClick={click} cursor="pointer" />
            <Scatter name="Pareto front" data={front.map(point)} fill="var(--accent)" line={{ stroke: 'var(--accent)' }} isAnimationActive={false} onClick={click} cursor="pointer" />
          </ScatterChart>
        </ResponsiveContainer>
      </div>
      <table className="table" aria-label="Tune runs" style={{ width: '100%', fontSize: 12 }}>
        <thead>
          <tr>
            <th style={{ textAlign: 'left' }}>settings</th>
            <th>in context</th>
            <th>facts kept</th>
            <th>evictions</th>
            <th>engine ms</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.index} aria-label={`run ${r.index + 1}: ${settingsLabel(r.settings)}`}>
              <td>
                {onFront.has(r.index) ? '★ ' : ''}
                {settingsLabel(r.settings)}
              </td>
              <td style={{ textAlign: 'right' }}>{formatLocal(r.contextTokens)}</td>
              <td style={{ textAlign: 'right' }}>
                {r.factsKept} / {r.factsTotal}
              </td>
              <td style={{ textAlign: 'right' }}>{formatLocal(r.evictions)}</td>
              <td style={{ textAlign: 'right' }}>{r.engineMsTotal.toFixed(1)}</td>
              <td>
                <button type="button" onClick={() => onApply(r)}>
                  Apply
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="muted" style={{ margin: '4px 0' }}>
        ★ on the Pareto front: no other run keeps as many facts in fewer tokens. Facts: the Facts ledger&apos;s live facts whose sentence is in the final context, as fms sweep counts them.
      </p>
    </>
  );
}
