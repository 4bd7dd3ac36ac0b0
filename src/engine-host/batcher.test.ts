import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../shared/config.js';
import type { EventBatch, HostEvent, WireBatch } from '../shared/protocol.js';
import { EventBatcher, MAX_HELD, MAX_PENDING_ERRORS } from './batcher.js';

function batcher() {
  const sent: WireBatch[] = [];
  const b = new EventBatcher({ send: (batch) => sent.push(batch), now: () => 0, schedule: () => () => undefined });
  return { b, sent };
}

describe('EventBatcher under a flood', () => {
  it('folds errors past the cap into the last one, so a client that never acks costs a counter', () => {
    const { b, sent } = batcher();
    for (let i = 0; i < 100_000; i++) b.push({ type: 'error', code: 'bad-command', message: `malformed command ${i}` });
    expect(b.pending).toBe(MAX_PENDING_ERRORS);
    b.start();
    b.flush();
    const errors = sent[0].events as Extract<HostEvent, { type: 'error' }>[];
    expect(errors).toHaveLength(MAX_PENDING_ERRORS);
    expect(errors.reduce((n, e) => n + 1 + (e.repeated ?? 0), 0)).toBe(100_000);
  });

  it('keeps only the latest metrics, progress and autosave events while they wait', () => {
    const { b, sent } = batcher();
    for (let i = 0; i < 1000; i++) {
      b.push({ type: 'metrics', text: `m ${i}` });
      b.push({ type: 'autosaved', messages: i, bytes: i });
      b.push({ type: 'openProgress', id: 'u', received: i, total: 1000 });
    }
    expect(b.pending).toBe(3);
    b.start();
    b.flush();
    expect(sent[0].events).toEqual([
      { type: 'metrics', text: 'm 999' },
      { type: 'autosaved', messages: 999, bytes: 999 },
      { type: 'openProgress', id: 'u', received: 999, total: 1000 },
    ]);
    expect(sent[0].merged).toBe(2997);
  });
});

describe('EventBatcher and the view fold', () => {
  const warning = (i: number): HostEvent => ({ type: 'warning', turn: i, code: 'policy-fallback', message: `w${i}` });
  const progress = (i: number): HostEvent => ({ type: 'replayProgress', done: i, total: 100 });

  function folding() {
    const sent: WireBatch[] = [];
    const folded: EventBatch[] = [];
    const b = new EventBatcher({ send: (batch) => sent.push(batch), fold: (batch) => folded.push(batch), now: () => 0, schedule: () => () => undefined, maxInFlight: 1 });
    return { b, sent, folded };
  }

  it('while no client listens, a flush folds what is pending and sends nothing; notices are held, the newest MAX_HELD', () => {
    const { b, sent, folded } = folding();
    for (let i = 0; i < 40; i++) {
      b.push(progress(i));
      b.push(warning(i));
    }
    b.push({ type: 'profileSpan', span: { name: 'policy', start: 0, end: 1, depth: 0, turn: 1 } });
    b.flush();
    expect(sent).toEqual([]);
    expect(b.pending).toBe(0);
    expect(folded.flatMap((x) => x.events).filter((e) => e.type === 'warning')).toHaveLength(40);
    expect(folded.at(-1)?.spans?.names).toEqual(['policy']);
    b.restart(() => ({ events: [{ type: 'engineStopped', reason: 'stand-in for the hello answer' }] }));
    expect(sent).toHaveLength(1);
    const held = sent[0].events.slice(1) as Extract<HostEvent, { type: 'warning' }>[];
    expect(sent[0].events[0].type).toBe('engineStopped');
    expect(held.map((e) => e.turn)).toEqual(Array.from({ length: MAX_HELD }, (_, i) => 40 - MAX_HELD + i));
  });

  it('a hello folds what is pending (the snapshot carries it), sends its answer unfolded and numbered in sequence, and resumes after the ack', () => {
    const { b, sent, folded } = folding();
    b.start();
    b.push(progress(1));
    b.flush(); // in flight, never acked (the client went away)
    b.push(progress(2));
    b.push(progress(3));
    b.restart(() => ({ events: [{ type: 'engineStopped', reason: 'answer' }] }));
    expect(folded.map((x) => x.seq)).toEqual([0, 1]);
    expect(folded[1].events).toEqual([progress(3)]); // last-value-wins while waiting
    expect(sent.map((x) => [x.seq, x.events[0].type])).toEqual([
      [0, 'replayProgress'],
      [2, 'engineStopped'],
    ]);
    b.push(progress(4));
    b.flush();
    expect(sent).toHaveLength(2); // the answer is in flight
    b.ack(2);
    expect(sent.map((x) => x.seq)).toEqual([0, 2, 3]);
    expect(folded.map((x) => x.seq)).toEqual([0, 1, 3]);
  });
});

