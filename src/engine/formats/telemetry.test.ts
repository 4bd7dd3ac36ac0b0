import { describe, expect, it } from 'vitest';
import type { EvictionEvent, MemoryStats, TurnStats } from '../../shared/protocol';
import {
  decisionsFromEvictions,
  escapeLabelValue,
  quantile,
  statsToPrometheus,
  turnDumpLine,
  type PrometheusOptions,
  type TurnDumpRecord,
} from './telemetry';

const stats: MemoryStats = {
  tokensSeen: 1200,
  tokensRetained: 400,
  tokensPinned: 40,
  tokensEvicted: 800,
  evictions: 7,
  compressionRatio: 3,
  policyLatencyMs: 2.5,
  policyLatencyMsTotal: 125,
  policyCalls: 11,
  fallbackCount: 1,
  anchorCacheHits: 90,
  anchorCacheMisses: 10,
  contextBuilds: 12,
  turns: 6,
};

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}
interface Family {
  type: string;
  help: string;
  samples: Sample[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const VALUE = /^(?:[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?|[+-]Inf|NaN)$/;

function parseLabels(text: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let i = 0;
  while (i < text.length) {
    const m = /^([a-zA-Z_][a-zA-Z0-9_]*)="/.exec(text.slice(i));
    if (!m) throw new Error(`bad label at ${JSON.stringify(text.slice(i))}`);
    i += m[0].length;
    let value = '';
    for (;;) {
      const c = text[i++];
      if (c === undefined) throw new Error(`unterminated label value in ${text}`);
      if (c === '"') break;
      if (c === '\n') throw new Error('raw newline in label value');
      if (c !== '\\') value += c;
      else {
        const e = text[i++];
        if (e === '\\' || e === '"') value += e;
        else if (e === 'n') value += '\n';
        else throw new Error(`bad escape \\${e}`);
      }
    }
    if (m[1] in labels) throw new Error(`duplicate label ${m[1]}`);
    labels[m[1]] = value;
    if (i < text.length && text[i++] !== ',') throw new Error(`expected ',' in ${text}`);
  }
  return labels;
}

/** A strict reader of text format 0.0.4: HELP and TYPE before samples, families in one group. */
function parseExposition(text: string): Map<string, Family> {
  if (!text.endsWith('\n')) throw new Error('must end with a newline');
  const families = new Map<string, Family & { helpSeen: boolean }>();
  const series = new Set<string>();
  const family = (name: string) => {
    if (!families.has(name)) families.set(name, { type: '', help: '', samples: [], helpSeen: false });
    return families.get(name)!;
  };
  let current: string | undefined;
  for (const line of text.slice(0, -1).split('\n')) {
    const meta = /^# (HELP|TYPE) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta;
      if (!NAME.test(name)) throw new Error(`bad metric name ${name}`);
      const f = family(name);
      if (f.samples.length > 0) throw new Error(`${kind} for ${name} after its samples`);
      if (kind === 'HELP') {
        if (f.helpSeen) throw new Error(`second HELP for ${name}`);
        f.help = rest.replace(/\\(\\|n)/g, (_, c: string) => (c === 'n' ? '\n' : '\\'));
        f.helpSeen = true;
      } else {
        if (f.type !== '') throw new Error(`second TYPE for ${name}`);
        if (!['counter', 'gauge', 'summary', 'histogram', 'untyped'].includes(rest)) throw new Error(`bad type ${rest}`);
        f.type = rest;
      }
      continue;
    }
    const m = /^([^{} ]+)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${JSON.stringify(line)}`);
    const [, name, labelText, value] = m;
    if (!NAME.test(name)) throw new Error(`bad metric name ${name}`);
    if (!VALUE.test(value)) throw new Error(`bad value ${value}`);
    const base = /^(.*)_(sum|count|bucket)$/.exec(name)?.[1];
    const famName = base !== undefined && ['summary', 'histogram'].includes(families.get(base)?.type ?? '') ? base : name;
    const f = families.get(famName);
    if (f === undefined || f.type === '' || !f.helpSeen) throw new Error(`sample ${name} before HELP and TYPE`);
    if (f.samples.length > 0 && current !== famName) throw new Error(`samples of ${famName} are not grouped`);
    current = famName;
    const key = `${name}{${labelText ?? ''}}`;
    if (series.has(key)) throw new Error(`duplicate series ${key}`);
    series.add(key);
    f.samples.push({ name, labels: parseLabels(labelText ?? ''), value: Number(value.replace('Inf', 'Infinity')) });
  }
  for (const [name, f] of families) if (f.samples.length === 0) throw new Error(`${name} has no samples`);
  return families;
}

const value = (fams: Map<string, Family>, name: string, labels: Record<string, string> = {}) =>
  [...fams.values()]
    .flatMap((f) => f.samples)
    .find((s) => s.name === name && JSON.stringify(s.labels) === JSON.stringify(labels))?.value;

describe('parseExposition (the checker itself)', () => {
  it.each([
    ['a sample before its TYPE', '# HELP x_total h\nx_total 1\n# TYPE x_total counter\n'],
    ['a bad metric name', '# HELP 1x h\n# TYPE 1x gauge\n1x 1\n'],
    ['a bad escape', '# HELP x h\n# TYPE x gauge\nx{a="\\t"} 1\n'],
    ['a bad value', '# HELP x h\n# TYPE x gauge\nx one\n'],
    ['no final newline', '# HELP x h\n# TYPE x gauge\nx 1'],
    ['split groups', '# HELP x h\n# TYPE x gauge\n# HELP y h\n# TYPE y gauge\nx{a="1"} 1\ny 1\nx{a="2"} 1\n'],
  ])('rejects %s', (_, text) => {
    expect(() => parseExposition(text)).toThrow();
  });
});

describe('statsToPrometheus', () => {
  it('exposes every stat with HELP, TYPE and base units', () => {
    const text = statsToPrometheus(stats);
    const fams = parseExposition(text);
    const expected: Array<[string, string, number]> = [
      ['fms_tokens_seen_total', 'counter', 1200],
      ['fms_tokens_evicted', 'gauge', 800],
      ['fms_evictions_total', 'counter', 7],
      ['fms_policy_calls_total', 'counter', 11],
      ['fms_policy_seconds_total', 'counter', 0.125],
      ['fms_policy_fallbacks_total', 'counter', 1],
      ['fms_anchor_cache_hits_total', 'counter', 90],
      ['fms_anchor_cache_misses_total', 'counter', 10],
      ['fms_context_builds_total', 'counter', 12],
      ['fms_turns_total', 'counter', 6],
      ['fms_tokens_retained', 'gauge', 400],
      ['fms_tokens_pinned', 'gauge', 40],
      ['fms_compression_ratio', 'gauge', 3],
      ['fms_policy_last_latency_seconds', 'gauge', 0.0025],
    ];
    expect([...fams.keys()]).toEqual(expected.map(([name]) => name));
    for (const [name, type, v] of expected) {
      expect(fams.get(name)!.type, name).toBe(type);
      expect(fams.get(name)!.help.length, name).toBeGreaterThan(5);
      expect(value(fams, name), name).toBe(v);
      if (type === 'counter') expect(name).toMatch(/_total$/);
    }
    expect(text).toMatch(/\n$/);
    expect(text).not.toMatch(/\n\n/);
    expect(text).not.toContain('{'); // no labels given, no braces
  });

  it('applies a prefix and labels to every sample, escaping label values', () => {
    const nasty = 'C:\\models\\"tiny"\nline2';
    const text = statsToPrometheus(stats, { prefix: 'studio', labels: { session: nasty, policy: 'sliding' } });
    expect(text).toContain('session="C:\\\\models\\\\\\"tiny\\"\\nline2"');
    const fams = parseExposition(text);
    expect([...fams.keys()].every((n) => n.startsWith('studio_'))).toBe(true);
    for (const f of fams.values()) for (const s of f.samples) expect(s.labels).toEqual({ session: nasty, policy: 'sliding' });
    expect(value(fams, 'studio_evictions_total', { session: nasty, policy: 'sliding' })).toBe(7);
  });

  it('escapes backslash, double quote and newline in label values', () => {
    expect(escapeLabelValue('a\\b"c\nd')).toBe('a\\\\b\\"c\\nd');
    expect(escapeLabelValue('plain')).toBe('plain');
  });

  const invalid: PrometheusOptions[] = [
    { prefix: '9fms' },
    { prefix: 'fm-s' },
    { labels: { 'bad-name': 'x' } },
    { labels: { __name__: 'x' } },
    { labels: { quantile: 'x' } },
  ];
  it.each(invalid)(
    'rejects invalid names %o',
    (options) => {
      expect(() => statsToPrometheus(stats, options)).toThrow(/invalid/);
    },
  );

  it('writes +Inf and NaN in Prometheus spelling', () => {
    const fams = parseExposition(statsToPrometheus({ ...stats, compressionRatio: Infinity, policyLatencyMs: Number.NaN }));
    expect(value(fams, 'fms_compression_ratio')).toBe(Infinity);
    expect(value(fams, 'fms_policy_last_latency_seconds')).toBeNaN();
  });

  const turn = (n: number, engineMs: number): TurnStats => ({
    turn: n, tokensIn: 10, tokenizeMs: 1, policyMs: engineMs / 2, buildMs: engineMs / 2, engineMs,
    evictedTokens: 0, evictionEvents: 0, contextTokens: 100, used: 100,
  });

  it('summarises per-turn engine time in seconds with nearest-rank quantiles', () => {
    const ms = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100) + 1); // 1..100 ms, shuffled
    const text = statsToPrometheus(stats, { labels: { run: 'a' }, turns: ms.map((m, i) => turn(i, m)) });
    const fams = parseExposition(text);
    const summary = fams.get('fms_turn_engine_seconds')!;
    expect(summary.type).toBe('summary');
    expect(summary.samples.map((s) => s.name)).toEqual([
      'fms_turn_engine_seconds', 'fms_turn_engine_seconds', 'fms_turn_engine_seconds',
      'fms_turn_engine_seconds_sum', 'fms_turn_engine_seconds_count',
    ]);
    expect(value(fams, 'fms_turn_engine_seconds', { run: 'a', quantile: '0.5' })).toBe(0.05);
    expect(value(fams, 'fms_turn_engine_seconds', { run: 'a', quantile: '0.9' })).toBe(0.09);
    expect(value(fams, 'fms_turn_engine_seconds', { run: 'a', quantile: '0.99' })).toBe(0.099);
    expect(summary.samples[3].value).toBeCloseTo(5.05, 12);
    expect(summary.samples[4].value).toBe(100);
  });

  it('reports quantiles of a small sample as observed values', () => {
    const fams = parseExposition(statsToPrometheus(stats, { turns: [40, 10, 30, 20].map((m, i) => turn(i, m)) }));
    const q = (x: string) => value(fams, 'fms_turn_engine_seconds', { quantile: x });
    expect([q('0.5'), q('0.9'), q('0.99')]).toEqual([0.02, 0.04, 0.04]);
    expect(quantile([3, 1, 2], 0)).toBe(1);
    expect(quantile([3, 1, 2], 1)).toBe(3);
    const oneToSeven = [7, 3, 5, 1, 6, 2, 4];
    expect([0.5, 0.9, 0.99].map((x) => quantile(oneToSeven, x))).toEqual([4, 7, 7]); // ranks ceil(3.5), ceil(6.3)
    expect([0.1, 0.5].map((x) => quantile([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], x))).toEqual([1, 5]);
    expect(quantile([], 0.5)).toBeNaN();
  });

  it('an empty turn list gives NaN quantiles and zero count; no turns gives no summary', () => {
    const fams = parseExposition(statsToPrometheus(stats, { turns: [] }));
    expect(value(fams, 'fms_turn_engine_seconds', { quantile: '0.5' })).toBeNaN();
    expect(value(fams, 'fms_turn_engine_seconds_count')).toBe(0);
    expect(value(fams, 'fms_turn_engine_seconds_sum')).toBe(0);
    expect(parseExposition(statsToPrometheus(stats)).has('fms_turn_engine_seconds')).toBe(false);
  });
});

const eviction = (seq: number, score?: number): EvictionEvent => ({
  type: 'eviction', turn: 3, seq, startPos: 100 + seq * 10, endPos: 110 + seq * 10, tokens: 10,
  ranges: [{ messageId: 2, from: 0, to: 10 }], preview: 'old text',
  reason: {
    policy: 'sliding',
    kind: seq === 0 ? 'budget' : 'sentence-align',
    detail: `drop ${seq}`,
    score,
    budget: { maxTokens: 512, usedBefore: 530, usedAfter: 520 },
  },
});

describe('decisionsFromEvictions', () => {
  it('maps eviction events to decisions in order, omitting a missing score', () => {
    const decisions = decisionsFromEvictions([eviction(0), eviction(1, 0.25)]);
    expect(decisions).toEqual([
      { seq: 0, kind: 'budget', policy: 'sliding', tokens: 10, startPos: 100, endPos: 110, detail: 'drop 0' },
      { seq: 1, kind: 'sentence-align', policy: 'sliding', tokens: 10, startPos: 110, endPos: 120, detail: 'drop 1', score: 0.25 },
    ]);
    expect('score' in decisions[0]).toBe(false);
    expect(decisionsFromEvictions([])).toEqual([]);
  });
});

describe('turnDumpLine', () => {
  const record: TurnDumpRecord = {
    turn: 3,
    input: 'first line\nsecond "quoted"\r\nthird\u2028fourth\u2029end',
    output: 'answer\n\nwith blank line',
    tokens: { input: 12, output: 30, context: 480 },
    stats,
    turnStats: turn0(),
    decisions: decisionsFromEvictions([eviction(0), eviction(1, 0.5)]),
  };

  it('is one JSON line ending in a newline, with no raw line breaks inside', () => {
    const line = turnDumpLine(record);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.indexOf('\n')).toBe(line.length - 1);
    expect(line).not.toMatch(/[\r\u2028\u2029]/);
    expect(line.split(/\r\n|\r|\n|\u2028|\u2029/)).toHaveLength(2);
    expect(JSON.parse(line)).toEqual({ v: 1, ...record });
  });

  it('starts with the format version and drops undefined optional fields', () => {
    const { output: _o, turnStats: _t, ...bare } = record;
    const line = turnDumpLine(bare);
    expect(line.startsWith('{"v":1,"turn":3,')).toBe(true);
    const parsed = JSON.parse(line) as Record<string, unknown>;
    expect(Object.keys(parsed)).toEqual(['v', 'turn', 'input', 'tokens', 'stats', 'decisions']);
    expect(parsed.input).toBe(record.input);
  });

  it('writes only the record fields', () => {
    const withExtra = { ...record, secret: 'not for the dump' } as TurnDumpRecord;
    expect(turnDumpLine(withExtra)).not.toContain('secret');
  });
});

function turn0(): TurnStats {
  return {
    turn: 3, tokensIn: 12, tokenizeMs: 0.5, policyMs: 1.25, buildMs: 0.75, engineMs: 2,
    evictedTokens: 20, evictionEvents: 2, contextTokens: 480, used: 492,
  };
}
