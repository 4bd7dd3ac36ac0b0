import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { EngineConfigData, MemoryStats } from '../../shared/protocol';
import { DEFAULT_CONFIG } from '../../engine/engine';
import { POLICY_NAMES } from '../../engine/policies/index';
import { send } from '../client/connection';
import { paramsUsed, policyExplanation, type ModelAccess } from '../lib/policyInfo';
import { sessionStore, windowStore } from '../state/stores';
import { paramsOf, parseDraft, toDraft, type Draft } from './policyDraft';

const WEIGHTS = ['importance', 'uniqueness', 'recency'] as const;

/** The share of each weight in the hybrid score (the policy divides by their sum). */
function mixOf(w: { importance: number; uniqueness: number; recency: number }): string {
  const total = w.importance + w.uniqueness + w.recency;
  return WEIGHTS.map((k) => `${k} ${Math.round((100 * w[k]) / total)}%`).join(' · ');
}

/** Choose the policy and its parameters; Apply re-runs the session under them and shows what changed. */
export function PolicyView() {
  const config = useStore(windowStore, (s) => s.config);
  const stats = useStore(windowStore, (s) => s.stats);
  const replaying = useStore(sessionStore, (s) => s.replay !== undefined);
  const model = useStore(sessionStore, (s): ModelAccess => (!s.backendReady ? 'none' : s.backend.kind === 'local' ? 'local' : s.backend.kind === 'openai' ? 'server' : 'none'));
  const [draft, setDraft] = useState<Draft>(() => toDraft(config ?? DEFAULT_CONFIG));
  const [before, setBefore] = useState<{ config: EngineConfigData; stats: MemoryStats; used: number } | undefined>();
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
    setBefore({ config, stats, used: windowStore.getState().snapshot?.used ?? 0 });
    send({ type: 'setConfig', config: parsed, rerun: true });
    setDirty(false);
  };
  const used = paramsUsed(draft.policy);
  const field = (label: string, key: 'maxTokens' | 'window' | 'maxPolicyMs' | 'probes' | 'summaryInterval' | 'summaryGate', hint: string, decimal = false) => (
    <>
      <label htmlFor={`policy-${key}`}>{label}</label>
      <div>
        <input id={`policy-${key}`} inputMode={decimal ? 'decimal' : 'numeric'} value={draft[key] ?? ''} aria-invalid={Boolean(errors[key])} aria-describedby={`policy-${key}-err`} onChange={(e) => edit({ [key]: e.target.value })} style={{ width: 110 }} />{' '}
        <span className="muted">{hint}</span>
        {errors[key] && (
          <div id={`policy-${key}-err`} className="error-text" role="alert">
            {errors[key]}
          </div>
        )}
      </div>
    </>
  );
  const after = windowStore.getState().snapshot?.used ?? 0;
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
        {field('Max tokens', 'maxTokens', 'whole prompt, template included')}
        {field('Window', 'window', 'recent tokens always kept verbatim')}
        {field('Latency budget', 'maxPolicyMs', 'ms per policy call; past it, sliding finishes the turn (0 = none)')}
        {used.probes && field('Probes', 'probes', 'logit probes per turn, 0–256: each measures one sentence with the local model')}
        {used.summary && field('Summary interval', 'summaryInterval', 'new tokens between summaries (at least 64)')}
        {used.summary && field('Summary gate', 'summaryGate', "0–1: share of the summary's facts (numbers, dates, names, quotes) that must be in its source", true)}
        {used.weights && (
          <>
            <span id="policy-weights-label" style={{ alignSelf: 'start', paddingTop: 4 }}>
              Weights
            </span>
            <div role="group" aria-labelledby="policy-weights-label" aria-describedby="policy-weights-hint policy-weights-err">
              <div className="row">
                {WEIGHTS.map((k) => (
                  <label key={k} className="muted">
                    {k}{' '}
                    <input
                      aria-label={`${k[0].toUpperCase()}${k.slice(1)} weight`}
                      inputMode="decimal"
                      value={draft.weights?.[k] ?? ''}
                      aria-invalid={Boolean(errors.weights)}
                      onChange={(e) => edit({ weights: { ...(draft.weights ?? toDraft(DEFAULT_CONFIG).weights!), [k]: e.target.value } })}
                      style={{ width: 60 }}
                    />
                  </label>
                ))}
              </div>
              <span id="policy-weights-hint" className="muted">
                {parsed?.weights ? `of the score: ${mixOf(parsed.weights)}` : 'non-negative numbers, not all 0; the score divides by their sum'}
              </span>
              {errors.weights && (
                <div id="policy-weights-err" className="error-text" role="alert">
                  {errors.weights}
                </div>
              )}
            </div>
          </>
        )}
        <label htmlFor="policy-pin">Pin system</label>
        <input id="policy-pin" type="checkbox" checked={draft.pinSystem} onChange={(e) => edit({ pinSystem: e.target.checked })} style={{ justifySelf: 'start' }} />
        <label htmlFor="policy-recall">Recall</label>
        <label className="muted">
          <input id="policy-recall" type="checkbox" checked={draft.recall ?? false} onChange={(e) => edit({ recall: e.target.checked })} /> bring back evicted spans relevant to each new message
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
      {before && stats && !replaying && (
        <div aria-label="What changed" style={{ marginTop: 8 }}>
          <strong>What changed</strong>
          <table>
            <tbody>
              <tr><th /><th>before</th><th>after</th></tr>
              <tr><td>policy</td><td>{before.config.policy}</td><td>{config?.policy}</td></tr>
              <tr><td>parameters</td><td>{paramsOf(before.config)}</td><td>{config ? paramsOf(config) : '–'}</td></tr>
              <tr><td>max tokens / window</td><td>{before.config.maxTokens} / {before.config.window}</td><td>{config?.maxTokens} / {config?.window}</td></tr>
              <tr><td>tokens in context</td><td>{before.used}</td><td>{after}</td></tr>
              <tr><td>evicted tokens</td><td>{before.stats.tokensEvicted}</td><td>{stats.tokensEvicted}</td></tr>
              <tr><td>eviction events</td><td>{before.stats.evictions}</td><td>{stats.evictions}</td></tr>
              <tr><td>compression</td><td>{before.stats.compressionRatio.toFixed(2)}×</td><td>{stats.compressionRatio.toFixed(2)}×</td></tr>
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
