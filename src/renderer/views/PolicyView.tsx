import { useEffect, useState } from 'react';
import { useViewStore } from '../lib/viewClock';
import type { EngineConfigData, MemoryStats } from '../../shared/protocol';
import { DEFAULT_CONFIG, POLICY_NAMES, rangeText, SETTING_LIST, usedBy, WEIGHT_PARTS, type EngineConfig, type SettingSpec } from '../../shared/config';
import { send, subscribeEvents } from '../client/connection';
import { policyExplanation, type ModelAccess } from '../lib/policyInfo';
import { sessionStore, windowStore } from '../state/stores';
import { paramsOf, parseDraft, toDraft, type Draft, type WeightsDraft } from './policyDraft';

/** The share of each weight in the hybrid score (the policy divides by their sum). */
function mixOf(w: EngineConfig['weights']): string {
  const total = w.importance + w.uniqueness + w.recency;
  return WEIGHT_PARTS.map((k) => `${k} ${Math.round((100 * w[k]) / total)}%`).join(' · ');
}

type FieldValue = Draft[keyof Draft];
interface FieldProps {
  setting: SettingSpec;
  value: FieldValue;
  error: string | undefined;
  weightsHint: string | undefined;
  onChange: (value: FieldValue) => void;
}

/** One catalog setting as a form row: a checkbox, a number field or the three weights; its error below it. */
function SettingField({ setting: s, value, error, weightsHint, onChange }: FieldProps) {
  const id = `policy-${s.name}`;
  const errorLine = error && (
    <div id={`${id}-err`} className="error-text" role="alert">
      {error}
    </div>
  );
  if (s.kind === 'boolean') {
    return (
      <>
        <label htmlFor={id}>{s.label}</label>
        <label className="muted">
          <input id={id} type="checkbox" checked={value === true} onChange={(e) => onChange(e.target.checked)} /> {s.help}
        </label>
      </>
    );
  }
  if (s.kind === 'weights') {
    const w = value as WeightsDraft;
    return (
      <>
        <span id={`${id}-label`} style={{ alignSelf: 'start', paddingTop: 4 }}>
          {s.label}
        </span>
        <div role="group" aria-labelledby={`${id}-label`} aria-describedby={`${id}-hint ${id}-err`}>
          <div className="row">
            {WEIGHT_PARTS.map((k) => (
              <label key={k} className="muted">
                {k} <input aria-label={`${k[0].toUpperCase()}${k.slice(1)} weight`} inputMode="decimal" value={w[k]} aria-invalid={Boolean(error)} onChange={(e) => onChange({ ...w, [k]: e.target.value })} style={{ width: 60 }} />
              </label>
            ))}
          </div>
          <span id={`${id}-hint`} className="muted">
            {weightsHint ?? `${rangeText(s)}; the score divides by their sum`}
          </span>
          {errorLine}
        </div>
      </>
    );
  }
  return (
    <>
      <label htmlFor={id}>{s.label}</label>
      <div>
        <input id={id} inputMode={s.kind === 'int' ? 'numeric' : 'decimal'} value={String(value ?? '')} aria-invalid={Boolean(error)} aria-describedby={`${id}-help ${id}-err`} onChange={(e) => onChange(e.target.value)} style={{ width: 110 }} />
        {s.unit && <span className="muted"> {s.unit}</span>}
        <div id={`${id}-help`} className="muted">
          {s.help}
        </div>
        {errorLine}
      </div>
    </>
  );
}


interface Before {
  config: EngineConfigData;
  stats: MemoryStats;
  used: number;
  latencyBudget: boolean;
  /** The turns the re-run fell back on, as its policy-fallback warnings come. */
  fallbacks: number[];
}

/** Collects the turns of the re-run's policy-fallback warnings: from its session load to the config it closes with. */
function collectFallbacks(): number[] {
  const turns: number[] = [];
  let started = false;
  const stop = subscribeEvents((e) => {
    if (e.type === 'error' && e.command === 'setConfig') stop(); // refused: no re-run
    else if (e.type === 'sessionLoaded') started = true;
    else if (started && e.type === 'configChanged') stop();
    else if (started && e.type === 'warning' && e.code === 'policy-fallback') turns.push(e.turn);
  });
  return turns;
}

