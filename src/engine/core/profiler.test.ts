import { describe, expect, it, vi } from 'vitest';
import type { ProfileSpan } from '../../shared/protocol';
import { createProfiler, DEFAULT_MAX_SPANS } from './profiler';

function fakeClock(start = 0) {
  let now = start;
  const clock = vi.fn(() => now);
  return { clock, set: (t: number) => void (now = t), advance: (dt: number) => void (now += dt) };
}

const brief = (s: ProfileSpan) => [s.name, s.start, s.end, s.depth, s.turn] as const;

describe('createProfiler', () => {
  it('nests spans: depth counts open parents, spans list in end order', () => {
    const t = fakeClock();
    const p = createProfiler({ clock: t.clock });
    p.begin('turn');
    t.set(1);
    p.begin('tokenize');
    t.set(3);
    p.end();
    t.set(4);
    p.begin('policy');
    p.begin('score');
    t.set(4.5);
    p.end();
    t.set(5);
    p.end();
    t.set(10);
    p.end();
    expect(p.spans().map(brief)).toEqual([
      ['tokenize', 1, 3, 1, 0],
      ['score', 4, 4.5, 2, 0],
      ['policy', 4, 5, 1, 0],
      ['turn', 0, 10, 0, 0],
    ]);
  });

  it('stamps each span with the turn current when it began', () => {
    const t = fakeClock();
    const p = createProfiler({ clock: t.clock });
    p.setTurn(1);
    p.begin('outer');
    p.setTurn(2);
    p.begin('inner');
    p.end();
    p.end();
    p.begin('next');
    p.end();
    expect(p.spans().map((s) => [s.name, s.turn])).toEqual([
      ['inner', 2],
      ['outer', 1],
      ['next', 2],
    ]);
  });

  it('end() without an open span throws a clear error', () => {
    const p = createProfiler({ clock: () => 0 });
    expect(() => p.end()).toThrow(/no open span/);
    p.begin('a');
    p.end();
    expect(() => p.end()).toThrow(/no open span/);
    expect(p.spans()).toHaveLength(1);
  });

  it('reads the clock once per begin and once per end', () => {
    const t = fakeClock();
    const p = createProfiler({ clock: t.clock });
    p.begin('a');
    p.begin('b');
    p.end();
    p.end();
    expect(t.clock).toHaveBeenCalledTimes(4);
    p.measure('m', () => 1);
    expect(t.clock).toHaveBeenCalledTimes(6);
  });

  it('measure returns the value of fn and records a span around it', () => {
    const t = fakeClock(100);
    const p = createProfiler({ clock: t.clock });
    const value = p.measure('work', () => {
      t.advance(7);
      return 'done';
    });
    expect(value).toBe('done');
    expect(p.spans().map(brief)).toEqual([['work', 100, 107, 0, 0]]);
  });

  it('measure ends the span and rethrows when fn throws', () => {
    const t = fakeClock();
    const p = createProfiler({ clock: t.clock });
    const boom = new Error('boom');
    p.begin('outer');
    expect(() =>
      p.measure('fails', () => {
        t.advance(2);
        throw boom;
      }),
    ).toThrow(boom);
    p.begin('after'); // depth must be back to 1
    p.end();
    p.end();
    expect(p.spans().map(brief)).toEqual([
      ['fails', 0, 2, 1, 0],
      ['after', 2, 2, 1, 0],
      ['outer', 0, 2, 0, 0],
    ]);
    expect(() => p.end()).toThrow(/no open span/);
  });

  it('measure closes spans that a throwing fn left open, innermost first', () => {
    const t = fakeClock();
    const p = createProfiler({ clock: t.clock });
    expect(() =>
      p.measure('outer', () => {
        t.set(1);
        p.begin('leaked');
        t.set(3);
        throw new Error('x');
      }),
    ).toThrow('x');
    expect(p.spans().map(brief)).toEqual([
      ['leaked', 1, 3, 1, 0],
      ['outer', 0, 3, 0, 0],
    ]);
    expect(() => p.end()).toThrow(/no open span/);
  });

  it('measure reports a span ended inside fn instead of closing its parent', () => {
    const p = createProfiler({ clock: () => 0 });
    p.begin('parent');
    expect(() => p.measure('m', () => p.end())).toThrow(/measure\('m'\): its span was ended inside fn/);
    p.end(); // the parent is still open
    expect(p.spans().map((s) => s.name)).toEqual(['m', 'parent']);
  });

  it('keeps at most maxSpans, dropping the oldest first, across many wraps', () => {
    const t = fakeClock();
    const p = createProfiler({ clock: t.clock, maxSpans: 3 });
    for (let i = 0; i < 11; i++) {
      p.measure(`s${i}`, () => t.advance(1));
      expect(p.spans()).toHaveLength(Math.min(i + 1, 3));
    }
    expect(p.spans().map((s) => s.name)).toEqual(['s8', 's9', 's10']);
    expect(p.spans().map((s) => s.start)).toEqual([8, 9, 10]);
  });

  it('defaults to 20000 spans', () => {
    const p = createProfiler({ clock: () => 0 });
    for (let i = 0; i < DEFAULT_MAX_SPANS + 5; i++) {
      p.begin(String(i));
      p.end();
    }
    const spans = p.spans();
    expect(DEFAULT_MAX_SPANS).toBe(20_000);
    expect(spans).toHaveLength(20_000);
    expect(spans[0].name).toBe('5');
    expect(spans.at(-1)!.name).toBe(String(DEFAULT_MAX_SPANS + 4));
  });

  it('maxSpans 0 keeps nothing but still streams spans to onSpan', () => {
    const seen: string[] = [];
    const p = createProfiler({ clock: () => 0, maxSpans: 0, onSpan: (s) => seen.push(s.name) });
    p.measure('a', () => p.measure('b', () => undefined));
    expect(p.spans()).toEqual([]);
    expect(seen).toEqual(['b', 'a']);
  });

  it.each([-1, 1.5, Number.NaN])('rejects maxSpans %s', (maxSpans) => {
    expect(() => createProfiler({ clock: () => 0, maxSpans })).toThrow(RangeError);
  });

  it('onSpan fires when each span ends, with the recorded span', () => {
    const t = fakeClock();
    const seen: ProfileSpan[] = [];
    const p = createProfiler({ clock: t.clock, onSpan: (s) => seen.push(s) });
    p.begin('a');
    t.set(1);
    p.begin('b');
    expect(seen).toEqual([]);
    t.set(2);
    p.end();
    expect(seen.map(brief)).toEqual([['b', 1, 2, 1, 0]]);
    t.set(4);
    p.end();
    expect(seen.map(brief)).toEqual([
      ['b', 1, 2, 1, 0],
      ['a', 0, 4, 0, 0],
    ]);
    expect(seen).toEqual(p.spans());
  });

  it('stays consistent when onSpan throws', () => {
    const p = createProfiler({
      clock: () => 0,
      onSpan: () => {
        throw new Error('listener');
      },
    });
    p.begin('a');
    expect(() => p.end()).toThrow('listener');
    expect(() => p.end()).toThrow(/no open span/);
    expect(p.spans().map((s) => s.name)).toEqual(['a']);
  });

  it('clear() drops completed spans but keeps open ones open', () => {
    const t = fakeClock();
    const p = createProfiler({ clock: t.clock, maxSpans: 2 });
    p.begin('open');
    for (let i = 0; i < 3; i++) p.measure('done', () => t.advance(1));
    p.clear();
    expect(p.spans()).toEqual([]);
    p.measure('fresh', () => t.advance(1));
    p.end();
    expect(p.spans().map(brief)).toEqual([
      ['fresh', 3, 4, 1, 0],
      ['open', 0, 4, 0, 0],
    ]);
  });

  it('spans() returns a snapshot that later spans do not change', () => {
    const p = createProfiler({ clock: () => 0, maxSpans: 2 });
    p.measure('a', () => 0);
    const first = p.spans();
    expect(p.spans()).toBe(first); // cached while nothing changes
    p.measure('b', () => 0);
    p.measure('c', () => 0);
    expect(first.map((s) => s.name)).toEqual(['a']);
    expect(p.spans().map((s) => s.name)).toEqual(['b', 'c']);
  });

  it('never records a negative duration when the clock steps back', () => {
    const t = fakeClock(10);
    const p = createProfiler({ clock: t.clock });
    p.begin('a');
    t.set(4);
    p.end();
    expect(p.spans().map(brief)).toEqual([['a', 10, 10, 0, 0]]);
  });
});
