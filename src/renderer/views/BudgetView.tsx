import { useViewStore } from '../lib/viewClock';
import { ROLES } from '../../shared/protocol';
import { downsampleRing } from '../lib/downsample';
import { ROLE_COLORS } from '../lib/roles';
import type { ChartSeries } from '../lib/turnChart';
import { windowStore } from '../state/stores';
import { TurnChart } from './TurnChart';
import { formatLocal } from '../lib/formatNumber';

const MAX_POINTS = 120;
const Y_AXIS_WIDTH = 48;

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
          {formatLocal(used)} / {formatLocal(max)}
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
            {r} {formatLocal(snapshot?.byRole[r] ?? 0)}
          </span>
        ))}
        <span>pinned {snapshot ? formatLocal(snapshot.pinned) : 0}</span>
        <span>
          <span className="swatch" style={{ background: 'var(--recalled)' }} />
          recalled {snapshot ? formatLocal(snapshot.recalled) : 0}
        </span>
      </div>
      <UsageChart />
    </section>
  );
}

const USAGE_SERIES: ChartSeries[] = [
  ...ROLES.map((r): ChartSeries => ({ key: r, name: r, color: `--${r}`, kind: 'area', curve: 'step' })),
  { key: 'maxTokens', name: 'budget', color: '--danger', kind: 'line', curve: 'step' },
];
const readUsage = () => downsampleRing(windowStore.getState().history, MAX_POINTS) as unknown as Record<string, unknown>[];
const usageVersion = () => windowStore.getState().seriesVersion;
const USAGE_SOURCES = [windowStore.subscribe];

/**
 * Tokens per role over turns, stacked, with the budget line: on canvas, drawn from the store on the
 * views' clock (a recharts update was one 12-60 ms task, a dropped frame each, during a fast replay).
 */
function UsageChart() {
  const shown = useViewStore(windowStore, (s) => s.history.size > 1);
  return (
    <div className="fixed-box" style={{ height: 170, marginTop: 8 }}>
      {shown ? (
        <TurnChart label="Usage over turns" height={170} axis={Y_AXIS_WIDTH} read={readUsage} version={usageVersion} sources={USAGE_SOURCES} x="turn" series={USAGE_SERIES} />
      ) : (
        <p className="muted">The chart fills in as turns complete.</p>
      )}
    </div>
  );
}
