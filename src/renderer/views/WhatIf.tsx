import { useEffect, useMemo, useState } from 'react';
import { useViewStore } from '../lib/viewClock';
import type { EngineConfigData, WhatIfResult as WhatIfAnswer } from '../../shared/protocol';
import { send, subscribeEvents } from '../client/connection';
import { sessionStore, uiStore, whatIfStore, windowStore } from '../state/stores';
import { POLICY_NAMES } from '../../shared/config';
import { policyExplanation } from '../lib/policyInfo';
import { paramsOf, parseDraft } from './policyDraft';
import { diffContexts, type ContextDiff, type MessageDiff } from './whatIfDiff';

type Result = WhatIfAnswer;

interface Side {
  policy: string;
  maxTokens: string;
  window: string;
  recall: boolean;
}

function SideForm({ label, value, onChange }: { label: string; value: Side; onChange: (v: Side) => void }) {
  const { errors } = parseDraft({ pinSystem: true, ...value });
  return (
    <fieldset style={{ border: '1px solid var(--border)', borderRadius: 6 }}>
      <legend>{label}</legend>
      <label>
        policy{' '}
        <select aria-label={`${label} policy`} title={policyExplanation(value.policy, 'none')} value={value.policy} onChange={(e) => onChange({ ...value, policy: e.target.value })}>
          {POLICY_NAMES.map((p) => (
            <option key={p}>{p}</option>
          ))}
        </select>
      </label>{' '}
      <label>
        <input type="checkbox" aria-label={`${label} recall`} checked={value.recall} onChange={(e) => onChange({ ...value, recall: e.target.checked })} /> recall
      </label>
      <br />
      <label>
        max tokens <input aria-label={`${label} max tokens`} value={value.maxTokens} aria-invalid={Boolean(errors.maxTokens)} onChange={(e) => onChange({ ...value, maxTokens: e.target.value })} style={{ width: 80 }} />
      </label>{' '}
      <label>
        window <input aria-label={`${label} window`} value={value.window} aria-invalid={Boolean(errors.window)} onChange={(e) => onChange({ ...value, window: e.target.value })} style={{ width: 60 }} />
      </label>
      {(errors.maxTokens || errors.window) && <div className="error-text">{errors.maxTokens ?? errors.window}</div>}
    </fieldset>
  );
}

