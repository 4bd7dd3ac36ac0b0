import { describe, expect, it } from 'vitest';
import { Supervisor, type HostProcess } from './supervisor.js';

class FakeProc implements HostProcess {
  listeners: ((code: number | null, signal?: string) => void)[] = [];
  killed = false;
  onExit(l: (code: number | null, signal?: string) => void) {
    this.listeners.push(l);
  }
  kill() {
    this.killed = true;
    this.crash(null, 'SIGTERM');
  }
  crash(code: number | null, signal?: string) {
    this.listeners.forEach((l) => l(code, signal));
  }
}

function setup() {
  let now = 0;
  const timers: { at: number; fn: () => void }[] = [];
  const started: (string | undefined)[] = [];
  const procs: FakeProc[] = [];
  let gaveUp: string | undefined;
  const sup = new Supervisor<FakeProc>({
    spawn: () => {
      const p = new FakeProc();
      procs.push(p);
      return p;
    },
    onStart: (_p, reason) => started.push(reason),
    onGiveUp: (r) => (gaveUp = r),
    schedule: (fn, ms) => timers.push({ at: now + ms, fn }),
    now: () => now,
  });
  const advance = (ms: number) => {
    now += ms;
    for (const t of timers.filter((t) => t.at <= now)) {
      timers.splice(timers.indexOf(t), 1);
      t.fn();
    }
  };
  return { sup, started, procs, advance, timers, gaveUp: () => gaveUp };
}

describe('Supervisor', () => {
  it('restarts a crashed host with exponential backoff and says why', () => {
    const s = setup();
    s.sup.start();
    s.procs[0].crash(1);
    expect(s.started).toHaveLength(1);
    s.advance(249);
    expect(s.started).toHaveLength(1);
    s.advance(1);
    expect(s.started[1]).toBe('the engine exited unexpectedly (code 1); restarted after 250 ms');
    s.procs[1].crash(null, 'SIGKILL');
    s.advance(499);
    expect(s.started).toHaveLength(2);
    s.advance(1);
    expect(s.started[2]).toMatch(/killed \(SIGKILL\); restarted after 500 ms/);
  });

  it('gives up after too many crashes in a minute', () => {
    const s = setup();
    s.sup.start();
    for (let i = 0; i < 6; i++) {
      s.procs[s.procs.length - 1].crash(1);
      s.advance(10_000);
    }
    expect(s.gaveUp()).toMatch(/crashed 6 times in a minute/);
    expect(s.procs).toHaveLength(6);
  });

  it('restarts on request at once, without counting a crash', () => {
    const s = setup();
    s.sup.start();
    for (let i = 0; i < 8; i++) s.sup.restart();
    expect(s.procs).toHaveLength(9);
    expect(s.started.at(-1)).toBe('the engine was restarted on request');
    expect(s.gaveUp()).toBeUndefined();
    expect(s.sup.current).toBe(s.procs[8]);
  });

  it('has no current host while a crashed one waits to restart', () => {
    const s = setup();
    s.sup.start();
    s.procs[0].crash(1);
    expect(s.sup.current).toBeUndefined();
    s.advance(250);
    expect(s.sup.current).toBe(s.procs[1]);
  });

  it('does not restart a host stopped on purpose', () => {
    const s = setup();
    s.sup.start();
    s.sup.stop();
    s.advance(60_000);
    expect(s.procs).toHaveLength(1);
    expect(s.procs[0].killed).toBe(true);
  });
});
