import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';
import draft06 from 'ajv/dist/refs/json-schema-draft-06.json';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProfileSpan } from '../../shared/protocol';
import { toChromeTrace, toSpeedscope, type ChromeTraceEvent, type SpeedscopeFile } from './profileExport';
import { createProfiler } from '../core/profiler';

const here = path.dirname(fileURLToPath(import.meta.url));
const schemaPath = path.resolve(here, '../../../formats/speedscope-file-format-schema.json') // vendored from speedscope's file-format-schema.json;
const ajv = new Ajv({ allErrors: true });
ajv.addMetaSchema(draft06);
const validateSpeedscope = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));

const span = (name: string, start: number, end: number, depth: number, turn = 0): ProfileSpan => ({
  name,
  start,
  end,
  depth,
  turn,
});

interface Opened {
  name: string;
  start: number;
  end: number;
  depth: number;
}

/** Replays O/C events: times never go back, every C closes the top frame, nothing stays open. */
function checkSpeedscope(file: SpeedscopeFile): Opened[] {
  expect(validateSpeedscope(file), JSON.stringify(validateSpeedscope.errors)).toBe(true);
  const [profile] = file.profiles;
  const stack: Opened[] = [];
  const opened: Opened[] = [];
  let last = -Infinity;
  for (const e of profile.events) {
    if (e.at < last) throw new Error(`event at ${e.at} after ${last}`);
    last = e.at;
    const name = file.shared.frames[e.frame]?.name;
    if (name === undefined) throw new Error(`unknown frame ${e.frame}`);
    if (e.type === 'O') {
      const o = { name, start: e.at, end: Number.NaN, depth: stack.length };
      stack.push(o);
      opened.push(o);
    } else {
      const top = stack.pop();
      if (top === undefined) throw new Error(`close of ${name} with nothing open`);
      if (top.name !== name) throw new Error(`close of ${name} while ${top.name} is on top`);
      top.end = e.at;
    }
  }
  if (stack.length > 0) throw new Error(`unclosed: ${stack.map((s) => s.name).join(',')}`);
  if (opened.length > 0) {
    expect(profile.startValue).toBe(opened[0].start);
    expect(profile.endValue).toBe(last);
  }
  return opened;
}

type Complete = Extract<ChromeTraceEvent, { ph: 'X' }>;

/** Each X event contains or is disjoint from every other on its thread (in whole ns, as Perfetto reads them). */
function checkChrome(trace: ReturnType<typeof toChromeTrace>): Complete[] {
  expect(JSON.parse(JSON.stringify(trace))).toEqual(trace);
  const xs = trace.traceEvents.filter((e): e is Complete => e.ph === 'X');
  const ns = xs.map((e) => ({ e, s: Math.round(e.ts * 1000), t: Math.round((e.ts + e.dur) * 1000) }));
  for (let i = 0; i < ns.length; i++) {
    const a = ns[i];
    expect(Math.abs(a.e.ts * 1000 - a.s)).toBeLessThan(1e-3);
    expect(a.e.dur).toBeGreaterThanOrEqual(0);
    if (i > 0) {
      const p = ns[i - 1];
      expect(p.s < a.s || (p.s === a.s && p.t - p.s >= a.t - a.s), 'ts ascending, longer dur first').toBe(true);
    }
    for (let j = i + 1; j < ns.length; j++) {
      const b = ns[j];
      if (a.e.tid !== b.e.tid || a.e.pid !== b.e.pid) continue;
      const disjoint = a.t <= b.s || b.t <= a.s;
      const nested = (a.s <= b.s && b.t <= a.t) || (b.s <= a.s && a.t <= b.t);
      if (!disjoint && !nested) throw new Error(`${a.e.name} and ${b.e.name} overlap without nesting`);
    }
  }
  return xs;
}

const opens = (file: SpeedscopeFile) =>
  file.profiles[0].events.map((e) => `${e.type}:${file.shared.frames[e.frame].name}@${e.at}`);

