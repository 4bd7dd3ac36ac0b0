import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { EngineConfigData, MemoryStats } from '../../shared/protocol';
import { DEFAULT_CONFIG, validateConfig } from '../../engine/engine';
import { POLICY_NAMES } from '../../engine/policies/index';
import { send } from '../engine/connection';
import { sessionStore, windowStore } from '../state/stores';

interface Draft {
  policy: string;
  maxTokens: string;
  window: string;
  pinSystem: boolean;
  recall?: boolean;
  maxPolicyMs?: string;
}

const toDraft = (c: EngineConfigData): Draft => ({ policy: c.policy, maxTokens: String(c.maxTokens), window: String(c.window), pinSystem: c.pinSystem, recall: c.recall ?? false, maxPolicyMs: String(c.maxPolicyMs ?? DEFAULT_CONFIG.maxPolicyMs) });

/** Parses a draft; returns the config or per-field errors (the same checks the engine makes). */
export function parseDraft(d: Draft): { config?: EngineConfigData; errors: Partial<Record<keyof Draft, string>> } {
  const errors: Partial<Record<keyof Draft, string>> = {};
  const int = (v: string, field: keyof Draft) => {
    if (!/^\d+$/.test(v.trim())) errors[field] = 'a whole number';
    return Number(v);
  };
  const config = {
    policy: d.policy,
    maxTokens: int(d.maxTokens, 'maxTokens'),
    window: int(d.window, 'window'),
    pinSystem: d.pinSystem,
    recall: d.recall ?? false,
    maxPolicyMs: int(d.maxPolicyMs ?? String(DEFAULT_CONFIG.maxPolicyMs), 'maxPolicyMs'),
  };
  if (Object.keys(errors).length > 0) return { errors };
  const bad = validateConfig({ ...DEFAULT_CONFIG, ...config });
  if (bad) {
    if (/latency/.test(bad)) errors.maxPolicyMs = bad;
    else if (/window/.test(bad)) errors.window = bad;
    else if (/max tokens/.test(bad)) errors.maxTokens = bad;
    else errors.policy = bad;
    return { errors };
  }
  return { config, errors };
}

/** Choose the policy and its parameters; Apply re-runs the session under them and shows what changed. */
export function PolicyView() {
  const config = useStore(windowStore, (s) => s.config);
  const stats = useStore(windowStore, (s) => s.stats);
  const replaying = useStore(sessionStore, (s) => s.replay !== undefined);
  const [draft, setDraft] = useState<Draft>(() => toDraft(config ?? { policy: 'sliding', maxTokens: 2048, window: 256, pinSystem: true }));
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
  const field = (label: string, key: 'maxTokens' | 'window' | 'maxPolicyMs', hint: string) => (
    <>
      <label htmlFor={`policy-${key}`}>{label}</label>
      <div>
        <input id={`policy-${key}`} inputMode="numeric" value={draft[key]} aria-invalid={Boolean(errors[key])} aria-describedby={`policy-${key}-err`} onChange={(e) => edit({ [key]: e.target.value })} style={{ width: 110 }} />{' '}
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
        <select id="policy-name" value={draft.policy} onChange={(e) => edit({ policy: e.target.value })}>
          {POLICY_NAMES.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
        {field('Max tokens', 'maxTokens', 'whole prompt, template included')}
        {field('Window', 'window', 'recent tokens always kept verbatim')}
        {field('Latency budget', 'maxPolicyMs', 'ms per policy call; past it, sliding finishes the turn (0 = none)')}
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
