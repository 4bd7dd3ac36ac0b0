import { memo, useMemo } from 'react';
import { CartesianGrid, Legend, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis, ZAxis } from 'recharts';
import { PLAIN_TICK } from '../lib/chartTicks';
import { useViewStore } from '../lib/viewClock';
import { formatLocal } from '../lib/formatNumber';
import { useThrottledStore } from '../lib/useThrottledStore';
import { spansStore, uiStore, type SpansState } from '../state/stores';

const selectScores = (s: SpansState) => s.scores;
const selectProjection = (s: SpansState) => s.projection;
const tooltipStyle = { background: 'var(--panel)', border: '1px solid var(--border)' };

/** The span policy's knapsack choice (cost vs value, kept vs evicted) and the latest recall's hits. */
export function SpansView() {
  const scores = useThrottledStore(spansStore, selectScores, 500);
  const projection = useThrottledStore(spansStore, selectProjection, 500);
  const recall = useViewStore(spansStore, (s) => s.recall);
  const jump = (id: number) => uiStore.setState((s) => ({ selectedMessageId: id, jump: s.jump + 1 }));
  return (
    <section className="panel wide" aria-label="Spans">
      <h2>
        Spans <span className="hint">what a span policy weighed, and what recall brought back</span>
      </h2>
      <div style={{ display: 'grid', gridTemplateColumns: '1fr 1fr', gap: 10 }}>
        <div>
          <strong>Knapsack choice</strong>{' '}
          <span className="muted">
            {scores
              ? `${scores.policy}, turn ${scores.turn}: ${scores.spans.filter((s) => s.kept).length} of ${scores.spans.length} sentences kept in ${formatLocal(scores.capacity)} tokens`
              : 'choose the salience policy: each over-budget turn shows every older sentence’s cost and value here'}
          </span>
          <KnapsackChart scores={scores} />
          <ProjectionChart scores={projection} />
        </div>
        <div aria-label="Recall hits">
          <strong>Recall hits</strong>{' '}
          <span className="muted">{recall ? `turn ${recall.turn}, for “${recall.query.slice(0, 60)}”` : 'turn recall on in Policy: evicted sentences relevant to each new message come back here'}</span>
          {recall && (
            <table style={{ marginTop: 6, tableLayout: 'fixed' }}>
              {/* fixed column widths: a recall every turn of a replay would lay the table out from its cells each time */}
              <colgroup>
                <col style={{ width: 64 }} />
                <col style={{ width: 64 }} />
                <col style={{ width: 48 }} />
                <col style={{ width: 40 }} />
                <col />
              </colgroup>
              <thead>
                <tr><th>msg</th><th>score</th><th>BM25</th><th>tok</th><th>text</th></tr>
              </thead>
              <tbody>
                {/* rows by position: a new recall's hits update the rows in place instead of replacing them */}
                {recall.spans.map((s, i) => (
                  <tr key={i}>
                    <td>
                      <button type="button" style={{ padding: '0 4px' }} onClick={() => jump(s.messageId)}>
                        #{s.messageId}
                      </button>
                    </td>
                    <td>{s.score.toFixed(4)}</td>
                    <td>{s.bm25Rank !== undefined ? `#${s.bm25Rank}` : '–'}</td>
                    <td>{s.tokens}</td>
                    <td className="muted" style={{ whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' }} title={s.preview}>{s.preview}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      </div>
      {!projection && (
        <p className="muted" style={{ margin: '6px 0 0' }}>Choose the semantic policy to see span embeddings projected to 2D (PCA), coloured by cluster, representatives enlarged.</p>
      )}
    </section>
  );
}

const KnapsackChart = memo(function KnapsackChart({ scores }: { scores: SpansState['scores'] }) {
  const data = useMemo(() => {
    type Point = { tokens: number; score: number; messageId: number };
    const kept: Point[] = [];
    const evicted: Point[] = [];
    for (const s of scores?.spans ?? []) (s.kept ? kept : evicted).push({ tokens: s.tokens, score: Number(s.score.toFixed(4)), messageId: s.messageId });
    return { kept, evicted };
  }, [scores]);
  if (!scores) return null;
  return (
    <div className="fixed-box" style={{ height: 200 }} aria-label="Knapsack value versus cost">
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis tick={PLAIN_TICK} type="number" dataKey="tokens" name="cost (tokens)" stroke="var(--muted)" fontSize={11} />
          <YAxis tick={PLAIN_TICK} type="number" dataKey="score" name="value per token" stroke="var(--muted)" fontSize={11} width={44} />
          <ZAxis range={[24, 24]} />
          <Tooltip contentStyle={tooltipStyle} />
          <Legend />
          <Scatter name="kept" data={data.kept} fill="var(--ok)" isAnimationActive={false} />
          <Scatter name="evicted" data={data.evicted} fill="var(--evicted)" isAnimationActive={false} />
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
});

const CLUSTER_COLORS = ['#4c8dff', '#3fb950', '#d29922', '#a371f7', '#db61a2', '#39c5cf', '#f0883e', '#8b949e', '#e3b341', '#56d364', '#ff7b72', '#79c0ff'];

/** Span embeddings projected to 2D (PCA in the engine), one colour per cluster, representatives big. */
const ProjectionChart = memo(function ProjectionChart({ scores }: { scores: SpansState['scores'] }) {
  const series = useMemo(() => {
    const byCluster = new Map<number, { x: number; y: number; z: number; kept: string }[]>();
    for (const s of scores?.spans ?? []) {
      if (s.x === undefined || s.y === undefined || s.cluster === undefined) continue;
      const list = byCluster.get(s.cluster) ?? [];
      list.push({ x: Number(s.x.toFixed(3)), y: Number(s.y.toFixed(3)), z: s.representative ? 120 : 30, kept: s.kept ? 'kept' : 'evicted' });
      byCluster.set(s.cluster, list);
    }
    return [...byCluster.entries()].sort((a, b) => a[0] - b[0]);
  }, [scores]);
  if (series.length === 0) return null;
  return (
    <div className="fixed-box" style={{ height: 220 }} aria-label="Span embeddings by cluster">
      <ResponsiveContainer width="100%" height="100%">
        <ScatterChart margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis tick={PLAIN_TICK} type="number" dataKey="x" name="PC1" stroke="var(--muted)" fontSize={11} />
          <YAxis tick={PLAIN_TICK} type="number" dataKey="y" name="PC2" stroke="var(--muted)" fontSize={11} width={44} />
          <ZAxis type="number" dataKey="z" range={[20, 120]} />
          <Tooltip contentStyle={tooltipStyle} />
          {series.map(([cluster, points]) => (
            <Scatter key={cluster} name={`cluster ${cluster}`} data={points} fill={CLUSTER_COLORS[cluster % CLUSTER_COLORS.length]} isAnimationActive={false} />
          ))}
        </ScatterChart>
      </ResponsiveContainer>
    </div>
  );
});
