import type { EvictionEvent, MemoryStats, TurnStats } from '../../shared/protocol';

export interface PrometheusOptions {
  /** Metric name prefix (default 'fms'); '' for none. */
  prefix?: string;
  /** Added to every sample. Names must match [a-zA-Z_][a-zA-Z0-9_]*, not start with '__', not be 'quantile'. */
  labels?: Record<string, string>;
  /** When given, adds a summary of per-turn engine time (`<prefix>_turn_engine_seconds`). */
  turns?: readonly TurnStats[];
}

type Metric = [name: string, type: 'counter' | 'gauge', help: string, value: number];

export const TURN_QUANTILES = [0.5, 0.9, 0.99] as const;
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Prometheus text exposition format 0.0.4. Durations are in seconds, Prometheus's base unit. */
export function statsToPrometheus(stats: MemoryStats, options: PrometheusOptions = {}): string {
  const prefix = options.prefix ?? 'fms';
  const p = prefix === '' ? '' : `${prefix}_`;
  if (!METRIC_NAME.test(`${p}x`)) throw new Error(`statsToPrometheus: invalid metric prefix ${JSON.stringify(prefix)}`);
  const labels = Object.entries(options.labels ?? {});
  for (const [name] of labels) {
    if (!LABEL_NAME.test(name) || name.startsWith('__') || name === 'quantile') {
      throw new Error(`statsToPrometheus: invalid label name ${JSON.stringify(name)}`);
    }
  }
  const metrics: Metric[] = [
    ['tokens_seen_total', 'counter', 'Tokens appended to the conversation, all roles.', stats.tokensSeen],
    ['tokens_evicted', 'gauge', 'Tokens out of the context window now (evicted and not recalled).', stats.tokensEvicted],
    ['evictions_total', 'counter', 'Eviction events.', stats.evictions],
    ['policy_calls_total', 'counter', 'Eviction policy calls.', stats.policyCalls],
    ['policy_seconds_total', 'counter', 'Time spent in eviction policy calls.', stats.policyLatencyMsTotal / 1000],
    ['policy_fallbacks_total', 'counter', 'Turns where a policy overran its latency budget.', stats.fallbackCount],
    ['anchor_cache_hits_total', 'counter', 'Sentence-boundary lookups answered from cache.', stats.anchorCacheHits],
    ['anchor_cache_misses_total', 'counter', 'Sentence-boundary lookups that decoded tokens.', stats.anchorCacheMisses],
    ['context_builds_total', 'counter', 'Contexts built for generation.', stats.contextBuilds],
    ['turns_total', 'counter', 'Conversation turns.', stats.turns],
    ['tokens_retained', 'gauge', 'Tokens in the context window now (pinned and retained).', stats.tokensRetained],
    ['tokens_pinned', 'gauge', 'Pinned tokens in the context window now.', stats.tokensPinned],
    ['compression_ratio', 'gauge', 'Tokens seen divided by tokens retained.', stats.compressionRatio],
    ['policy_last_latency_seconds', 'gauge', 'Duration of the most recent policy call.', stats.policyLatencyMs / 1000],
  ];
  const base = labels.map(([name, value]) => `${name}="${escapeLabelValue(value)}"`);
  const set = (extra: string[] = []) =>
    base.length + extra.length === 0 ? '' : `{${[...base, ...extra].join(',')}}`;
  const lines: string[] = [];
  for (const [name, type, help, value] of metrics) {
    const full = p + name;
    lines.push(`# HELP ${full} ${escapeHelp(help)}`, `# TYPE ${full} ${type}`, `${full}${set()} ${formatValue(value)}`);
  }
  if (options.turns !== undefined) {
    const name = `${p}turn_engine_seconds`;
    const seconds = options.turns.map((t) => t.engineMs / 1000).filter(Number.isFinite);
    lines.push(`# HELP ${name} Engine time per turn (policy and context build, no tokenization).`);
    lines.push(`# TYPE ${name} summary`);
    for (const q of TURN_QUANTILES) lines.push(`${name}${set([`quantile="${q}"`])} ${formatValue(quantile(seconds, q))}`);
    const sum = seconds.reduce((a, b) => a + b, 0);
    lines.push(`${name}_sum${set()} ${formatValue(sum)}`, `${name}_count${set()} ${seconds.length}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Nearest-rank quantile (an observed value, like Prometheus summaries report); NaN for no values. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil(q * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function formatValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export interface TurnDecision {
  seq: number;
  kind: string;
  policy: string;
  tokens: number;
  startPos: number;
  endPos: number;
  detail: string;
  score?: number;
}

export interface TurnDumpRecord {
  turn: number;
  input: string;
  output?: string;
  tokens: { input: number; output: number; context: number };
  stats: MemoryStats;
  turnStats?: TurnStats;
  decisions: TurnDecision[];
}

/** Version of the turn dump line format, written as its first field `v`. */
export const TURN_DUMP_VERSION = 1;

/**
 * One JSONL line for a turn: a single line ending in '\n'. JSON escapes newlines inside strings;
 * U+2028/U+2029 are escaped too, since some line readers split on them. Non-finite numbers become null.
 */
export function turnDumpLine(record: TurnDumpRecord): string {
  const { turn, input, output, tokens, stats, turnStats, decisions } = record;
  const json = JSON.stringify({ v: TURN_DUMP_VERSION, turn, input, output, tokens, stats, turnStats, decisions });
  return `${json.replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`)}\n`;
}

export function decisionsFromEvictions(events: readonly EvictionEvent[]): TurnDecision[] {
  return events.map((e) => {
    const { policy, kind, detail, score } = e.reason;
    const { seq, tokens, startPos, endPos } = e;
    const decision: TurnDecision = { seq, kind, policy, tokens, startPos, endPos, detail };
    if (score !== undefined) decision.score = score;
    return decision;
  });
}
