import { describe, expect, it } from 'vitest';
import type { EventBatch, HostEvent } from '../shared/protocol.js';
import { EventBatcher, MAX_PENDING_ERRORS } from './batcher.js';

function batcher() {
  const sent: EventBatch[] = [];
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
