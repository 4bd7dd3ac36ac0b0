import { memo, useMemo, useRef } from 'react';
import { Area, CartesianGrid, ComposedChart, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useViewStore } from '../lib/viewClock';
import { ROLES } from '../../shared/protocol';
import { PLAIN_TICK, useTurnTicks } from '../lib/chartTicks';
import { downsampleRing } from '../lib/downsample';
import { ROLE_COLORS } from '../lib/roles';
import { useThrottledStore } from '../lib/useThrottledStore';
import { windowStore, type WindowState } from '../state/stores';

const MAX_POINTS = 120;
const Y_AXIS_WIDTH = 48;
// the series are rings pushed to in place: the version says when they changed
const selectSeriesVersion = (s: WindowState) => s.seriesVersion;

export function BudgetView() {
  const snapshot = useViewStore(windowStore, (s) => s.snapshot);
  // before the first turn of a session the budget is the settings' (nothing is used yet)
  const budget = useViewStore(windowStore, (s) => s.config?.maxTokens ?? 0);
  const used = snapshot?.used ?? 0;
  const max = snapshot?.maxTokens ?? budget;
  const pct = max > 0 ? (100 * used) / max : 0;
  return (
    <section className="panel" aria-label="Budget">
      <h2>
        Budget <span className="hint">tokens the prompt takes, chat template included</span>
      </h2>
      <div className="row" style={{ alignItems: 'baseline', gap: 14 }}>
        <span style={{ fontSize: 22, fontWeight: 600 }} aria-label="Used tokens">
          {used.toLocaleString()} / {max.toLocaleString()}
        </span>
        <span className="muted" aria-label="Percent of budget">
          {pct.toFixed(1)}% of the budget
        </span>
      </div>
      <div aria-label="Per-role breakdown" style={{ display: 'flex', height: 12, borderRadius: 4, overflow: 'hidden', background: 'var(--panel-2)', margin: '8px 0' }}>
        {ROLES.map((r) => (
          <div key={r} title={`${r}: ${snapshot?.byRole[r] ?? 0}`} style={{ width: `${max ? (100 * (snapshot?.byRole[r] ?? 0)) / max : 0}%`, background: ROLE_COLORS[r] }} />
        ))}
      </div>
      <div className="legend">
        {ROLES.map((r) => (
          <span key={r}>
            <span className="swatch" style={{ background: ROLE_COLORS[r] }} />
            {r} {(snapshot?.byRole[r] ?? 0).toLocaleString()}
          </span>
        ))}
        <span>pinned {snapshot?.pinned.toLocaleString() ?? 0}</span>
        <span>
          <span className="swatch" style={{ background: 'var(--recalled)' }} />
          recalled {snapshot?.recalled.toLocaleString() ?? 0}
        </span>
      </div>
      <UsageChart />
    </section>
  );
}

/** Memoized, with its own throttled subscription: the SVG chart re-renders when its data changes (at most twice a second), not on every snapshot. */
const UsageChart = memo(function UsageChart() {
  const version = useThrottledStore(windowStore, selectSeriesVersion, 500);
  const history = windowStore.getState().history;
  const data = useMemo(() => downsampleRing(history, MAX_POINTS), [history, version]);
  const box = useRef<HTMLDivElement>(null);
  const ticks = useTurnTicks(box, data, 'turn', Y_AXIS_WIDTH);
  return (
    <div ref={box} className="fixed-box" style={{ height: 170, marginTop: 8 }} aria-label="Usage over turns">
      {data.length > 1 ? (
        <ResponsiveContainer width="100%" height="100%">
          <ComposedChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
            <XAxis tick={PLAIN_TICK} dataKey="turn" stroke="var(--muted)" fontSize={11} ticks={ticks} interval={0} />
            <YAxis tick={PLAIN_TICK} stroke="var(--muted)" fontSize={11} width={Y_AXIS_WIDTH} interval={0} />
            <Tooltip contentStyle={{ background: 'var(--panel)', border: '1px solid var(--border)' }} />
            {ROLES.map((r) => (
              <Area key={r} type="stepAfter" dataKey={r} stackId="1" stroke={ROLE_COLORS[r]} fill={ROLE_COLORS[r]} fillOpacity={0.35} isAnimationActive={false} />
            ))}
            <Line type="stepAfter" dataKey="maxTokens" stroke="var(--danger)" dot={false} isAnimationActive={false} />
          </ComposedChart>
        </ResponsiveContainer>
      ) : (
        <p className="muted">The chart fills in as turns complete.</p>
      )}
    </div>
  );
});