describe('EventBatcher and profiler spans', () => {
  const span = (i: number): HostEvent => ({ type: 'profileSpan', span: { name: `s${i}`, start: i, end: i + 1, depth: 0, turn: 1 } });

  it('sends at most maxSpans spans a batch, in order, the rest after the next ack; a batch that starts the stores over takes them all', () => {
    const sent: WireBatch[] = [];
    const b = new EventBatcher({ send: (batch) => sent.push(batch), now: () => 0, schedule: () => () => undefined, maxSpans: 3 });
    b.start();
    for (let i = 0; i < 7; i++) b.push(span(i));
    b.flush();
    b.ack(sent[0].seq);
    b.ack(sent[1].seq);
    expect(sent.map((x) => x.spans?.names)).toEqual([['s0', 's1', 's2'], ['s3', 's4', 's5'], ['s6']]);
    expect(Array.from(sent[1].spans!.data)).toEqual([3, 4, 0, 1, 4, 5, 0, 1, 5, 6, 0, 1]);
    b.ack(sent[2].seq);
    for (let i = 0; i < 5; i++) b.push(span(i));
    b.push({ type: 'sessionLoaded', session: { title: 't', messages: 0, config: DEFAULT_CONFIG, tokenizer: 'x' }, messages: [], reason: 'new' });
    b.flush();
    expect(sent[3].spans?.names).toHaveLength(5);
  });
});