/** Replays the loaded session under two parameter sets and diffs their final contexts. */
export function WhatIf() {
  // the list is pushed to in place: its identity changes only when a session loads
  const messages = useViewStore(sessionStore, (s) => s.messages);
  const empty = useViewStore(sessionStore, (s) => s.messages.length === 0);
  const [a, setA] = useState<Side>({ policy: 'sliding', maxTokens: '512', window: '64', recall: false });
  const [b, setB] = useState<Side>({ policy: 'sliding', maxTokens: '512', window: '64', recall: true });
  const { result, running, error, run, ok } = useWhatIfRun(a, b);
  // once per result (or session), not per batch: later messages do not change the ids a result maps
  const diff = useMemo(() => (result ? diffContexts(result.a.segments, result.b.segments, messages.items) : undefined), [result, messages]);
  return (
    <div aria-label="What-if" style={{ marginTop: 10, borderTop: '1px solid var(--border)', paddingTop: 8 }}>
      <strong>What-if</strong> <span className="muted">replay this session under two settings and compare the final contexts (replays run without the model; probes, summary interval and gate, and weights are the Policy panel's applied values)</span>
      <div className="row" style={{ marginTop: 6, alignItems: 'flex-start' }}>
        <SideForm label="A" value={a} onChange={setA} />
        <SideForm label="B" value={b} onChange={setB} />
        <button type="button" className="primary" onClick={run} disabled={!ok || running || empty}>
          {running ? 'Running…' : 'Compare'}
        </button>
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {result && diff && <WhatIfResult result={result} diff={diff} />}
    </div>
  );
}

/**
 * Sends both sides' settings (once both parse); the answer is the host's (the what-if store, which a
 * reload rebuilds from the snapshot), a refusal this panel's.
 */
function useWhatIfRun(a: Side, b: Side) {
  const config = useViewStore(windowStore, (s) => s.config);
  const result = useViewStore(whatIfStore, (s) => s.result);
  const [running, setRunning] = useState(false);
  const [error, setError] = useState<string | undefined>();
  useEffect(
    () =>
      subscribeEvents((e) => {
        if (e.type === 'whatIfResult') setRunning(false);
        else if (e.type === 'error' && e.command === 'whatIf') {
          setRunning(false);
          setError(e.message);
        }
      }),
    [],
  );
  const pa = parseDraft({ pinSystem: config?.pinSystem ?? true, ...a }).config;
  const pb = parseDraft({ pinSystem: config?.pinSystem ?? true, ...b }).config;
  const run = () => {
    if (!pa || !pb) return;
    setRunning(true);
    setError(undefined);
    send({ type: 'whatIf', a: pa, b: pb });
  };
  return { result, running, error, run, ok: Boolean(pa && pb) };
}

/** Both sides' totals, then (when the message ids line up) what each kept that the other did not. */
function WhatIfResult({ result, diff }: { result: Result; diff: ContextDiff }) {
  return (
    <div aria-label="What-if result" style={{ marginTop: 8 }}>
      <table>
        <tbody>
          <tr><SideCell name="A" s={result.a} c={result.a.config} /></tr>
          <tr><SideCell name="B" s={result.b} c={result.b.config} /></tr>
        </tbody>
      </table>
      {(diff.summaryA > 0 || diff.summaryB > 0) && (
        <div className="row" style={{ margin: '6px 0' }}>
          {diff.summaryA > 0 && <span className="pill summary">summary in A: {diff.summaryA} tok</span>}
          {diff.summaryB > 0 && <span className="pill summary">summary in B: {diff.summaryB} tok</span>}
        </div>
      )}
      {diff.aligned ? (
        <>
          <div className="row" style={{ margin: '6px 0' }}>
            <span className="pill">kept in A only: {diff.onlyA} tok</span>
            <span className="pill">kept in B only: {diff.onlyB} tok</span>
            <span className="pill">kept in both: {diff.both} tok</span>
          </div>
          <DiffTable rows={diff.rows} />
        </>
      ) : (
        <p className="muted" role="note">
          No per-message diff: a side made rolling summaries, and each summary takes a message id in its replay, so its ids no longer line up with the conversation&apos;s. The totals above are exact.
        </p>
      )}
    </div>
  );
}

function SideCell({ name, s, c }: { name: string; s: Result['a']; c: EngineConfigData }) {
  return (
    <td>
      <strong>{name}</strong> {c.policy}{c.recall ? ' + recall' : ''} {c.maxTokens}/{c.window}{paramsOf(c) !== '–' ? ` (${paramsOf(c)})` : ''}: {s.contextTokens} tok in context, {s.evictions} evictions, {s.evictedTokens} tok out of context, engine {s.engineMs.toFixed(1)} ms
    </td>
  );
}

/** The messages the sides kept differently (the first 200); a click shows one in the chat. */
function DiffTable({ rows }: { rows: MessageDiff[] }) {
  return (
    <div style={{ maxHeight: 180, overflow: 'auto' }}>
      <table aria-label="Per-message difference">
        <thead>
          <tr><th>message</th><th>A only</th><th>B only</th><th>both</th><th>text</th></tr>
        </thead>
        <tbody>
          {rows.filter((r) => r.onlyA + r.onlyB > 0).slice(0, 200).map((r) => (
            <tr key={r.messageId}>
              <td>
                <button type="button" style={{ padding: '0 4px' }} onClick={() => uiStore.setState((s) => ({ selectedMessageId: r.messageId, jump: s.jump + 1 }))}>
                  #{r.messageId} {r.role}
                </button>
              </td>
              <td>{r.onlyA}</td>
              <td>{r.onlyB}</td>
              <td>{r.both}</td>
              <td className="muted" style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', maxWidth: 260 }}>{r.preview}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