describe('toSpeedscope', () => {
  it('writes a schema-valid evented profile with shared frames', () => {
    const spans = [span('tokenize', 1, 3, 1), span('policy', 4, 5, 1), span('turn', 0, 10, 0), span('policy', 11, 12, 0)];
    const file = toSpeedscope(spans, { name: 'session' });
    checkSpeedscope(file);
    expect(file.shared.frames).toEqual([{ name: 'turn' }, { name: 'tokenize' }, { name: 'policy' }]);
    expect(file.profiles[0]).toMatchObject({ type: 'evented', name: 'session', unit: 'milliseconds' });
    expect(file.profiles[0].startValue).toBe(0);
    expect(file.profiles[0].endValue).toBe(12);
    expect(opens(file)).toEqual([
      'O:turn@0', 'O:tokenize@1', 'C:tokenize@3', 'O:policy@4', 'C:policy@5', 'C:turn@10', 'O:policy@11', 'C:policy@12',
    ]);
  });

  it('the schema check rejects a broken profile (the validator is live)', () => {
    const file = toSpeedscope([span('a', 0, 1, 0)], { name: 'x' });
    const broken = { ...file, profiles: [{ ...file.profiles[0], unit: 'parsecs' }] };
    expect(validateSpeedscope(broken)).toBe(false);
    expect(validateSpeedscope({ ...file, shared: {} })).toBe(false);
  });

  it('opens the parent before the child and closes the child first at equal times', () => {
    const parent = span('parent', 0, 5, 0);
    const child = span('child', 0, 5, 1);
    for (const spans of [[child, parent], [parent, child]]) {
      const file = toSpeedscope(spans, { name: 'x' });
      checkSpeedscope(file);
      expect(opens(file)).toEqual(['O:parent@0', 'O:child@0', 'C:child@5', 'C:parent@5']);
    }
  });

  it('keeps zero-length spans with their real parent and siblings', () => {
    // Profiler order: C [5,5] inside P [0,5], then Q [5,7] and a zero-length sibling Z before it.
    const spans = [span('C', 5, 5, 1), span('P', 0, 5, 0), span('Z', 5, 5, 0), span('Q', 5, 7, 0)];
    const file = toSpeedscope(spans, { name: 'x' });
    checkSpeedscope(file);
    expect(opens(file)).toEqual(['O:P@0', 'O:C@5', 'C:C@5', 'C:P@5', 'O:Z@5', 'C:Z@5', 'O:Q@5', 'C:Q@7']);
  });

  it('lays out spans from several turns in time order, whatever order they come in', () => {
    const turn1 = [span('policy', 1, 2, 1, 1), span('turn', 0, 3, 0, 1)];
    const turn2 = [span('policy', 11, 12, 1, 2), span('turn', 10, 13, 0, 2)];
    const file = toSpeedscope([...turn2, ...turn1], { name: 'x' });
    const opened = checkSpeedscope(file);
    expect(opened.map((o) => [o.name, o.start, o.end, o.depth])).toEqual([
      ['turn', 0, 3, 0],
      ['policy', 1, 2, 1],
      ['turn', 10, 13, 0],
      ['policy', 11, 12, 1],
    ]);
  });

  it('clips spans that overlap without nesting and skips non-finite ones', () => {
    const spans = [span('a', 0, 10, 0), span('b', 5, 15, 0), span('bad', Number.NaN, 3, 0), span('inf', 0, Infinity, 0)];
    const file = toSpeedscope(spans, { name: 'x' });
    checkSpeedscope(file);
    expect(opens(file)).toEqual(['O:a@0', 'O:b@5', 'C:b@10', 'C:a@10']);
  });

  it('exports an empty profile for no spans', () => {
    const file = toSpeedscope([], { name: 'empty' });
    expect(checkSpeedscope(file)).toEqual([]);
    expect(file.profiles[0]).toMatchObject({ startValue: 0, endValue: 0, events: [] });
  });
});