describe('EventBatcher window', () => {
  const progress = (i: number): HostEvent => ({ type: 'replayProgress', done: i, total: 100 });
  const warning = (i: number): HostEvent => ({ type: 'warning', turn: i, code: 'policy-fallback', message: `w${i}` });

  it('sends up to maxInFlight batches before an ack; an ack is cumulative', () => {
    const sent: WireBatch[] = [];
    const b = new EventBatcher({ send: (batch) => sent.push(batch), now: () => 0, schedule: () => () => undefined, maxEvents: 2 });
    b.start();
    for (let i = 0; i < 10; i++) b.push(warning(i));
    expect(sent.map((x) => x.seq)).toEqual([0, 1]); // the cap flushed twice, then the window is full
    expect(b.unacked).toBe(2);
    b.ack(1); // acks 0 and 1
    expect(sent.map((x) => x.seq)).toEqual([0, 1, 2]);
    b.ack(7); // not in flight: ignored
    b.ack(2);
    b.ack(3);
    b.ack(4);
    expect(sent.flatMap((x) => x.events).map((e) => (e as Extract<HostEvent, { type: 'warning' }>).turn)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(sent.map((x) => x.seq)).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps last-value-wins and error merging right across taken batches', () => {
    const sent: WireBatch[] = [];
    const b = new EventBatcher({ send: (batch) => sent.push(batch), now: () => 0, schedule: () => () => undefined, maxEvents: 3, maxInFlight: 1 });
    b.start();
    b.push(progress(0));
    b.push(warning(0));
    b.push(warning(1)); // cap: batch 0 = [progress 0, w0, w1], in flight
    b.push(progress(1));
    for (let i = 0; i < 6000; i++) b.push(warning(10 + i)); // past the compaction threshold while in flight
    b.push(progress(2)); // replaces progress 1
    for (let i = 0; i < 40; i++) b.push({ type: 'error', code: 'bad-command', message: `e${i}` });
    for (let s = 0; s < 5000 && b.inFlight !== undefined; s++) b.ack(b.inFlight);
    const events = sent.flatMap((x) => x.events);
    expect(events.filter((e) => e.type === 'replayProgress')).toEqual([progress(0), progress(2)]);
    expect(events.filter((e) => e.type === 'warning')).toHaveLength(6002);
    const errors = events.filter((e) => e.type === 'error') as Extract<HostEvent, { type: 'error' }>[];
    expect(errors).toHaveLength(MAX_PENDING_ERRORS);
    expect(errors.reduce((n, e) => n + 1 + (e.repeated ?? 0), 0)).toBe(40);
    expect(b.pending).toBe(0);
  });
});

describe('EventBatcher sized by the client', () => {
  const warning = (i: number): HostEvent => ({ type: 'warning', turn: i, code: 'policy-fallback', message: `w${i}` });

  it('a batch the client took long to commit shrinks the next ones in proportion; quick ones grow them back; nothing is lost', () => {
    const sent: WireBatch[] = [];
    const b = new EventBatcher({ send: (batch) => sent.push(batch), now: () => 0, schedule: () => () => undefined, maxEvents: 64, maxInFlight: 1, targetClientMs: 4 });
    b.start();
    for (let i = 0; i < 1000; i++) b.push(warning(i));
    expect(sent[0].events).toHaveLength(64);
    b.ack(0, 16); // 4x the target: a quarter of the cap
    expect(b.scale).toBe(0.25);
    expect(sent[1].events).toHaveLength(16);
    b.ack(1, 4); // on target: unchanged
    expect(sent[2].events).toHaveLength(16);
    b.ack(2, 1); // quick: doubles
    expect(sent[3].events).toHaveLength(32);
    b.ack(3, 1000); // very slow: not below 1/16
    expect(b.scale).toBe(1 / 16);
    for (let s = 4; b.inFlight !== undefined; s++) b.ack(s, 0.1);
    expect(b.scale).toBe(1);
    expect(sent.flatMap((x) => x.events)).toHaveLength(1000);
  });

  it('a small batch that was slow (not full) shrinks the caps by its own size, not by the full caps', () => {
    const sent: WireBatch[] = [];
    const b = new EventBatcher({ send: (batch) => sent.push(batch), now: () => 0, schedule: () => () => undefined, maxEvents: 100, targetClientMs: 4 });
    b.start();
    for (let i = 0; i < 40; i++) b.push(warning(i));
    b.flush();
    b.ack(0, 8); // 40 events took twice the target: 20 events' worth
    expect(b.scale).toBeCloseTo(0.2);
  });
});

describe('EventBatcher sized by both sides', () => {
  it("counts the host's own time on a batch (hostClock) with the client's", () => {
    const sent: WireBatch[] = [];
    let clock = 0;
    const b = new EventBatcher({
      send: (batch) => {
        sent.push(batch);
        clock += 6; // the host's framing and IPC write of this batch
      },
      now: () => 0,
      schedule: () => () => undefined,
      maxEvents: 64,
      maxInFlight: 1,
      targetClientMs: 4,
      hostClock: () => clock,
    });
    b.start();
    for (let i = 0; i < 200; i++) b.push({ type: 'warning', turn: i, code: 'policy-fallback', message: `w${i}` });
    b.ack(0, 2); // 2 ms client + 6 ms host = twice the target
    expect(b.scale).toBe(0.5);
    expect(sent[1].events).toHaveLength(32);
  });
});
