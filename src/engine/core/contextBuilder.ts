import type { ContextSegment } from '../../shared/protocol.js';
import type { Ledger } from './ledger.js';
import type { RunDeque } from './runDeque.js';
import { FLAG_SENTENCE_START, type TokenRing } from './tokenRing.js';

/** Where a segment's tokens live: an offset into the pinned or window ring, or a recalled span. */
export interface SegmentSource {
  store: 'pinned' | 'window' | 'recalled' | 'summary';
  /** Ring offset of the first token, or the index into ledger.recalled (0 for the summary). */
  index: number;
}

/** A built context: which tokens of which messages go to the model, in order. */
export interface BuiltContext {
  segments: ContextSegment[];
  sources: SegmentSource[];
  /** Tokens including template overhead and the generation prompt. */
  tokens: number;
  startsAtSentence: boolean;
}

/**
 * Pinned tokens + the retained window (the policy keeps it under budget and aligned to a sentence
 * start), merged in conversation order, one segment per message run. O(messages in the context).
 * If pinned tokens alone exceed the budget, the newest pinned tokens are left out so the context
 * still never exceeds `maxTokens`.
 */
export function buildContext(ledger: Ledger, maxTokens: number): BuiltContext {
  const { segments, sources } = retainedRuns(ledger);
  let tokens = ledger.used();
  if (tokens > maxTokens) tokens = trimToBudget(ledger, segments, sources, tokens, maxTokens);
  const win = ledger.window;
  return { segments, sources, tokens, startsAtSentence: win.length === 0 || startsSentence(win) };
}

/** Every retained run — pinned, window and recalled — merged in conversation order, with its source. */
export function retainedRuns(ledger: Ledger): { segments: ContextSegment[]; sources: SegmentSource[] } {
  const segments: ContextSegment[] = [];
  const sources: SegmentSource[] = [];
  const pr = ledger.pinnedRuns;
  const wr = ledger.windowRuns;
  const rec = ledger.recalled;
  let p = 0;
  let w = 0;
  let r = 0;
  let pIdx = 0;
  let wIdx = 0;
  const INF = Number.MAX_SAFE_INTEGER;
  let summary = ledger.summary;
  while (p < pr.length || w < wr.length || r < rec.length || summary) {
    const ps = p < pr.length ? pr.start(p) : INF;
    const ws = w < wr.length ? wr.start(w) : INF;
    const rs = r < rec.length ? rec[r].startPos : INF;
    // the summary goes where its first summarized token was: after older pinned runs, before the rest
    if (summary && summary.startPos <= ws && summary.startPos <= rs && summary.startPos < ps) {
      segments.push({ messageId: summary.messageId, from: 0, to: summary.ids.length, role: ledger.messageRole(summary.messageId), pinned: false, summary: true });
      sources.push({ store: 'summary', index: 0 });
      summary = undefined;
    } else if (rs < ps && rs < ws) {
      const span = rec[r];
      segments.push({ messageId: span.messageId, from: span.from, to: span.to, role: ledger.messageRole(span.messageId), pinned: false, recalled: true });
      sources.push({ store: 'recalled', index: r++ });
    } else if (ps < ws) {
      pushSegment(ledger, pr, p, true, pIdx, segments, sources);
      pIdx += pr.count(p++);
    } else {
      pushSegment(ledger, wr, w, false, wIdx, segments, sources);
      wIdx += wr.count(w++);
    }
  }
  return { segments, sources };
}

/** The token ids and flags of segment i of a built context. */
export function segmentTokens(ledger: Ledger, built: Pick<BuiltContext, 'segments' | 'sources'>, i: number): { ids: Int32Array; flags: Uint8Array } {
  const seg = built.segments[i];
  const src = built.sources[i];
  const n = seg.to - seg.from;
  if (src.store === 'recalled' || src.store === 'summary') {
    const span = src.store === 'summary' ? (ledger.summary as NonNullable<typeof ledger.summary>) : ledger.recalled[src.index];
    return { ids: span.ids.subarray(0, n), flags: span.flags.subarray(0, n) };
  }
  const ring = src.store === 'pinned' ? ledger.pinned : ledger.window;
  const flags = new Uint8Array(n);
  for (let k = 0; k < n; k++) flags[k] = ring.flags(src.index + k);
  return { ids: ring.ids(src.index, src.index + n), flags };
}

function startsSentence(win: TokenRing): boolean {
  return (win.flags(0) & FLAG_SENTENCE_START) !== 0;
}

function pushSegment(ledger: Ledger, runs: RunDeque, i: number, pinned: boolean, ringStart: number, segments: ContextSegment[], sources: SegmentSource[]): void {
  const messageId = runs.msg(i);
  const from = runs.start(i) - ledger.messageStart(messageId);
  segments.push({ messageId, from, to: from + runs.count(i), role: ledger.messageRole(messageId), pinned });
  sources.push({ store: pinned ? 'pinned' : 'window', index: ringStart });
}

/** Cuts segments from the end until the context fits (only reachable when pinned tokens exceed the budget). */
function trimToBudget(ledger: Ledger, segments: ContextSegment[], sources: SegmentSource[], tokens: number, maxTokens: number): number {
  while (tokens > maxTokens && segments.length > 0) {
    const last = segments[segments.length - 1];
    const len = last.to - last.from;
    const whole = len + ledger.overheadOf(last.messageId);
    if (tokens - whole >= maxTokens || len <= tokens - maxTokens) {
      segments.pop();
      sources.pop();
      tokens -= whole;
    } else {
      last.to -= tokens - maxTokens;
      tokens = maxTokens;
    }
  }
  return tokens;
}
