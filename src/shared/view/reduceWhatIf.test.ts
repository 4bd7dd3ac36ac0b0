import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type EngineConfig } from '../config.js';
import type { WhatIfResult, WhatIfSide } from '../protocol.js';
import { batch, hello, helloFrom, loaded } from '../testing/viewEvents.js';
import { reduceWhatIf } from './reduceWhatIf.js';
import { toSnapshot } from './snapshot.js';
import { ViewModel } from './viewModel.js';
import { emptyWhatIf } from './viewState.js';

const side = (maxTokens: number): WhatIfSide => ({ config: { ...(DEFAULT_CONFIG as EngineConfig), maxTokens }, contextTokens: maxTokens - 20, evictions: 7, evictedTokens: 300, engineMs: 1.5, segments: [{ messageId: 1, from: 0, to: 12, role: 'user', pinned: false }] });
const answer = (a: number, b: number): WhatIfResult => ({ type: 'whatIfResult', messages: 4, a: side(a), b: side(b) });

describe('reduceWhatIf', () => {
  it('keeps the last answer; a re-run keeps it, another session clears it', () => {
    const first = answer(300, 1200);
    const second = answer(512, 2048);
    expect(reduceWhatIf(emptyWhatIf(), [first, second])?.result).toBe(second);
    expect(reduceWhatIf({ result: second }, [loaded('rerun')])).toBeUndefined();
    expect(reduceWhatIf({ result: second }, [loaded('open')])).toEqual({ result: undefined });
    expect(reduceWhatIf({ result: second }, [{ type: 'replayProgress', done: 1, total: 2 }])).toBeUndefined();
  });

  it('travels in the snapshot: a late client shows the same comparison', () => {
    const model = new ViewModel();
    expect('whatIf' in toSnapshot(model).snapshot).toBe(false);
    model.apply(batch([answer(300, 1200)]));
    const late = new ViewModel();
    late.apply(batch([helloFrom(model)]));
    expect(late.whatIf).toEqual(model.whatIf);
    late.apply(batch([hello()]));
    expect(late.whatIf.result).toBeUndefined();
  });
});