/** The session's numbers before and after a re-run (and the fallbacks an opted-in re-run caused). */
function WhatChanged({ before }: { before: Before }) {
  const config = useViewStore(windowStore, (s) => s.config);
  const stats = useViewStore(windowStore, (s) => s.stats)!;
  const after = useViewStore(windowStore, (s) => s.snapshot?.used ?? 0);
  const shownTurns = before.fallbacks.slice(0, 20).join(', ') + (before.fallbacks.length > 20 ? ', …' : '');
  return (
    <div aria-label="What changed" style={{ marginTop: 8 }}>
      <strong>What changed</strong>
      <table>
        <tbody>
          <tr><th /><th>before</th><th>after</th></tr>
          <tr><td>policy</td><td>{before.config.policy}</td><td>{config?.policy}</td></tr>
          <tr><td>parameters</td><td>{paramsOf(before.config)}</td><td>{config ? paramsOf(config) : '–'}</td></tr>
          <tr><td>max tokens / window</td><td>{before.config.maxTokens} / {before.config.window}</td><td>{config?.maxTokens} / {config?.window}</td></tr>
          <tr><td>tokens in context</td><td>{before.used}</td><td>{after}</td></tr>
          <tr><td>tokens out of context</td><td>{before.stats.tokensEvicted}</td><td>{stats.tokensEvicted}</td></tr>
          <tr><td>evictions</td><td>{before.stats.evictions}</td><td>{stats.evictions}</td></tr>
          <tr><td>compression</td><td>{before.stats.compressionRatio.toFixed(2)}×</td><td>{stats.compressionRatio.toFixed(2)}×</td></tr>
        </tbody>
      </table>
      <p className="muted" aria-label="Latency fallbacks">
        {before.latencyBudget
          ? `latency budget applied: fell back to sliding on ${before.fallbacks.length} turn${before.fallbacks.length === 1 ? '' : 's'}${before.fallbacks.length ? ` (${shownTurns})` : ''}`
          : 'deterministic re-run: no latency budget (live turns keep it)'}
      </p>
    </div>
  );
}

/** Choose the policy and its parameters; Apply re-runs the session under them and shows what changed. */
export function PolicyView() {
  const config = useViewStore(windowStore, (s) => s.config);
  const stats = useViewStore(windowStore, (s) => s.stats);
  const replaying = useViewStore(sessionStore, (s) => s.replay !== undefined);
  const model = useViewStore(sessionStore, (s): ModelAccess => (!s.backendReady ? 'none' : s.backend.kind === 'local' ? 'local' : s.backend.kind === 'openai' ? 'server' : 'none'));
  const [draft, setDraft] = useState<Draft>(() => toDraft(config ?? DEFAULT_CONFIG));
  const [before, setBefore] = useState<Before | undefined>();
  const [latencyBudget, setLatencyBudget] = useState(false);
  const [dirty, setDirty] = useState(false);
  useEffect(() => {
    if (config && !dirty) setDraft(toDraft(config));
  }, [config, dirty]);
  const { config: parsed, errors } = parseDraft(draft);
  const edit = (patch: Partial<Draft>) => {
    setDirty(true);
    setDraft({ ...draft, ...patch });
  };
  const apply = () => {
    if (!parsed || !config || !stats) return;
    setBefore({ config, stats, used: windowStore.getState().snapshot?.used ?? 0, latencyBudget, fallbacks: collectFallbacks() });
    send({ type: 'setConfig', config: parsed, rerun: true, ...(latencyBudget ? { latencyBudget: true } : {}) });
    setDirty(false);
  };
  const shown = SETTING_LIST.filter((s) => s.name !== 'policy' && usedBy(s, draft.policy) && (s.needs === undefined || draft[s.needs] === true));
  return (
    <section className="panel" aria-label="Policy">
      <h2>Policy</h2>
      <form
        className="grid2"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label htmlFor="policy-name">Policy</label>
        <select id="policy-name" value={draft.policy} aria-describedby="policy-explain" onChange={(e) => edit({ policy: e.target.value })}>
          {POLICY_NAMES.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
        <span />
        <p id="policy-explain" className="muted" style={{ margin: 0 }}>
          {policyExplanation(draft.policy, model)}
        </p>
        {shown.map((s) => (
          <SettingField key={s.name} setting={s} value={draft[s.name]} error={errors[s.name]} weightsHint={parsed?.weights ? `of the score: ${mixOf(parsed.weights)}` : undefined} onChange={(v) => edit({ [s.name]: v })} />
        ))}
        <span />
        <label title="Replays are deterministic: the latency budget guards live turns only. On, the re-run falls back to sliding where a policy call overruns it, and lists those turns.">
          <input type="checkbox" checked={latencyBudget} onChange={(e) => setLatencyBudget(e.target.checked)} /> apply the latency budget to the re-run
        </label>
        <span />
        <div className="row">
          <button type="submit" className="primary" disabled={!parsed || replaying}>
            Apply and re-run
          </button>
          {dirty && (
            <button type="button" onClick={() => { setDirty(false); if (config) setDraft(toDraft(config)); }}>
              Reset
            </button>
          )}
        </div>
      </form>
      {before && stats && !replaying && <WhatChanged before={before} />}
    </section>
  );
}