describe('toChromeTrace', () => {
  it('writes complete events in µs with the turn, after process and thread names', () => {
    const trace = toChromeTrace([span('policy', 1.5, 2.25, 1, 4), span('turn', 1, 3, 0, 4)], { pid: 7, tid: 9 });
    expect(trace.displayTimeUnit).toBe('ms');
    expect(trace.traceEvents).toEqual([
      { name: 'process_name', ph: 'M', ts: 0, pid: 7, tid: 9, args: { name: 'Finite Memory Studio' } },
      { name: 'thread_name', ph: 'M', ts: 0, pid: 7, tid: 9, args: { name: 'engine' } },
      { name: 'turn', cat: 'engine', ph: 'X', ts: 1000, dur: 2000, pid: 7, tid: 9, args: { turn: 4 } },
      { name: 'policy', cat: 'engine', ph: 'X', ts: 1500, dur: 750, pid: 7, tid: 9, args: { turn: 4 } },
    ]);
    checkChrome(trace);
  });

  it('defaults pid and tid to 1 and sorts by ts, then longer dur first', () => {
    const trace = toChromeTrace([span('c', 2, 3, 1), span('b', 0, 1, 1), span('a', 0, 3, 0)]);
    const xs = checkChrome(trace);
    expect(xs.map((e) => [e.name, e.ts, e.dur, e.pid, e.tid])).toEqual([
      ['a', 0, 3000, 1, 1],
      ['b', 0, 1000, 1, 1],
      ['c', 2000, 1000, 1, 1],
    ]);
  });

  it('rounds to whole nanoseconds so that fractional children stay inside their parent', () => {
    const spans = [span('child', 0.1 + 0.2, 0.7, 1), span('parent', 0.1, 0.7, 0)];
    const xs = checkChrome(toChromeTrace(spans));
    expect(xs.map((e) => [e.name, e.ts, e.dur])).toEqual([
      ['parent', 100, 600],
      ['child', 300, 400],
    ]);
  });
});

type Op = { op: 'begin'; name: string } | { op: 'end' } | { op: 'tick'; dt: number } | { op: 'turn' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('begin' as const), name: fc.constantFrom('turn', 'policy', 'score', 'build', 'x"\n') }),
  fc.constant({ op: 'end' as const }),
  fc.record({
    op: fc.constant('tick' as const),
    dt: fc.oneof(fc.constantFrom(0, 1, 2), fc.double({ min: 0, max: 3, noNaN: true })),
  }),
  fc.constant({ op: 'turn' as const }),
);

/** Runs ops on a profiler; returns its spans and, as the oracle, the same spans in begin order. */
function runOps(ops: readonly Op[], maxSpans: number) {
  let now = 0;
  let turn = 0;
  let begins = 0;
  const open: number[] = [];
  const beginIndex = new Map<ProfileSpan, number>();
  const p = createProfiler({ clock: () => now, maxSpans, onSpan: (s) => beginIndex.set(s, open.pop()!) });
  for (const o of ops) {
    if (o.op === 'begin') {
      p.begin(o.name);
      open.push(begins++);
    } else if (o.op === 'end' && open.length > 0) p.end();
    else if (o.op === 'tick') now += o.dt;
    else if (o.op === 'turn') p.setTurn(++turn);
  }
  while (open.length > 0) p.end();
  const spans = p.spans();
  const expected = [...spans].sort((a, b) => beginIndex.get(a)! - beginIndex.get(b)!);
  return { spans, expected };
}

describe('exports of random profiler runs (property)', () => {
  it('are balanced, properly nested, and replay every span in begin order at its depth', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 80 }), fc.integer({ min: 1, max: 40 }), (ops, maxSpans) => {
        const { spans, expected } = runOps(ops, maxSpans);
        const opened = checkSpeedscope(toSpeedscope(spans, { name: 'prop' }));
        expect(opened.map((o) => [o.name, o.start, o.end, o.depth])).toEqual(
          expected.map((s) => [s.name, s.start, s.end, s.depth]),
        );
        const xs = checkChrome(toChromeTrace(spans));
        expect(xs).toHaveLength(spans.length);
        const key = (n: string, a: number, b: number) => `${n}|${Math.round(a * 1e6)}|${Math.round(b * 1e6)}`;
        expect(xs.map((e) => key(e.name, e.ts / 1000, (e.ts + e.dur) / 1000)).sort()).toEqual(
          spans.map((s) => key(s.name, s.start, s.end)).sort(),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('stay well-formed for arbitrary, overlapping, shuffled spans', () => {
    const spanArb = fc.record({
      name: fc.constantFrom('a', 'b', 'c'),
      start: fc.integer({ min: 0, max: 20 }),
      end: fc.integer({ min: 0, max: 20 }),
      depth: fc.integer({ min: 0, max: 4 }),
      turn: fc.integer({ min: 0, max: 3 }),
    });
    fc.assert(
      fc.property(fc.array(spanArb, { maxLength: 40 }), (spans) => {
        const opened = checkSpeedscope(toSpeedscope(spans, { name: 'any' }));
        expect(opened).toHaveLength(spans.length);
        expect(checkChrome(toChromeTrace(spans))).toHaveLength(spans.length);
      }),
      { numRuns: 300 },
    );
  });
});
