import type { ContextSegment } from '../../shared/protocol.js';
import type { Ledger } from './ledger.js';
import type { RunDeque } from './runDeque.js';
import { FLAG_SENTENCE_START, type TokenRing } from './tokenRing.js';

/** A built context: which tokens of which messages go to the model, in order. */
export interface BuiltContext {
  segments: ContextSegment[];
  /** Tokens including template overhead and the generation prompt. */
  tokens: number;
  startsAtSentence: boolean;
}

/**
 * Pinned tokens + the retained window (the policy keeps it under budget and aligned to a sentence
 * start), merged in conversation order, one segment per message run. O(messages in the context),
 * and a run's segment object is made once while the run stays as it is (segments are shared between
 * builds: treat them as read-only). If pinned tokens alone exceed the budget, the newest pinned
 * tokens are left out so the context still never exceeds `maxTokens`.
 */
export function buildContext(ledger: Ledger, maxTokens: number): BuiltContext {
  const { segments } = retainedRuns(ledger);
  let tokens = ledger.used();
  if (tokens > maxTokens) tokens = trimToBudget(ledger, segments, tokens, maxTokens);
  const win = ledger.window;
  return { segments, tokens, startsAtSentence: win.length === 0 || startsSentence(win) };
}

const INF = Number.MAX_SAFE_INTEGER;

/** Every retained run — pinned, window and recalled — merged in conversation order. */
export function retainedRuns(ledger: Ledger): { segments: ContextSegment[] } {
  const pr = ledger.pinnedRuns;
  const wr = ledger.windowRuns;
  const rec = ledger.recalled;
  let summary = ledger.summary;
  // each run's segment, made once while the run stays as it is
  pr.ensureTags((i) => runSegment(ledger, pr, i, true));
  wr.ensureTags((i) => runSegment(ledger, wr, i, false));
  const pl = pr.length;
  const wl = wr.length;
  // the usual case: pinned runs (a system prompt) before the window, nothing recalled or summarized:
  // the runs' segments copied once into the context's own array
  if (rec.length === 0 && !summary && (pl === 0 || wl === 0 || pr.start(pl - 1) < wr.start(0))) {
    const segments = new Array<ContextSegment>(pl + wl);
    pr.copyTags(segments, 0);
    wr.copyTags(segments, pl);
    return { segments };
  }
  const segments: ContextSegment[] = [];
  let p = 0;
  let w = 0;
  let r = 0;
  while (p < pl || w < wl || r < rec.length || summary) {
    const ps = p < pl ? pr.start(p) : INF;
    const ws = w < wl ? wr.start(w) : INF;
    const rs = r < rec.length ? rec[r].startPos : INF;
    // the summary goes where its first summarized token was: after older pinned runs, before the rest
    if (summary && summary.startPos <= ws && summary.startPos <= rs && summary.startPos < ps) {
      segments.push({ messageId: summary.messageId, from: 0, to: summary.ids.length, role: ledger.messageRole(summary.messageId), pinned: false, summary: true });
      summary = undefined;
    } else if (rs < ps && rs < ws) {
      const span = rec[r++];
      const seg: ContextSegment = { messageId: span.messageId, from: span.from, to: span.to, role: ledger.messageRole(span.messageId), pinned: false };
      if (span.held) seg.held = true;
      else seg.recalled = true;
      segments.push(seg);
    } else if (ps < ws) {
      segments.push(pr.tag(p++) as ContextSegment);
    } else {
      // window runs up to the next pinned run, recalled span or summary (positions are unique)
      const limit = Math.min(ps, rs, summary ? summary.startPos : INF);
      do segments.push(wr.tag(w++) as ContextSegment);
      while (w < wl && wr.start(w) < limit);
    }
  }
  return { segments };
}

/** A new segment for run i. */
function runSegment(ledger: Ledger, runs: RunDeque, i: number, pinned: boolean): ContextSegment {
  const messageId = runs.msg(i);
  const from = runs.start(i) - ledger.messageStart(messageId);
  return { messageId, from, to: from + runs.count(i), role: ledger.messageRole(messageId), pinned };
}

/**
 * The token ids and flags of segment i of a context built from the ledger as it is now: recalled
 * spans and the summary by their segment, ring runs found by their first position.
 */
export function segmentTokens(ledger: Ledger, built: Pick<BuiltContext, 'segments'>, i: number): { ids: Int32Array; flags: Uint8Array } {
  const seg = built.segments[i];
  const n = seg.to - seg.from;
  if (seg.recalled || seg.held || seg.summary) {
    const span = seg.summary ? ledger.summary : ledger.recalled.find((sp) => sp.messageId === seg.messageId && sp.from === seg.from);
    if (!span) throw new Error(`segment ${i} (message ${seg.messageId}) is no longer in the context`);
    return { ids: span.ids.subarray(0, n), flags: span.flags.subarray(0, n) };
  }
  const ring = seg.pinned ? ledger.pinned : ledger.window;
  const pos = ledger.messageStart(seg.messageId) + seg.from;
  let at = ring.indexOfPos(pos);
  // positions ascend along a ring the engine filled; a restored one is searched in full
  for (let k = 0; at < 0 && k < ring.length; k++) if (ring.pos(k) === pos) at = k;
  if (at < 0) throw new Error(`segment ${i} (message ${seg.messageId}) is no longer in the context`);
  const flags = new Uint8Array(n);
  for (let k = 0; k < n; k++) flags[k] = ring.flags(at + k);
  return { ids: ring.ids(at, at + n), flags };
}

function startsSentence(win: TokenRing): boolean {
  return (win.flags(0) & FLAG_SENTENCE_START) !== 0;
}

/** Cuts segments from the end until the context fits (only reachable when pinned tokens exceed the budget). */
function trimToBudget(ledger: Ledger, segments: ContextSegment[], tokens: number, maxTokens: number): number {
  while (tokens > maxTokens && segments.length > 0) {
    const last = segments[segments.length - 1];
    const len = last.to - last.from;
    const whole = len + ledger.overheadOf(last.messageId);
    if (tokens - whole >= maxTokens || len <= tokens - maxTokens) {
      segments.pop();
      tokens -= whole;
    } else {
      // a copy: the segment objects of unchanged runs are shared between builds
      segments[segments.length - 1] = { ...last, to: last.to - (tokens - maxTokens) };
      tokens = maxTokens;
    }
  }
  return tokens;
}
