import { memo, useMemo } from 'react';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useViewStore } from '../lib/viewClock';
import { PLAIN_TICK } from '../lib/chartTicks';
import { downsampleRing } from '../lib/downsample';
import { serverCacheBar, serverCacheText } from '../lib/turnUsage';
import { useThrottledStore } from '../lib/useThrottledStore';
import type { ServerTotals } from '../../shared/protocol';
import type { ChartSeries } from '../lib/turnChart';
import { cacheStore, windowStore, type CacheState, type KvTotals } from '../state/stores';
import { TurnChart } from './TurnChart';
import { formatLocal } from '../lib/formatNumber';

// the cache store's series are rings pushed to in place: the totals object (new with every report)
// and the version say when they changed
const selectKvTotals = (s: CacheState) => s.kvTotals;
const selectServerTotals = (s: CacheState) => s.serverTotals;
const tooltipStyle = { background: 'var(--panel)', border: '1px solid var(--border)' };

/** KV prefix reuse per turn (local models), a server's prompt-cache hits per turn, and the anchor (decoded-token) cache hit rate over turns. */
export function CacheView() {
  // exact over every turn, also those the chart's ring no longer keeps
  const kvTotals = useThrottledStore(cacheStore, selectKvTotals, 1000);
  const serverTotals = useThrottledStore(cacheStore, selectServerTotals, 1000);
  const serverText = serverCacheText(serverTotals);
  const stats = useViewStore(windowStore, (s) => s.stats);
  const totalReused = kvTotals.reusedTokens;
  const totalPrompt = kvTotals.reusedTokens + kvTotals.recomputedTokens;
  const anchorRate = stats && stats.anchorCacheHits + stats.anchorCacheMisses > 0 ? (100 * stats.anchorCacheHits) / (stats.anchorCacheHits + stats.anchorCacheMisses) : undefined;
  return (
    <section className="panel" aria-label="Cache">
      <h2>
        Cache <span className="hint">KV prefix reuse per turn · server prompt cache · anchor cache</span>
      </h2>
      <div className="row muted">
        <span>
          KV reuse:{' '}
          {totalPrompt > 0
            ? `${((100 * totalReused) / totalPrompt).toFixed(1)}% of prompt tokens over ${kvTotals.turns} turns`
            : serverText
              ? 'reported by local models only'
              : 'no generated turns yet (connect a model and chat)'}
        </span>
        <span>Anchor cache hit rate: {anchorRate !== undefined ? `${anchorRate.toFixed(1)}%` : '–'}</span>
      </div>
      {serverText && (
        <div className="muted" aria-label="Server prompt cache">
          {serverText}
        </div>
      )}
      {(kvTotals.turns > 0 || !serverText) && <KvChart totals={kvTotals} />}
      {serverText && <ServerChart totals={serverTotals} />}
      <AnchorChart />
      <EmbeddingChart />
    </section>
  );
}

const ANCHOR_SERIES: ChartSeries[] = [{ key: 'hitRate', name: 'anchor cache hit %', color: '--accent', kind: 'line', curve: 'linear' }];
const readAnchors = () => downsampleRing(windowStore.getState().anchorHistory, 200) as unknown as Record<string, unknown>[];
const anchorVersion = () => windowStore.getState().seriesVersion;
const WINDOW_SOURCES = [windowStore.subscribe];

/** The anchor cache's hit rate per turn: on canvas, on the views' clock (lib/turnChart). */
function AnchorChart() {
  const shown = useViewStore(windowStore, (s) => s.anchorHistory.size > 1);
  if (!shown) return null;
  return (
    <div className="fixed-box" style={{ height: 110 }}>
      <TurnChart label="Anchor cache hit rate over turns" height={110} axis={44} read={readAnchors} version={anchorVersion} sources={WINDOW_SOURCES} x="turn" series={ANCHOR_SERIES} domain={[0, 100]} unit="%" />
    </div>
  );
}

/** Stacked bars per turn (recharts is SVG: the data is a downsampled window). */
function TurnBars({ label, data, bars }: { label: string; data: readonly object[]; bars: { key: string; name: string; fill: string }[] }) {
  return (
    <div className="fixed-box" style={{ height: 160 }} aria-label={label}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data as object[]} margin={{ top: 6, right: 8, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="var(--border)" strokeDasharray="3 3" />
          <XAxis tick={PLAIN_TICK} dataKey="turn" stroke="var(--muted)" fontSize={11} />
          <YAxis tick={PLAIN_TICK} stroke="var(--muted)" fontSize={11} width={44} />
          <Tooltip contentStyle={tooltipStyle} />
          <Legend />
          {bars.map((b) => (
            <Bar key={b.key} dataKey={b.key} name={b.name} stackId="t" fill={b.fill} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

/** Memoized so the SVG only re-renders when the (throttled) reports change: `totals` is new whenever they did. */
const KvChart = memo(function KvChart({ totals }: { totals: KvTotals }) {
  const reports = cacheStore.getState().reports;
  const kv = useMemo(() => downsampleRing(reports, 120), [reports, totals]);
  if (kv.length === 0) return <p className="muted">Each generated turn shows how many prompt tokens came from the previous turn's KV cache.</p>;
  return (
    <TurnBars
      label="KV reuse per turn"
      data={kv}
      bars={[
        { key: 'reusedTokens', name: 'reused', fill: 'var(--ok)' },
        { key: 'recomputedTokens', name: 'recomputed', fill: 'var(--warn)' },
      ]}
    />
  );
});

/** A server's turns: prompt tokens it served from its cache and the rest, or the prompt whose caching it did not report. */
const ServerChart = memo(function ServerChart({ totals }: { totals: ServerTotals }) {
  const turns = cacheStore.getState().serverTurns;
  const bars = useMemo(() => downsampleRing(turns, 120).map(serverCacheBar), [turns, totals]);
  return (
    <TurnBars
      label="Server prompt cache per turn"
      data={bars}
      bars={[
        { key: 'cached', name: 'cached (server)', fill: 'var(--ok)' },
        { key: 'uncached', name: 'not cached (server)', fill: 'var(--warn)' },
        { key: 'unreported', name: 'prompt, cache not reported', fill: 'var(--muted)' },
      ]}
    />
  );
});

const EMBEDDING_SERIES: ChartSeries[] = [{ key: 'hitRate', name: 'embedding cache hit %', color: '--recalled', kind: 'line', curve: 'linear' }];
const readEmbeddings = () => downsampleRing(cacheStore.getState().embeddings, 200) as unknown as Record<string, unknown>[];
const cacheVersion = () => cacheStore.getState().version;
const CACHE_SOURCES = [cacheStore.subscribe];

/** Embedding-cache hit rate per policy call (semantic policy), from the cumulative counters: on canvas, on the views' clock. */
function EmbeddingChart() {
  const last = useViewStore(cacheStore, (s) => s.embeddings.newest(0));
  const points = useViewStore(cacheStore, (s) => s.embeddings.size);
  if (!last) return null;
  return (
    <div style={{ height: points > 1 ? 120 : undefined }}>
      <div className="muted">
        Embedding cache ({last.embedder}): {formatLocal(last.hits)} hits, {formatLocal(last.misses)} misses
      </div>
      {points > 1 && <TurnChart label="Embedding cache hit rate" height={100} axis={44} read={readEmbeddings} version={cacheVersion} sources={CACHE_SOURCES} x="turn" series={EMBEDDING_SERIES} domain={[0, 100]} unit="%" />}
    </div>
  );
}
