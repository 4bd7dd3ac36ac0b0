import type { ContextSegment } from '../shared/protocol.js';
import type { Ledger } from './ledger.js';
import type { RunDeque } from './runDeque.js';
import { FLAG_SENTENCE_START, type TokenRing } from './tokenRing.js';

/** A built context: which tokens of which messages go to the model, in order. */
export interface BuiltContext {
  segments: ContextSegment[];
  /** For each segment, where its tokens sit in their ring (pinned or window). */
  ringStarts: number[];
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
  const { segments, ringStarts } = retainedRuns(ledger);
  let tokens = ledger.used();
  if (tokens > maxTokens) tokens = trimToBudget(ledger, segments, ringStarts, tokens, maxTokens);
  const win = ledger.window;
  return { segments, ringStarts, tokens, startsAtSentence: win.length === 0 || startsSentence(win) };
}

/** Every retained run, pinned and unpinned merged in conversation order, with its ring offset. */
export function retainedRuns(ledger: Ledger): { segments: ContextSegment[]; ringStarts: number[] } {
  const segments: ContextSegment[] = [];
  const ringStarts: number[] = [];
  let p = 0;
  let w = 0;
  let pIdx = 0;
  let wIdx = 0;
  const pr = ledger.pinnedRuns;
  const wr = ledger.windowRuns;
  while (p < pr.length || w < wr.length) {
    const takePinned = w >= wr.length || (p < pr.length && pr.start(p) < wr.start(w));
    const runs = takePinned ? pr : wr;
    const i = takePinned ? p++ : w++;
    pushSegment(ledger, runs, i, takePinned, takePinned ? pIdx : wIdx, segments, ringStarts);
    if (takePinned) pIdx += pr.count(i);
    else wIdx += wr.count(i);
  }
  return { segments, ringStarts };
}

function startsSentence(win: TokenRing): boolean {
  return (win.flags(0) & FLAG_SENTENCE_START) !== 0;
}

function pushSegment(
  ledger: Ledger,
  runs: RunDeque,
  i: number,
  pinned: boolean,
  ringStart: number,
  segments: ContextSegment[],
  ringStarts: number[],
): void {
  const messageId = runs.msg(i);
  const from = runs.start(i) - ledger.messageStart(messageId);
  segments.push({ messageId, from, to: from + runs.count(i), role: ledger.messageRole(messageId), pinned });
  ringStarts.push(ringStart);
}

/** Cuts segments from the end until the context fits (only reachable when pinned tokens exceed the budget). */
function trimToBudget(ledger: Ledger, segments: ContextSegment[], ringStarts: number[], tokens: number, maxTokens: number): number {
  while (tokens > maxTokens && segments.length > 0) {
    const last = segments[segments.length - 1];
    const len = last.to - last.from;
    const whole = len + ledger.overheadOf(last.messageId);
    if (tokens - whole >= maxTokens || len <= tokens - maxTokens) {
      segments.pop();
      ringStarts.pop();
      tokens -= whole;
    } else {
      last.to -= tokens - maxTokens;
      tokens = maxTokens;
    }
  }
  return tokens;
}
